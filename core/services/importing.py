"""Every import and export by its kind, as the screens and `manage.py import|export` run them.

An import reads the file (`core.imports.read_sheet`: separator and encoding found), maps
its columns to the kind's fields (the kind's synonyms, then the person's choices: a field
or ignore), runs the area's import (likely duplicates skipped or imported as the person
chose; a dry run saves nothing) and gives back one report: the columns and what became of
each, the likely duplicates, the refused rows with their reason, and those rows as a
spreadsheet to fix and import again (`rejected_csv`, formula-safe).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from common.actor import Actor
from common.errors import DomainError
from common.i18n import N_
from core.exports import csv_bytes, iso_text, xlsx_bytes
from core.imports import (
    DUPLICATE_CHOICES,
    ColumnUse,
    Fields,
    ImportReport,
    Sheet,
    apply_columns,
    map_columns,
    read_sheet,
)
from core.services import crm, employees, fleet, stock, transport, users
from core.services.company_day import company_zone
from core.services.listing import ListQuery
from db.session import UnitOfWork

Importer = Callable[..., ImportReport]

IMPORTS: dict[str, tuple[Fields, Importer]] = {
    "clients": (crm.CLIENT_FIELDS, crm.import_clients),
    "vehicles": (
        fleet.UNIT_FIELDS,
        lambda uow, actor, rows, **kw: fleet.import_units(uow, actor, "vehicle", rows, **kw),
    ),
    "trailers": (
        fleet.UNIT_FIELDS,
        lambda uow, actor, rows, **kw: fleet.import_units(uow, actor, "trailer", rows, **kw),
    ),
    "drivers": (fleet.DRIVER_FIELDS, fleet.import_drivers),
    "items": (stock.ITEM_FIELDS, stock.import_items),
    "balances": (stock.BALANCE_FIELDS, stock.import_opening_balances),
    "places": (transport.PLACE_FIELDS, transport.import_places),
    "distances": (transport.DISTANCE_FIELDS, transport.import_distances),
}
IMPORT_KINDS = tuple(IMPORTS)

EXPORTS: dict[str, Callable[[UnitOfWork, Actor, ListQuery], list[dict[str, Any]]]] = {
    "clients": crm.export_clients,
    "employees": employees.export_employees,
    "vehicles": lambda uow, actor, q: fleet.export_units(uow, actor, "vehicle", q),
    "trailers": lambda uow, actor, q: fleet.export_units(uow, actor, "trailer", q),
    "drivers": fleet.export_drivers,
    "items": stock.export_items,
    "users": users.export_users,
    "stock_documents": stock.export_documents,
    "places": transport.export_places,
    "distances": transport.export_distances,
}
EXPORT_KINDS = tuple(EXPORTS)
EXPORT_FORMATS = ("csv", "xlsx")


def fields_for(kind: str) -> Fields:
    if kind not in IMPORTS:
        raise DomainError(N_("Nothing named {kind} can be imported."), kind=kind)
    return IMPORTS[kind][0]


def preview(
    kind: str, filename: str, content: bytes, chosen: Mapping[str, str] | None = None
) -> tuple[Sheet, list[ColumnUse]]:
    """The file read, and what each of its columns would become (before anything is saved)."""
    sheet = read_sheet(filename, content)
    return sheet, map_columns(sheet.columns, fields_for(kind), chosen)


def run_import(
    uow: UnitOfWork,
    actor: Actor,
    kind: str,
    filename: str,
    content: bytes,
    chosen: Mapping[str, str] | None = None,
    duplicates: str = "skip",
    dry_run: bool = False,
) -> ImportReport:
    """Import one file of a kind; `chosen` maps columns to fields (or IGNORE), over the guesses."""
    if duplicates not in DUPLICATE_CHOICES:
        raise DomainError(N_("Likely duplicates are either skipped or imported."))
    sheet, uses = preview(kind, filename, content, chosen)
    report = IMPORTS[kind][1](uow, actor, apply_columns(sheet.rows, uses), duplicates=duplicates, dry_run=dry_run)
    report.columns, report.source = uses, sheet.rows
    report.separator, report.encoding = sheet.separator, sheet.encoding
    return report


def rejected_csv(report: ImportReport, lang: str) -> bytes:
    """The rows not imported, each with its reason, as a CSV no cell of which is a formula."""
    header, rows = report.rejected_table(lang)
    return csv_bytes(header, rows)


def _cell(value: object, zone: str) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v, zone) for v in value)
    iso = iso_text(value, zone)  # dates ISO, moments ISO 8601 in the company's zone
    if iso is not None:
        return iso
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def export_file(uow: UnitOfWork, actor: Actor, kind: str, fmt: str = "csv") -> tuple[bytes, int]:
    """Every record of a catalog (as its list shows them, archived left out) as CSV or Excel
    that never runs a formula; with the number of records."""
    if kind not in EXPORTS:
        raise DomainError(N_("Nothing named {kind} can be exported."), kind=kind)
    if fmt not in EXPORT_FORMATS:
        raise DomainError(N_("Export as csv or xlsx."))
    records = EXPORTS[kind](uow, actor, ListQuery())
    with uow:
        zone = str(company_zone(uow.session))
    header = list(records[0]) if records else []
    rows = [[_cell(r.get(c), zone) for c in header] for r in records]
    data = csv_bytes(header, rows) if fmt == "csv" else xlsx_bytes(header, rows, sheet=kind)
    return data, len(records)
