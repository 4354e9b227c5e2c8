from __future__ import annotations

import io

import pandas as pd
import pytest

from common.errors import DomainError
from core.imports import read_table
from core.services import fleet
from core.services.fleet import import_drivers, import_units, template_csv
from core.services.listing import ListQuery
from tests.integration.test_fleet import tractor


def csv_bytes(rows: list[dict[str, str]]) -> bytes:
    return pd.DataFrame(rows).to_csv(index=False).encode("utf-8")


def test_valid_rows_are_imported_and_each_invalid_row_is_listed_with_its_reason(uow, admin):
    tractor(uow, admin, "RAD 500 B")
    rows = read_table(
        "units.csv",
        csv_bytes(
            [
                {
                    "unit_type": "tractor",
                    "plate": "RAC 100 A",
                    "vin": "YV2RT40A8KA100001",
                    "make": "Volvo",
                    "odometer_km": "250000",
                    "payload_kg": "18000",
                },
                {"unit_type": "truck", "plate": "RAC 100 A", "vin": "", "make": "Isuzu"},  # same plate as row 2
                {"unit_type": "van", "plate": "rad500b", "vin": "", "make": "Toyota"},  # already registered
                {"unit_type": "tractor", "plate": "RAC 200 A", "vin": "BAD", "payload_kg": "-4"},
                {"unit_type": "boat", "plate": "RAC 300 A"},
                {"unit_type": "truck", "plate": "RAC 400 A", "make": "Hino", "category": "Rigid truck"},
            ]
        ),
    )
    report = import_units(uow(admin), admin, "vehicle", rows)
    assert report.imported == 2
    problems = {(e.row, e.column) for e in report.errors}
    assert problems == {(3, "plate"), (4, "plate"), (5, "vin"), (5, "payload_kg"), (6, "unit_type")}
    plates = {r["plate"] for r in fleet.list_units(uow(admin), admin, "vehicle", ListQuery()).rows}
    assert plates == {"RAD 500 B", "RAC 100 A", "RAC 400 A"}
    imported = next(r for r in fleet.list_units(uow(admin), admin, "vehicle", ListQuery(search="RAC 100")).rows)
    assert imported["odometer_km"] == 250000


def test_excel_files_import_the_same_way(uow, admin):
    out = io.BytesIO()
    pd.DataFrame([{"Plate": "RL 900", "Payload kg": "30000", "Make": "Krone"}]).to_excel(out, index=False)
    rows = read_table("trailers.xlsx", out.getvalue())
    assert rows[0]["plate"] == "RL 900"
    report = import_units(uow(admin), admin, "trailer", [{**r, "payload_kg": r["payload_kg"]} for r in rows])
    assert report.imported == 1 and not report.errors


def test_drivers_are_imported_as_employees_with_a_driver_card(uow, admin):
    rows = read_table(
        "drivers.csv",
        template_csv("driver") + b"Aline Uwase,0788 111 222,,RW77,B;C,2027-01-31,"
        b"2018-01-01,fit,2021-05-01\nBad Row,12,,RW78,Q,31/13/2027,,,\n",
    )
    report = import_drivers(uow(admin), admin, rows)
    assert report.imported == 2  # the template's example and Aline
    assert {e.column for e in report.errors if e.row == 4} == {"phone", "licence_categories", "licence_valid_to"}
    names = [r["full_name"] for r in fleet.list_drivers(uow(admin), admin, ListQuery()).rows]
    assert sorted(names) == ["Aline Uwase", "Eric Habimana"]


def test_a_file_that_is_not_a_table_is_explained():
    with pytest.raises(DomainError):
        read_table("notes.txt", b"hello")
    with pytest.raises(DomainError):
        read_table("broken.xlsx", b"PK\x03\x04 not really a workbook")
