"""The little traps of the forms (issue 12, items 8 and 10), held where a test can hold them:
a receipt's fields start afresh after posting and its lines show their values before it;
a saved segment is the one the picker shows; the employee header has no dangling
separators; the merge confirmation names both clients with their codes; a likely
duplicate client is named at save time and saved only when confirmed; a renewal."""

from __future__ import annotations

from sqlalchemy import select

from tests.app.test_pages import run_page


def factory(app_db):  # type: ignore[no-untyped-def]
    from db.session import engine_for

    return engine_for(app_db.sqlalchemy_url)[1]


def by_label(widgets, label: str):  # type: ignore[no-untyped-def]
    found = [w for w in widgets if w.label == label]
    assert found, [w.label for w in widgets]
    return found[-1]


def test_a_receipt_shows_its_totals_before_posting_and_the_next_starts_afresh(app_db, actors):
    from db.models.stock import Item

    with factory(app_db)() as s:
        barcode = s.scalar(select(Item.barcode).where(Item.article == "FUEL-DSL"))
    at = run_page("stock_documents", actors["warehouse_keeper"], stock_documents_mode="add")
    assert not at.exception, at.exception
    by_label(at.text_input, "Supplier").input("Engen Rwanda")
    by_label(at.text_input, "Basis (order, repair, reason)").input("PO-17")
    by_label(at.number_input, "Quantity per scan").set_value(12.5)
    by_label(at.text_input, "Unit price").input("1639.50")
    at.run()
    by_label(at.text_input, "Scan or type a barcode, then Enter").input(barcode)
    at.run()
    assert not at.exception, at.exception
    # 12.5 l at 1,639.50: the line's value and the total, before posting, in the reader's format
    assert "**Total: 20,493.75**" in [m.value for m in at.markdown]
    grid = at.dataframe[-1].value
    assert list(grid["total"]) == ["20,493.75"] and list(grid["quantity"]) == ["12.5"]

    by_label(at.button, "Post").click()
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    by_label(at.button, "New invoice").click()
    at.run()
    # the next invoice carries nothing of the last one into its scans
    assert by_label(at.text_input, "Supplier").value == ""
    assert by_label(at.text_input, "Basis (order, repair, reason)").value == ""
    assert by_label(at.text_input, "Unit price").value == ""
    assert by_label(at.number_input, "Quantity per scan").value == 1.0
    assert not [m.value for m in at.markdown if m.value.startswith("**Total")]  # no lines


def work(app_db, actor):  # type: ignore[no-untyped-def]
    from db.session import UnitOfWork

    return UnitOfWork(factory(app_db), actor)


def test_a_saved_segment_is_the_one_the_picker_shows(app_db, actors):
    from core.services import crm

    director = actors["director"]
    at = run_page("segments", director)
    assert by_label(at.selectbox, "Open a saved segment").value is None  # "New segment"
    by_label(at.text_input, "Segment name *").input("Dormant key accounts (test)")
    by_label(at.button, "Save segment").click()
    at.run()
    assert not at.exception, at.exception
    saved = {s["name"]: s["id"] for s in crm.list_segments(work(app_db, director), director)}
    picker = by_label(at.selectbox, "Open a saved segment")
    assert picker.value == saved["Dormant key accounts (test)"]
    assert by_label(at.text_input, "Segment name *").value == "Dormant key accounts (test)"
    picker.set_value(None)  # and a new segment starts empty again
    at.run()
    assert by_label(at.text_input, "Segment name *").value == ""


def test_the_employee_header_shows_only_the_facts_it_has(app_db, actors):
    from core.services import employees, staff_catalogs
    from core.services.employees import EmployeeInput

    admin = actors["administrator"]
    bare = employees.create_employee(work(app_db, admin), admin, EmployeeInput(full_name="Aline Bare"))
    garage = next(
        e["id"] for e in staff_catalogs.list_entries(work(app_db, admin), admin, "department") if e["name"] == "Garage"
    )
    some = employees.create_employee(
        work(app_db, admin), admin, EmployeeInput(full_name="Eric Garage", department_id=garage)
    )
    try:
        for eid, name, facts in ((bare, "Aline Bare", ""), (some, "Eric Garage", " · Garage")):
            at = run_page("employees", admin, employees_selected=eid)
            code = employees.get_employee(work(app_db, admin), admin, eid)["code"]
            assert f"### {name}  \n`{code}`{facts}" in [m.value for m in at.markdown]
    finally:  # the demo's counts stay as other page tests read them
        for eid in (bare, some):
            employees.set_archived(work(app_db, admin), admin, eid, True)


def test_the_merge_confirmation_names_both_clients_with_their_codes(app_db, actors):
    from core.services import crm
    from core.services.crm import ClientInput

    sales = actors["sales_manager"]
    first = crm.create_client(work(app_db, sales), sales, ClientInput(name="Twin Hauliers (test)"))
    second = crm.create_client(work(app_db, sales), sales, ClientInput(name="Twin Hauliers (test)"), confirmed=[first])
    try:
        codes = [crm.get_client(work(app_db, sales), sales, c)["code"] for c in (first, second)]
        at = run_page("clients", sales, clients_selected=first)
        assert not at.exception, at.exception
        shown = [w.value for w in at.warning]
        expected = (
            f"Twin Hauliers \\(test\\) (`{codes[1]}`) will be merged into Twin Hauliers \\(test\\) (`{codes[0]}`). "
            "This cannot be undone."
        )
        assert expected.replace("\\(", "(").replace("\\)", ")") in shown, shown
    finally:
        for c in (first, second):
            crm.set_client_archived(work(app_db, sales), sales, c, True)


def test_a_likely_duplicate_client_is_named_and_saved_only_when_confirmed(app_db, actors):
    from sqlalchemy import func

    from core.services import crm
    from core.services.crm import ClientInput
    from db.models.crm import Client

    sales = actors["sales_manager"]
    first = crm.create_client(
        work(app_db, sales),
        sales,
        ClientInput(name="Nyabugogo Movers (test)", phone="0788 404 404", email="office@nyabugogo.rw"),
    )

    def count() -> int:
        with factory(app_db)() as s:
            return s.scalar(select(func.count()).select_from(Client).where(Client.name == "Nyabugogo Movers (test)"))

    code = crm.get_client(work(app_db, sales), sales, first)["code"]
    at = run_page("clients", sales, clients_mode="add")
    by_label(at.text_input, "Legal name or full name *").input("Nyabugogo Movers (test)")
    by_label(at.text_input, "Phone").input("+250 788 404 404")
    by_label(at.text_input, "E-mail").input("Office@Nyabugogo.rw")
    by_label(at.button, "Save").click()
    at.run()
    assert not at.exception, at.exception
    [warning] = [w.value for w in at.warning if "may already be saved" in w.value]
    assert (
        f"`{code}`" in warning
        and "+250 788 404 404" in warning
        and "office@nyabugogo.rw" in warning.replace("\u2060", "")
    )
    assert count() == 1  # nothing saved yet
    by_label(at.button, "Save anyway: it is another client").click()
    at.run()
    assert not at.exception, at.exception
    assert count() == 2
    with factory(app_db)() as s:
        for cid in s.scalars(select(Client.id).where(Client.name == "Nyabugogo Movers (test)")):
            crm.set_client_archived(work(app_db, sales), sales, cid, True)


def test_a_tin_that_is_not_a_tin_is_refused_at_its_field(app_db, actors):
    at = run_page("clients", actors["sales_manager"], clients_mode="add")
    tin = by_label(at.text_input, "Tax id (TIN)")
    assert "9 digits" in str(tin.help)
    by_label(at.text_input, "Legal name or full name *").input("Umuganda Freight (test)")
    tin.input("ABC")
    by_label(at.button, "Save").click()
    at.run()
    assert "A Rwandan TIN is 9 digits (for example 102 345 678)." in [e.value for e in at.error]


def test_an_expired_document_is_renewed_from_its_card(app_db, actors):
    import datetime as dt

    from core.services import fleet
    from core.services.fleet import DocumentInput, UnitInput
    from core.services.settings import company_today

    admin = actors["administrator"]
    with factory(app_db)() as s:
        today = company_today(s)
    unit = fleet.create_unit(work(app_db, admin), admin, UnitInput(unit_type="truck", plate="RAZ 999 Z"))
    insurance = next(
        d["id"] for d in fleet.list_document_types(work(app_db, admin), admin, "vehicle") if d["name"] == "Insurance"
    )
    ends = today - dt.timedelta(days=2)
    fleet.save_document(
        work(app_db, admin),
        admin,
        DocumentInput(type_id=insurance, valid_to=ends, valid_from=ends - dt.timedelta(days=364), issuer="Radiant"),
        vehicle_id=unit,
    )
    try:
        at = run_page("vehicles", admin, vehicles_selected=unit)
        by_label(at.button, "Renew").click()
        at.run()
        # the renewal form comes first, under its document; the add form last
        assert [w.value for w in at.text_input if w.label == "Issued by"] == ["Radiant", ""]
        assert next(w.value for w in at.date_input if w.label == "Valid from") == ends + dt.timedelta(days=1)
        assert next(w.value for w in at.date_input if w.label == "Valid to *") == ends + dt.timedelta(days=365)
        next(w for w in at.text_input if w.label == "Number").input("RAD-2027")
        by_label(at.button, "Save renewal").click()
        at.run()
        assert not at.exception, at.exception
        docs = fleet.list_documents(work(app_db, admin), admin, vehicle_id=unit)
        assert [(d["number"], d["replaced"]) for d in docs] == [("RAD-2027", False), ("", True)]
        assert any("Replaced" in m.value for m in at.markdown)
    finally:
        fleet.set_unit_archived(work(app_db, admin), admin, unit, True)
