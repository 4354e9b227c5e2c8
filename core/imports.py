"""Reading a spreadsheet for import, and the per-row report every import gives back.

Shared by the imports of every area (clients, fleet, items and balances): a file is read
as text rows with normalised column names (`read_sheet` says which separator and
encoding it found); its columns are mapped to the import's fields (`Fields`: the known
columns and the other names offices give them, `map_columns`), and a column the import
does not know is ignored only by name, in the report, never silently. Likely duplicates
inside the file are found by `InFile`; the report lists each of them, every refused row
with its reason in the reader's language, and gives the refused rows back as a table.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from common.errors import DomainError
from common.i18n import N_, N_n, translate, translate_n

MAX_ROWS = 20_000
MAX_IMPORT_MB = 10
MAX_IMPORT_BYTES = MAX_IMPORT_MB * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024


IGNORE = ""  # a column mapped to no field
DUPLICATE_CHOICES = ("skip", "import")  # what to do with a likely duplicate (skip: the default)

SAME_NAME = N_("same name")
SAME_PHONE = N_("same phone")
SAME_EMAIL = N_("same e-mail")
SAME_TAX_ID = N_("same tax id")
SAME_PLATE = N_("same plate")
SAME_VIN = N_("same VIN")
SAME_LICENCE = N_("same licence number")
SAME_ARTICLE = N_("same article")
SAME_BARCODE = N_("same barcode")
SAME_ITEM_AND_STORE = N_("same article and store")


SEPARATOR_NAMES = {
    ",": N_("commas (,)"),
    ";": N_("semicolons (;)"),
    "\t": N_("tabs"),
    "|": N_("bars (|)"),
}
DUPLICATE_ACTIONS = {
    "skipped": N_("Skipped."),
    "imported": N_("Imported all the same (your choice)."),
    "refused": N_("Not imported: this must be unique."),
}


@dataclass
class RowError:
    row: int  # as the spreadsheet numbers it (header is row 1)
    column: str
    message: str
    params: dict[str, object] = field(default_factory=dict)


def column_name(name: object) -> str:
    """A column's name as an import reads it: trimmed, lower case, spaces as underscores."""
    return str(name).strip().lower().replace(" ", "_")


def squash(name: str) -> str:
    """A column name reduced to letters and digits: `E-mail`, `e_mail` and `EMAIL` are one."""
    return re.sub(r"[^0-9a-z]", "", name.lower())


@dataclass(frozen=True)
class Fields:
    """The columns an import knows, and the other names offices give them (synonym -> field)."""

    known: tuple[str, ...]
    synonyms: Mapping[str, str] = field(default_factory=dict)

    def guess(self, column: str) -> str | None:
        key = squash(column)
        for known in self.known:
            if squash(known) == key:
                return known
        for synonym, target in self.synonyms.items():
            if squash(synonym) == key:
                return target
        return None


@dataclass(frozen=True)
class ColumnUse:
    """What became of one column of the file."""

    column: str
    field: str | None  # None: ignored
    how: str  # known | synonym | chosen | ignored | taken (its field comes from another column)
    taken_by: str = ""  # for "taken": the column the field comes from


def map_columns(columns: list[str], fields: Fields, chosen: Mapping[str, str] | None = None) -> list[ColumnUse]:
    """Each column of the file, mapped to a field or ignored (and said so).

    `chosen` is the person's choice (column -> field, or IGNORE) and comes first; then the
    columns named as a field; then the synonyms. A field takes one column: a second column
    for it is ignored, naming the one that gave it."""
    chosen = {column_name(c): f for c, f in (chosen or {}).items()}
    for column, wanted in chosen.items():
        if column not in columns:
            raise DomainError(N_("The file has no column {column}."), column=column)
        if wanted != IGNORE and wanted not in fields.known:
            raise DomainError(
                N_("{field} is not a column of this import; choose one of: {fields}."),
                field=wanted,
                fields=", ".join(fields.known),
            )
    guesses = {c: fields.guess(c) for c in columns}
    order = (
        [c for c in columns if c in chosen]
        + [c for c in columns if c not in chosen and guesses[c] == c]
        + [c for c in columns if c not in chosen and guesses[c] != c]
    )
    taken: dict[str, str] = {}
    uses: dict[str, ColumnUse] = {}
    for column in order:
        if column in chosen:
            target, how = chosen[column] or None, "chosen"
        else:
            target = guesses[column]
            how = "known" if target == column else "synonym"
        if target is None:
            uses[column] = ColumnUse(column, None, how if how == "chosen" else "ignored")
        elif target in taken:
            uses[column] = ColumnUse(column, None, "taken", taken_by=taken[target])
        else:
            taken[target] = column
            uses[column] = ColumnUse(column, target, how)
    return [uses[c] for c in columns]


def apply_columns(rows: list[dict[str, str]], uses: list[ColumnUse]) -> list[dict[str, str]]:
    """The rows with the import's field names; ignored columns left out."""
    pairs = [(u.column, u.field) for u in uses if u.field]
    return [{target: row.get(column, "") for column, target in pairs} for row in rows]


@dataclass
class Duplicate:
    """A row that is likely a record met before: an earlier row of the file or a saved record."""

    row: int
    reasons: list[str]  # msgids: SAME_PHONE, ...
    of_row: int | None = None  # an earlier row of this file
    record: str = ""  # a saved record, as the reader knows it (code and name)
    action: str = "skipped"  # skipped | imported | refused (a key the database holds unique)

    def describe(self, lang: str) -> str:
        reasons = ", ".join(translate(r, lang) for r in self.reasons)
        if self.of_row is not None:
            return translate(N_("Likely a repeat of row {n} ({reasons})."), lang, n=self.of_row, reasons=reasons)
        return translate(
            N_("Likely the same as {record}, already saved ({reasons})."), lang, record=self.record, reasons=reasons
        )


class InFile:
    """Likely duplicates inside one file: rows that share a normalised key with an earlier row.

    `check` before a row is saved, `add` once it is (a refused row is no one's twin)."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str], int] = {}

    def check(self, number: int, keys: Mapping[str, str | None]) -> Duplicate | None:
        hits: dict[int, list[str]] = {}
        for reason, value in keys.items():
            first = self._seen.get((reason, value)) if value else None
            if first is not None:
                hits.setdefault(first, []).append(reason)
        if not hits:
            return None
        first_row = min(hits)
        return Duplicate(number, hits[first_row], of_row=first_row)

    def add(self, number: int, keys: Mapping[str, str | None]) -> None:
        for reason, value in keys.items():
            if value:
                self._seen.setdefault((reason, value), number)


@dataclass
class ImportReport:
    imported: int = 0
    errors: list[RowError] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    columns: list[ColumnUse] = field(default_factory=list)
    separator: str | None = None  # of a CSV file
    encoding: str | None = None
    dry_run: bool = False  # everything checked, nothing saved
    source: list[dict[str, str]] = field(default_factory=list)  # the file's rows as read (row 2 first)

    def refuse(self, number: int, errors: Mapping[str, tuple[str, dict[str, object]]]) -> None:
        self.errors += [RowError(number, f, m, p) for f, (m, p) in errors.items()]

    def duplicate(self, found: Duplicate, choice: str) -> bool:
        """Note a likely duplicate; True when it is to be skipped (the person's choice)."""
        found.action = "imported" if choice == "import" else "skipped"
        self.duplicates.append(found)
        return found.action == "skipped"

    def clash(self, found: Duplicate) -> None:
        """Note a repeat of a key the database holds unique: listed, never imported (the row's
        error says why)."""
        found.action = "refused"
        self.duplicates.append(found)

    @property
    def rejected(self) -> list[int]:
        """The numbers of the rows not imported: refused, or skipped as likely duplicates."""
        return sorted({e.row for e in self.errors} | {d.row for d in self.duplicates if d.action != "imported"})

    @property
    def rejected_rows(self) -> int:
        return len(self.rejected)

    @property
    def ignored_columns(self) -> list[ColumnUse]:
        return [u for u in self.columns if u.field is None]

    def reasons(self, number: int, lang: str) -> str:
        parts = [f"{e.column}: {translate(e.message, lang, **e.params)}" for e in self.errors if e.row == number] + [
            d.describe(lang) for d in self.duplicates if d.row == number and d.action == "skipped"
        ]
        return "; ".join(parts)

    def read_note(self, lang: str) -> str:
        """How the file was read (a CSV's separator and encoding)."""
        if self.separator is None:
            return ""
        name = SEPARATOR_NAMES.get(self.separator)
        return translate(
            N_("Read as a CSV file separated by {separator}, encoding {encoding}."),
            lang,
            separator=translate(name, lang) if name else self.separator,
            encoding=self.encoding or "",
        )

    def column_notes(self, lang: str) -> list[str]:
        """What became of each column that is not an import's own: mapped, or ignored and why."""
        notes = []
        for use in self.columns:
            if use.how == "synonym":
                message = N_("Column {column} read as {field}.")
            elif use.how == "chosen" and use.field:
                message = N_("Column {column} read as {field} (your choice).")
            elif use.how == "chosen":
                message = N_("Column {column} ignored (your choice).")
            elif use.how == "ignored":
                message = N_("Column {column} ignored: this import has no such field.")
            elif use.how == "taken":
                message = N_("Column {column} ignored: its field comes from column {other}.")
            else:
                continue
            notes.append(translate(message, lang, column=use.column, field=use.field or "", other=use.taken_by))
        return notes

    def totals(self, lang: str) -> str:
        if self.dry_run:
            message = N_n(
                "Dry run, nothing was saved: {n} row would be imported, {rejected} not.",
                "Dry run, nothing was saved: {n} rows would be imported, {rejected} not.",
            )
        else:
            message = N_n("{n} row imported, {rejected} not imported.", "{n} rows imported, {rejected} not imported.")
        return translate_n(*message, self.imported, lang, rejected=self.rejected_rows)

    def lines(self, lang: str) -> list[str]:
        """The whole report as text, in the order the screen shows it (the command line prints it)."""
        out = [self.read_note(lang)] if self.separator else []
        out += self.column_notes(lang)
        for d in self.duplicates:
            action = translate(DUPLICATE_ACTIONS[d.action], lang)
            out.append(
                translate(N_("Row {n}: {problem} {action}"), lang, n=d.row, problem=d.describe(lang), action=action)
            )
        for e in self.errors:
            out.append(
                f"{translate(N_('Row {n}'), lang, n=e.row)}: {e.column}: {translate(e.message, lang, **e.params)}"
            )
        out.append(self.totals(lang))
        return out

    def rejected_table(self, lang: str) -> tuple[list[str], list[list[str]]]:
        """The rows not imported, as they were in the file, each with its reason first:
        fix them and import this file again."""
        columns = list(self.source[0]) if self.source else []
        header = [translate(N_("Row"), lang), translate(N_("Reason"), lang), *columns]
        rows = []
        for number in self.rejected:
            original = self.source[number - 2] if 0 <= number - 2 < len(self.source) else {}
            rows.append([str(number), self.reasons(number, lang), *(original.get(c, "") for c in columns)])
        return header, rows


@dataclass
class Sheet:
    """A file read for import: its columns (normalised), rows, and how a CSV was written."""

    columns: list[str]
    rows: list[dict[str, str]]
    separator: str | None = None
    encoding: str | None = None


def read_table(filename: str, content: bytes) -> list[dict[str, str]]:
    """Rows of a CSV or Excel file as text, with normalised column names (see read_sheet)."""
    return read_sheet(filename, content).rows


def read_sheet(filename: str, content: bytes) -> Sheet:
    """A CSV or Excel file as text rows, with normalised column names.

    The file's size is checked before anything is parsed, and rows are counted while they
    are read: a sheet with more than MAX_ROWS rows is refused after MAX_ROWS + 1 of them,
    not after all. A CSV may be separated by commas, semicolons (Excel in many locales),
    tabs or bars, and be UTF-8 or Windows-1252; the sheet says which."""
    name = filename.lower()
    if len(content) > MAX_IMPORT_BYTES:
        raise DomainError(N_("The file is larger than {mb} MB; split it into smaller files."), mb=MAX_IMPORT_MB)
    separator = encoding = None
    try:
        if name.endswith(".csv"):
            text, encoding = _decode(content)
            separator = _separator(text[:65536])
            frame = pd.read_csv(
                io.StringIO(text),
                sep=separator,
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
    frame.columns = [column_name(c) for c in frame.columns]
    rows = [{k: str(v).strip() for k, v in row.items()} for row in frame.to_dict(orient="records")]
    return Sheet(list(frame.columns), rows, separator, encoding)


def _decode(content: bytes) -> tuple[str, str]:
    try:
        return content.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace"), "Windows-1252"


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
