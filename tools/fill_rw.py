"""One-off helper: fill the Kinyarwanda catalog from a {msgid: translation} dict file."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent


def fill(dict_file: str) -> int:
    table = runpy.run_path(dict_file)["RW"]
    path = ROOT / "locales" / "rw" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fh:
        catalog = read_po(fh, locale="rw")
    filled = 0
    for message in catalog:
        if message.id and message.id in table and not message.string:
            message.string = table[message.id]
            filled += 1
    with path.open("wb") as fh:
        write_po(fh, catalog, sort_output=True, no_location=True, width=0)
    return filled


if __name__ == "__main__":
    print(fill(sys.argv[1]), "filled")
