"""One-off helper: fill the Kinyarwanda catalog from a {msgid: translation} dict file.

A message with a count is keyed by its singular msgid (or the (singular, plural) pair) and
translated by a tuple with one text per plural form of the catalog (Kinyarwanda: two, the
first for n = 1): `RW = {"{n} item to reorder": ("Ikintu {n} ...", "Ibintu {n} ...")}`."""

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
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            found = table.get(message.id, table.get(message.id[0]))
            if found is None or (all(message.string) and not message.fuzzy):
                continue
            forms = (found,) * catalog.num_plurals if isinstance(found, str) else tuple(found)
            if len(forms) != catalog.num_plurals:
                raise SystemExit(f"{message.id[0]!r}: {catalog.num_plurals} plural forms expected, got {len(forms)}")
            message.string = forms
            message.flags.discard("fuzzy")  # a message that became plural was marked fuzzy by the merge
            filled += 1
        elif message.id in table and (not message.string or message.fuzzy):
            message.string = table[message.id]
            message.flags.discard("fuzzy")
            filled += 1
    with path.open("wb") as fh:
        write_po(fh, catalog, sort_output=True, no_location=True, width=0)
    return filled


if __name__ == "__main__":
    print(fill(sys.argv[1]), "filled")
