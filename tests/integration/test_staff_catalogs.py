"""Positions and departments are catalogs (issue 12, item 8): an employee chooses an entry,
a typo cannot make a new department, the filters list the entries, an entry is renamed,
archived or merged once for everyone; the free texts typed before become entries
(migration 0017); the drivers' import maps its text to the entry."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from common.errors import DomainError, PermissionDenied, ValidationError
from common.roles import DISPATCHER
from core.imports import read_table
from core.services import employees, staff_catalogs
from core.services.employees import EmployeeInput
from core.services.fleet import import_drivers, template_csv
from core.services.listing import ListQuery
from tests.conftest import fresh_database
from tests.integration.conftest import make_user
from tests.integration.test_stock_migration import alembic


def add(uow, actor, kind: str, name: str) -> int:
    return staff_catalogs.save_entry(uow(actor), actor, kind, name)


def entry(uow, actor, kind: str, name: str) -> int:
    """The entry of this name (a new install has the usual ones), added when missing."""
    found = [e["id"] for e in staff_catalogs.list_entries(uow(actor), actor, kind, True) if e["name"] == name]
    return found[0] if found else add(uow, actor, kind, name)


def names(uow, actor, kind: str, include_archived: bool = False) -> list[str]:
    return [e["name"] for e in staff_catalogs.list_entries(uow(actor), actor, kind, include_archived)]


def test_a_new_install_starts_with_the_usual_positions_and_departments(uow, admin):
    assert {"Driver", "Mechanic", "Dispatcher"} <= set(names(uow, admin, "position"))
    assert {"Transport", "Garage", "Warehouse"} <= set(names(uow, admin, "department"))


def test_a_name_is_unique_in_its_catalog_whatever_its_case_and_spacing(uow, admin):
    before = names(uow, admin, "department")
    add(uow, admin, "department", "Body shop")
    with pytest.raises(ValidationError) as err:
        add(uow, admin, "department", "  bODY   shop ")
    assert set(err.value.errors) == {"name"}
    assert add(uow, admin, "position", "Body shop")  # another catalog: allowed
    with pytest.raises(ValidationError):
        add(uow, admin, "position", "   ")
    assert sorted(names(uow, admin, "department")) == sorted([*before, "Body shop"])


def test_an_employee_takes_an_entry_and_the_list_shows_its_name(uow, admin):
    mechanic, garage = entry(uow, admin, "position", "Mechanic"), entry(uow, admin, "department", "Garage")
    eid = employees.create_employee(
        uow(admin), admin, EmployeeInput(full_name="Eric Habimana", position_id=mechanic, department_id=garage)
    )
    card = employees.get_employee(uow(admin), admin, eid)
    assert (card["position"], card["department"]) == ("Mechanic", "Garage")
    row = employees.list_employees(uow(admin), admin, ListQuery()).rows[0]
    assert (row["position"], row["department"]) == ("Mechanic", "Garage")
    # a position is not a department, and an id that is no entry is refused at its field
    with pytest.raises(ValidationError) as err:
        employees.create_employee(
            uow(admin), admin, EmployeeInput(full_name="Aline Uwase", position_id=garage, department_id=999_999)
        )
    assert set(err.value.errors) == {"position", "department"}


def test_the_filter_lists_the_entries_and_filters_by_entry(uow, admin):
    garage, office = entry(uow, admin, "department", "Garage"), add(uow, admin, "department", "Office")
    for i, department in enumerate([garage, garage, office]):
        employees.create_employee(uow(admin), admin, EmployeeInput(full_name=f"Person {i}", department_id=department))
    options = employees.filter_options(uow(admin), admin)["department"]
    assert (garage, "Garage") in options and (office, "Office") in options
    assert [name for _, name in options] == sorted((name for _, name in options), key=str.lower)
    page = employees.list_employees(uow(admin), admin, ListQuery(filters=(("department", str(garage)),)))
    assert page.total == 2 and {r["department"] for r in page.rows} == {"Garage"}
    nothing = employees.list_employees(uow(admin), admin, ListQuery(filters=(("department", "Garage"),)))
    assert nothing.total == 0  # a filter value that is no entry's id matches no one


def test_the_search_finds_employees_by_their_position_or_department(uow, admin):
    tyres = entry(uow, admin, "position", "Tyre technician")
    employees.create_employee(uow(admin), admin, EmployeeInput(full_name="Jean Mugisha", position_id=tyres))
    employees.create_employee(uow(admin), admin, EmployeeInput(full_name="Aline Uwase"))
    found = employees.list_employees(uow(admin), admin, ListQuery(search="tyre tech"))
    assert [r["full_name"] for r in found.rows] == ["Jean Mugisha"]


def test_renaming_an_entry_renames_it_on_every_card(uow, admin):
    typo = add(uow, admin, "department", "Spare parst")
    eid = employees.create_employee(uow(admin), admin, EmployeeInput(full_name="Aline Uwase", department_id=typo))
    staff_catalogs.save_entry(uow(admin), admin, "department", "Spare parts", typo, expected_version=1)
    assert employees.get_employee(uow(admin), admin, eid)["department"] == "Spare parts"
    with pytest.raises(ValidationError):  # the name of another entry is not taken
        staff_catalogs.save_entry(uow(admin), admin, "department", "garage", typo, expected_version=2)
    with pytest.raises(DomainError):  # the screen showed version 1; it was saved since
        staff_catalogs.save_entry(uow(admin), admin, "department", "Stores", typo, expected_version=1)


def test_an_archived_entry_is_not_offered_but_a_card_that_has_it_keeps_it(uow, admin):
    old = add(uow, admin, "position", "Telex operator")
    eid = employees.create_employee(uow(admin), admin, EmployeeInput(full_name="Old Timer", position_id=old))
    staff_catalogs.set_entry_archived(uow(admin), admin, "position", old, True)
    assert "Telex operator" not in names(uow, admin, "position")
    assert "Telex operator" in names(uow, admin, "position", include_archived=True)
    # the card is saved again with its own (archived) entry: accepted
    employees.update_employee(
        uow(admin), admin, eid, EmployeeInput(full_name="Old Timer", phone="0788123456", position_id=old)
    )
    with pytest.raises(ValidationError) as err:  # a new card cannot take it
        employees.create_employee(uow(admin), admin, EmployeeInput(full_name="New Hire", position_id=old))
    assert set(err.value.errors) == {"position"}
    with pytest.raises(ValidationError):  # an archived name is restored, not typed again
        add(uow, admin, "position", "telex operator")


def test_merging_a_duplicate_moves_its_employees_and_archives_it(uow, admin):
    kept, typo = entry(uow, admin, "department", "Transport"), add(uow, admin, "department", "Transprot")
    a = employees.create_employee(uow(admin), admin, EmployeeInput(full_name="A Driver", department_id=typo))
    b = employees.create_employee(uow(admin), admin, EmployeeInput(full_name="B Driver", department_id=typo))
    employees.set_archived(uow(admin), admin, b, True)  # archived cards move too
    assert staff_catalogs.merge_entry(uow(admin), admin, "department", typo, kept) == 2
    assert {employees.get_employee(uow(admin), admin, i)["department"] for i in (a, b)} == {"Transport"}
    entries = {e["name"]: e for e in staff_catalogs.list_entries(uow(admin), admin, "department", True)}
    assert entries["Transprot"]["archived"] and entries["Transport"]["employees"] == 1
    with pytest.raises(DomainError):
        staff_catalogs.merge_entry(uow(admin), admin, "department", kept, kept)


def test_only_those_who_edit_employees_edit_the_catalogs(uow, admin):
    dispatcher = make_user(uow, admin, "disp", DISPATCHER)
    assert "Driver" in names(uow, dispatcher, "position")  # may read (the employees' filters)
    with pytest.raises(PermissionDenied):
        add(uow, dispatcher, "position", "Driver")


def test_the_drivers_import_maps_its_text_to_the_entry_and_creates_it_only_when_missing(uow, admin):
    driver = entry(uow, admin, "position", "Driver")
    staff_catalogs.save_entry(uow(admin), admin, "position", "driver", driver)  # the company's own spelling
    transport = entry(uow, admin, "department", "Transport")
    staff_catalogs.save_entry(uow(admin), admin, "department", "Logistics", transport)  # no "Transport" now
    positions, departments = names(uow, admin, "position", True), names(uow, admin, "department", True)
    rows = read_table("drivers.csv", template_csv("driver"))
    assert import_drivers(uow(admin), admin, rows).imported == 1
    imported = employees.list_employees(uow(admin), admin, ListQuery()).rows[0]
    assert (imported["position"], imported["department"]) == ("driver", "Transport")
    assert names(uow, admin, "position", True) == positions  # found whatever its case: none added
    assert sorted(names(uow, admin, "department", True)) == sorted([*departments, "Transport"])  # made once


def test_the_texts_typed_before_become_entries_and_employees_keep_them(database):
    location = fresh_database(database, "twara_staff_catalogs")
    alembic(location, "downgrade", "0017-1")
    engine = create_engine(location.sqlalchemy_url)
    typed = [
        ("Garage", "Mechanic"),
        ("garage ", "Mechanic"),
        ("Garage", "mechanic"),
        ("Garag", "Tyre   technician"),
        (None, "  "),
        ("Transport", None),
    ]
    with engine.begin() as conn:
        for i, (department, position) in enumerate(typed, start=1):
            conn.execute(
                text("INSERT INTO employee (code, full_name, department, position) VALUES (:c, :n, :d, :p)"),
                {"c": f"E{i:06d}", "n": f"Person {i}", "d": department, "p": position},
            )
    alembic(location, "upgrade", "head")
    with engine.connect() as conn:
        entries = conn.execute(text("SELECT kind, name FROM staff_catalog ORDER BY kind, lower(name)")).all()
        assert [tuple(r) for r in entries] == [
            ("department", "Garag"),
            ("department", "Garage"),  # the spelling most cards had, once
            ("department", "Transport"),
            ("position", "Mechanic"),
            ("position", "Tyre technician"),
        ]
        cards = conn.execute(
            text(
                "SELECT e.code, d.name, p.name FROM employee e LEFT JOIN staff_catalog d ON d.id = e.department_id "
                "LEFT JOIN staff_catalog p ON p.id = e.position_id ORDER BY e.code"
            )
        ).all()
        assert [tuple(r)[1:] for r in cards] == [
            ("Garage", "Mechanic"),
            ("Garage", "Mechanic"),
            ("Garage", "Mechanic"),
            ("Garag", "Tyre technician"),
            (None, None),
            ("Transport", None),
        ]
    alembic(location, "downgrade", "0017-1")  # and back: the texts return from the catalog
    with engine.connect() as conn:
        back = conn.execute(text("SELECT department, position FROM employee ORDER BY code")).all()
        assert [tuple(r) for r in back][3] == ("Garag", "Tyre technician")
    alembic(location, "upgrade", "head")
    engine.dispose()
