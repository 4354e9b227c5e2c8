"""Writing a table for a spreadsheet: CSV and Excel files that never run what is in them.

A cell that starts with `=`, `+`, `-`, `@` or a control character is a formula to Excel
and LibreOffice (CSV included), so a client named `=HYPERLINK(...)` would become a live
link, and `+cmd|' /C calc'!A0` worse. Every export goes through here: in Excel each cell is
written as text (the value reads exactly as typed); in CSV such a cell gets a leading
apostrophe, the spreadsheet convention for "this is text". Plain numbers stay numbers.

Dates are written as ISO 8601 whatever the reader's language (`iso_text`): `2017-02-18`, and
a moment `2017-02-18T14:05:00+02:00` in the company's time zone, so that a spreadsheet, a
script or another system reads them the same way.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_NUMBER = re.compile(r"^[+-]?(\d[\d\s,.]*)(e[+-]?\d+)?$", re.IGNORECASE)


def iso_text(value: object, zone: str) -> str | None:
    """A date as YYYY-MM-DD, a moment as ISO 8601 with its offset in the time zone `zone`
    (to the second; a moment without a zone is the database's UTC); None for anything else."""
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
        return moment.astimezone(ZoneInfo(zone)).isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return None


def is_formula_like(value: str) -> bool:
    return value.startswith(FORMULA_START) and not _NUMBER.match(value.strip())


def csv_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if is_formula_like(text) else text


def csv_bytes(header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads Kinyarwanda and accents right)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_cell(h) for h in header])
    writer.writerows([csv_cell(v) for v in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(header: Sequence[str], rows: Sequence[Sequence[object]], sheet: str = "Twara") -> bytes:
    """Every cell a text cell (never a formula), written in streaming mode."""
    book = Workbook(write_only=True)
    ws = book.create_sheet(title=_sheet_title(sheet))

    def text_cell(value: object) -> WriteOnlyCell:
        cell = WriteOnlyCell(ws, value=None if value is None else str(value))
        if cell.value is not None:
            cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
        return cell

    ws.append([text_cell(h) for h in header])
    for row in rows:
        ws.append([text_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_title(name: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", name).strip() or "Twara"
    return cleaned[:31]
