"""Reading a spreadsheet for import, and the per-row report every import gives back.

Shared by the imports of every area (clients, fleet, items and balances): a file is read
as text rows with normalised column names, and each import lists what it refused, row by
row, with the reason in the reader's language.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pandas as pd

from common.errors import DomainError
from common.i18n import N_

MAX_ROWS = 20_000


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
    """Rows of a CSV or Excel file as text, with normalised column names."""
    name = filename.lower()
    try:
        if name.endswith(".csv"):
            frame = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False, encoding="utf-8-sig")
        elif name.endswith((".xlsx", ".xlsm")):
            frame = pd.read_excel(io.BytesIO(content), dtype=str, keep_default_na=False)
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
