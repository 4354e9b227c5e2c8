"""A messy client file, imported as a new user would: nothing it holds is dropped without a
word. The separator and encoding are found, usual column names read as their field, an
unknown column ignored by name, likely duplicates (in the file, already saved) listed and
skipped, the refused rows given back with their reason, and a dry run saves nothing."""

from __future__ import annotations

import csv
import io

from sqlalchemy import func, select

from core.exports import is_formula_like
from core.imports import IGNORE
from core.services import crm, importing
from core.services.crm import ClientInput
from core.services.listing import ListQuery
from db.models.crm import Client

MESSY = (
    "Name;City;Mobile;Notes;Fax\r\n"
    "Kivu Beer Ltd;Rubavu;0788 100 200;good payer;\r\n"
    "KIVU BEER LTD;Rubavu;+250788100200;same again;\r\n"
    "Café Nyamirambo;Kigali;0788 300 400;;0252 000 000\r\n"
    "Inyange Industries;Huye;0788 500 600;;\r\n"
    "Bad Phone Co;Musanze;12345;;\r\n"
    '"=HYPERLINK(""http://evil.example"")";Kigali;999;;\r\n'
).encode("cp1252")


def _clients(session_factory) -> int:  # type: ignore[no-untyped-def]
    with session_factory() as s:
        return s.scalar(select(func.count()).select_from(Client))


def _import(uow, admin, **kw):  # type: ignore[no-untyped-def]
    return importing.run_import(uow(admin), admin, "clients", "clients.csv", MESSY, **kw)


def test_a_messy_client_file_reports_separator_columns_and_duplicates_and_imports_the_rest(uow, admin, session_factory):
    saved = crm.create_client(uow(admin), admin, ClientInput(name="Inyange Industries Ltd", phone="0788 500 600"))
    code = crm.get_client(uow(admin), admin, saved)["code"]
    report = _import(uow, admin, chosen={"Notes": IGNORE})

    assert (report.separator, report.encoding) == (";", "Windows-1252")
    assert "semicolons" in report.read_note("en")
    fields = {u.column: (u.field, u.how) for u in report.columns}
    assert fields == {
        "name": ("name", "known"),
        "city": ("region", "synonym"),
        "mobile": ("phone", "synonym"),
        "notes": (None, "chosen"),
        "fax": (None, "ignored"),
    }
    notes = report.column_notes("en")
    assert "Column notes ignored (your choice)." in notes
    assert "Column fax ignored: this import has no such field." in notes

    assert [(d.row, d.of_row, d.action) for d in report.duplicates] == [(3, 2, "skipped"), (5, None, "skipped")]
    assert report.duplicates[0].reasons == ["same name", "same phone"]
    assert report.duplicates[1].record.startswith(code) and "same phone" in report.duplicates[1].reasons
    assert {(e.row, e.column) for e in report.errors} == {(6, "phone"), (7, "phone")}
    assert report.imported == 2 and report.rejected == [3, 5, 6, 7]

    regions = {r["name"]: r["region"] for r in crm.list_clients(uow(admin), admin, ListQuery()).rows}
    assert regions == {"Kivu Beer Ltd": "Rubavu", "Café Nyamirambo": "Kigali", "Inyange Industries Ltd": None}
    lines = report.lines("en")
    assert "Row 3: Likely a repeat of row 2 (same name, same phone). Skipped." in lines
    assert lines[-1] == "2 rows imported, 4 not imported."


def test_likely_duplicates_go_in_when_the_person_says_so(uow, admin, session_factory):
    report = _import(uow, admin, duplicates="import")
    assert [(d.row, d.action) for d in report.duplicates] == [(3, "imported")]
    assert report.imported == 4 and _clients(session_factory) == 4


def test_a_dry_run_reports_everything_and_saves_nothing(uow, admin, session_factory):
    report = _import(uow, admin, dry_run=True)
    assert report.dry_run and report.imported == 3 and [d.row for d in report.duplicates] == [3]
    assert report.totals("en") == "Dry run, nothing was saved: 3 rows would be imported, 3 not."
    assert _clients(session_factory) == 0


def test_the_rejected_rows_file_holds_each_row_with_its_reason_and_no_live_formula(uow, admin):
    report = _import(uow, admin)
    data = importing.rejected_csv(report, "en").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data)))
    assert rows[0] == ["Row", "Reason", "name", "city", "mobile", "notes", "fax"]
    by_row = {r[0]: r for r in rows[1:]}
    assert set(by_row) == {"3", "6", "7"}
    assert by_row["3"][1] == "Likely a repeat of row 2 (same name, same phone)."
    assert by_row["3"][2:5] == ["KIVU BEER LTD", "Rubavu", "+250788100200"]
    assert by_row["6"][1].startswith("phone: ") and by_row["6"][2] == "Bad Phone Co"
    assert by_row["7"][2] == '\'=HYPERLINK("http://evil.example")'  # text, not a formula
    assert not any(is_formula_like(cell) for r in rows for cell in r)


def test_every_import_maps_its_usual_column_names(uow, admin):
    vehicles = "Type,Registration,Chassis number,Brand\ntruck,RAC 700 A,,Isuzu\ntruck,rac700a,,Hino\n"
    report = importing.run_import(uow(admin), admin, "vehicles", "units.csv", vehicles.encode())
    assert {u.column: u.field for u in report.columns} == {
        "type": "unit_type",
        "registration": "plate",
        "chassis_number": "vin",
        "brand": "make",
    }
    assert report.imported == 1 and [(d.row, d.of_row, d.action) for d in report.duplicates] == [(3, 2, "refused")]
    items = "Item;SKU;UOM;EAN\nAir filter;AF-1;pcs;\nOil filter;af-1;pcs;\n"
    report = importing.run_import(uow(admin), admin, "items", "items.csv", items.encode())
    assert {u.field for u in report.columns} == {"name", "article", "unit", "barcode"}
    assert report.imported == 1 and [(d.row, d.reasons) for d in report.duplicates] == [(3, ["same article"])]
