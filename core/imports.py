"""Reading a spreadsheet for import, and the per-row report every import gives back.

Shared by the imports of every area (clients, fleet, items and balances): a file is read
as text rows with normalised column names, and each import lists what it refused, row by
row, with the reason in the reader's language.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

import pandas as pd

from common.errors import DomainError
from common.i18n import N_

MAX_ROWS = 20_000
MAX_IMPORT_MB = 10
MAX_IMPORT_BYTES = MAX_IMPORT_MB * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024


@dataclass
class RowError:
    row: int  # as the spreadsheet numbers it (header is row 1)
    column: str
    message: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass
class ImportReport:
    imported: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def rejected_rows(self) -> int:
        return len({e.row for e in self.errors})


def read_table(filename: str, content: bytes) -> list[dict[str, str]]:
    """Rows of a CSV or Excel file as text, with normalised column names.

    The file's size is checked before anything is parsed, and rows are counted while they
    are read: a sheet with more than MAX_ROWS rows is refused after MAX_ROWS + 1 of them,
    not after all. A CSV may be separated by commas, semicolons (Excel in many locales),
    tabs or bars, and be UTF-8 or Windows-1252."""
    name = filename.lower()
    if len(content) > MAX_IMPORT_BYTES:
        raise DomainError(N_("The file is larger than {mb} MB; split it into smaller files."), mb=MAX_IMPORT_MB)
    try:
        if name.endswith(".csv"):
            text = _decode(content)
            frame = pd.read_csv(
                io.StringIO(text),
                sep=_separator(text[:65536]),
                dtype=str,
                keep_default_na=False,
                nrows=MAX_ROWS + 1,
                engine="c",
            )
        elif name.endswith((".xlsx", ".xlsm")):
            check_workbook(content)
            frame = pd.read_excel(io.BytesIO(content), dtype=str, keep_default_na=False, nrows=MAX_ROWS + 1)
        else:
            raise DomainError(N_("Import a .csv or .xlsx file."))
    except DomainError:
        raise
    except Exception as exc:
        raise DomainError(N_("The file cannot be read as a table: {reason}"), reason=str(exc)[:200]) from exc
    if len(frame) > MAX_ROWS:
        raise DomainError(N_("At most {n} rows can be imported at once."), n=MAX_ROWS)
    frame.columns = [str(c).strip().lower().replace(" ", "_") for c in frame.columns]
    return [{k: str(v).strip() for k, v in row.items()} for row in frame.to_dict(orient="records")]


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _separator(sample: str) -> str:
    """The CSV separator: the one that splits the first lines into the same number of columns."""
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def check_workbook(content: bytes) -> None:
    """An .xlsx is a zip: refuse one that is not, or that would unpack to far more than an
    office file of its size can hold (a zip bomb), before any of it is parsed."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise DomainError(N_("The file cannot be read as a table: {reason}"), reason="not an .xlsx workbook") from exc
    if not any(m.filename.startswith("xl/") for m in members):
        raise DomainError(N_("The file cannot be read as a table: {reason}"), reason="not an .xlsx workbook")
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_UNPACKED_BYTES or unpacked > 100 * max(len(content), 1):
        raise DomainError(N_("The file unpacks to far more than it holds; it is refused."))
