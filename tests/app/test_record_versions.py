"""An edit form on screen is not a lost update: a record saved behind the form's back is not
overwritten by the form's save; the refusal shows at the form (issue 11, item 4)."""

from __future__ import annotations

from core.services import crm, employees
from core.services.crm import ClientInput
from core.services.employees import EmployeeInput
from db.session import UnitOfWork, engine_for
from tests.app.test_pages import run_page


def _work(app_db, actor) -> UnitOfWork:  # type: ignore[no-untyped-def]
    return UnitOfWork(engine_for(app_db.sqlalchemy_url)[1], actor)


def _submit(at, label: str):  # type: ignore[no-untyped-def]
    return at.button[[b.label for b in at.button].index(label)].click().run()


def test_an_employee_changed_behind_the_form_is_not_overwritten_by_its_save(app_db, actors):
    admin, director = actors["administrator"], actors["director"]
    eid = employees.create_employee(_work(app_db, admin), admin, EmployeeInput(full_name="Claudine Uwimana"))
    at = run_page("employees", admin, employees_selected=eid)
    assert not at.exception
    fields = {ti.label: ti for ti in at.text_input}
    fields["Full name *"].input("Claudine Uwimana-Mugabo")

    # meanwhile the director corrects the phone on her own screen
    employees.update_employee(
        _work(app_db, director), director, eid, EmployeeInput(full_name="Claudine Uwimana", phone="0788000111")
    )
    at = _submit(at, "Save changes")

    assert not at.exception
    refusals = [e.value for e in at.error]
    assert any("Changed by" in e and "nothing was saved" in e for e in refusals), refusals
    now = employees.get_employee(_work(app_db, admin), admin, eid)
    assert (now["full_name"], now["phone"]) == ("Claudine Uwimana", "+250 788 000 111")


def test_a_client_changed_behind_the_form_is_not_overwritten_by_its_save(app_db, actors):
    admin, director = actors["administrator"], actors["director"]
    cid = crm.create_client(_work(app_db, admin), admin, ClientInput(name="Murenzi Hauliers", region="Huye"))
    at = run_page("clients", admin, clients_selected=cid)
    assert not at.exception
    fields = {ti.label: ti for ti in at.text_input}
    fields["Legal name or full name *"].input("Murenzi Hauliers Ltd")

    crm.update_client(_work(app_db, director), director, cid, ClientInput(name="Murenzi Hauliers", region="Rubavu"))
    at = _submit(at, "Save")

    assert not at.exception
    assert any("Changed by" in e.value for e in at.error), [e.value for e in at.error]
    now = crm.get_client(_work(app_db, admin), admin, cid)
    assert (now["name"], now["region"]) == ("Murenzi Hauliers", "Rubavu")
