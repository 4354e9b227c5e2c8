"""Import of places and of the distance table (CSV or Excel), each with its per-row report,
through the shared import (core.services.importing) the screens and manage.py use."""

from __future__ import annotations

import io
from decimal import Decimal

import pandas as pd
from sqlalchemy import func, select

from core.services import importing, transport
from core.services.listing import ListQuery
from db.models.transport import Distance, Place
from tests.integration.test_places import add_place, place_id


def csv_of(rows: list[dict[str, str]]) -> bytes:
    return pd.DataFrame(rows).to_csv(index=False).encode("utf-8")


def table_rows(uow) -> int:  # type: ignore[no-untyped-def]
    with uow(None) as u:
        return int(u.session.scalar(select(func.count()).select_from(Distance).where(Distance.source == "table")))


def test_valid_distances_are_imported_and_each_bad_row_is_reported_with_its_reason(uow, admin):
    add_place(uow, admin, "Rusumo", "-2.38", "30.79", country="TZ")  # two countries have a Rusumo...
    add_place(uow, admin, "Rusumo", "-2.38", "30.77", country="RW")
    before = table_rows(uow)
    content = csv_of(
        [
            {"Origin": "Huye", "Destination": "Goma", "Distance km": "290", "Duration": "7:30"},  # 2: ok
            {"Origin": "Huye", "Destination": "Atlantis", "Distance km": "10", "Duration": ""},  # 3: unknown
            {"Origin": "Musanze", "Destination": "Goma", "Distance km": "-65", "Duration": ""},  # 4: negative
            {"Origin": "Huye", "Destination": "huye", "Distance km": "5", "Duration": ""},  # 5: same place
            {"Origin": "Huye", "Destination": "Goma", "Distance km": "291", "Duration": ""},  # 6: repeat of 2
            {"Origin": "Kigali", "Destination": "Huye", "Distance km": "140", "Duration": "3.5"},  # 7: in the table
            {"Origin": "Rusumo", "Destination": "Kigali", "Distance km": "160", "Duration": ""},  # 8: ambiguous
            {"Origin": "Rusumo, TZ", "Destination": "Isaka dry port", "Distance km": "440", "Duration": "9"},  # 9
            {"Origin": "Goma", "Destination": "Huye", "Distance km": "295", "Duration": ""},  # 10: the way back
        ]
    )
    report = importing.run_import(uow(admin), admin, "distances", "distances.csv", content)
    assert report.imported == 3
    assert {(e.row, e.column) for e in report.errors} == {(3, "to"), (4, "km"), (5, "to"), (6, "to"), (8, "from")}
    assert {(d.row, d.action) for d in report.duplicates} == {(6, "refused"), (7, "skipped")}
    assert any("Atlantis" in line for line in report.lines("en"))
    assert any("Rusumo, RW" in line or "Rusumo, TZ" in line for line in report.lines("en"))  # how to write it
    header, rejected = report.rejected_table("en")
    assert [r[0] for r in rejected] == ["3", "4", "5", "6", "7", "8"] and header[:2] == ["Row", "Reason"]
    assert table_rows(uow) == before + 3
    huye, goma, kigali = place_id(uow, "Huye"), place_id(uow, "Goma"), place_id(uow, "Kigali")
    there = transport.distance(uow(admin), huye, goma)
    assert there.km == Decimal("290.0") and there.hours == Decimal("7.50") and there.source == "table"
    assert transport.distance(uow(admin), goma, huye).km == Decimal("295.0")
    assert transport.distance(uow(admin), kigali, huye).km == Decimal("135.0")  # skipped: unchanged


def test_a_pair_already_in_the_table_is_replaced_when_the_person_chooses_so(uow, admin):
    content = csv_of([{"from": "Kigali", "to": "Huye", "km": "140", "hours": "3.5"}])
    report = importing.run_import(uow(admin), admin, "distances", "d.csv", content, duplicates="import")
    assert report.imported == 1 and [d.action for d in report.duplicates] == ["imported"]
    found = transport.distance(uow(admin), place_id(uow, "Kigali"), place_id(uow, "Huye"))
    assert found.km == Decimal("140.0") and found.hours == Decimal("3.50")


def test_a_dry_run_checks_every_row_and_saves_nothing(uow, admin):
    before = table_rows(uow)
    content = csv_of([{"from": "Huye", "to": "Goma", "km": "290", "hours": ""}])
    report = importing.run_import(uow(admin), admin, "distances", "d.csv", content, dry_run=True)
    assert report.imported == 1 and report.dry_run
    assert table_rows(uow) == before


def test_places_are_imported_from_excel_with_their_client_sites(uow, admin):
    from core.services.crm import ClientInput, create_client, get_client

    client = create_client(uow(admin), admin, ClientInput(name="Sulfo Rwanda", phone="0788 500 600"))
    code = get_client(uow(admin), admin, client)["code"]
    sheet = pd.DataFrame(
        [
            {
                "Place": "Sulfo Gikondo",
                "Type": "client site",
                "Country": "RW",
                "Lat": "-1.975",
                "Lng": "30.07",
                "Client": code,
            },
            {"Place": "Kabale", "Type": "town", "Country": "Uganda", "Lat": "1°15′S", "Lng": "29°59′E", "Client": ""},
            {"Place": "Huye", "Type": "town", "Country": "RW", "Lat": "-2.6", "Lng": "29.7", "Client": ""},  # exists
            {"Place": "Kabale", "Type": "town", "Country": "UG", "Lat": "-1.25", "Lng": "29.98", "Client": ""},  # again
            {"Place": "Far away", "Type": "harbour", "Country": "XX", "Lat": "-95", "Lng": "30", "Client": "C9999"},
        ]
    )
    out = io.BytesIO()
    sheet.to_excel(out, index=False)
    report = importing.run_import(uow(admin), admin, "places", "places.xlsx", out.getvalue())
    assert report.imported == 2
    assert {(e.row, e.column) for e in report.errors} == {
        (4, "name"),
        (5, "name"),
        (6, "kind"),
        (6, "country"),
        (6, "latitude"),
        (6, "client_code"),
    }
    assert {(d.row, d.action) for d in report.duplicates} == {(4, "refused"), (5, "refused")}
    kabale = transport.export_places(uow(admin), admin, ListQuery(search="kabale"))
    assert [(r["country"], r["latitude"]) for r in kabale] == [("UG", Decimal("-1.250000"))]
    with uow(None) as u:
        site = u.session.scalar(select(Place).where(Place.name == "Sulfo Gikondo"))
        assert site.kind == "client_site" and site.client_id == client


def test_the_templates_import_as_they_are(uow, admin):
    for kind in ("places", "distances"):
        report = importing.run_import(uow(admin), admin, kind, f"{kind}.csv", transport.template_csv(kind))
        assert not report.errors, (kind, report.lines("en"))
        assert report.imported + len(report.duplicates) == 1  # the distance example is in the seed already


def test_the_lists_are_exported_as_the_catalog_shows_them(uow, admin):
    data, count = importing.export_file(uow(admin), admin, "places", "csv")
    assert count >= 22 and b"Kigali" in data
    data, count = importing.export_file(uow(admin), admin, "distances", "xlsx")
    assert count >= 30 and data[:2] == b"PK"
