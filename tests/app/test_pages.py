"""Every page renders with no exception for every role that may open it, and refuses the others."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from common.roles import PAGE_ACCESS, ROLES
from ui.navigation import PAGE_PATHS

ROOT = Path(__file__).resolve().parents[2]
CASES = [(page, role) for page in PAGE_ACCESS for role in ROLES]


def run_page(page: str, actor, **state) -> AppTest:  # type: ignore[no-untyped-def]
    """Open a page as a user does: through the shell (app.py), whose gate checks the session
    and whose navigation offers the page only to the roles that may open it."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["auth_actor"] = actor
    for key, value in state.items():
        at.session_state[key] = value
    if Path(PAGE_PATHS[page]).stem != page:
        # AppTest finds a page by its file's name until a run has registered the pages' url
        # paths (the shell's `url_path=entry.key`): pages/stock/documents.py is stock_documents
        at.run()
    at.switch_page(PAGE_PATHS[page])
    return at.run()


def run_page_alone(page: str, actor) -> AppTest:  # type: ignore[no-untyped-def]
    """The page's script by itself: its own check must refuse a role even without the shell."""
    at = AppTest.from_file(str(ROOT / PAGE_PATHS[page]), default_timeout=60)
    at.session_state["auth_actor"] = actor
    return at.run()


def texts(at: AppTest) -> str:
    parts = [e.value for e in at.error] + [m.value for m in at.markdown] + [t.value for t in at.title]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("page, role", CASES)
def test_page_renders_for_allowed_roles_and_is_refused_to_the_others(app_db, actors, page, role):
    if role in PAGE_ACCESS[page]:
        at = run_page(page, actors[role])
        assert not at.exception, at.exception
        assert not at.error, [e.value for e in at.error]
        assert "Log in to Twara" not in texts(at)  # the gate let the session through
    else:
        at = run_page_alone(page, actors[role])
        assert not at.exception, at.exception
        assert any("does not allow you to open this page" in e.value for e in at.error)


def test_a_page_asked_for_by_a_role_that_may_not_open_it_is_not_run(app_db, actors):
    at = run_page("users", actors["warehouse_keeper"])
    assert not at.exception
    assert "Users" not in [t.value for t in at.title]
    assert any("Good day" in t.value for t in at.title)  # the shell's start page instead


def test_a_session_that_has_ended_gets_the_login_form(app_db, actors):

    at = run_page("home", replace(actors["director"], session_id=-1))
    assert not at.exception
    assert at.title[0].value == "Log in to Twara"


def test_employees_page_shows_the_selected_record_with_its_tabs(app_db, actors):
    at = run_page("employees", actors["administrator"], employees_selected=1)
    assert not at.exception
    labels = [tab.label for tab in at.tabs]
    assert labels == ["Details", "Driver card", "Attachments", "History"]
    assert any("E000001" in m.value for m in at.markdown)


def test_employees_page_speaks_kinyarwanda(app_db, actors):
    from core.services.users import set_language
    from db.session import UnitOfWork, engine_for

    actor = actors["administrator"]
    factory = engine_for(app_db.sqlalchemy_url)[1]
    set_language(UnitOfWork(factory, actor), actor, "rw")  # as chosen under My account
    try:
        at = run_page("employees", actor)
    finally:
        set_language(UnitOfWork(factory, actor), actor, "en")
    assert not at.exception
    assert at.title[0].value == "Abakozi"
    assert "Shakisha" in [ti.label for ti in at.text_input]


def test_adding_an_employee_with_a_bad_phone_shows_the_error_at_the_field(app_db, actors):
    at = run_page("employees", actors["administrator"], employees_mode="add")
    form_inputs = {ti.label: ti for ti in at.text_input}
    form_inputs["Full name *"].input("Test Person")
    form_inputs["Phone"].input("12345")
    at.button[[b.label for b in at.button].index("Save")].click()
    at.run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("not valid" in e or "not a phone" in e for e in errors), errors


def test_shell_shows_the_first_screen_and_logs_in(app_db, actors):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "Log in to Twara"
    at.text_input[0].input("director")
    at.text_input[1].input("Demo-pass-2026")
    at.button[0].click()
    at.run()
    assert not at.exception
    assert "Good day, director" in at.title[0].value


def test_shell_refuses_a_wrong_password_on_screen(app_db, actors):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.text_input[0].input("director")
    at.text_input[1].input("nope")
    at.button[0].click()
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Wrong user name or password."]


def test_the_next_page_of_a_catalog_comes_from_the_database(app_db, actors):
    at = run_page("employees", actors["administrator"], employees_page=2)
    assert not at.exception
    pager = [m.value for m in at.markdown if m.value.startswith("Page ")]
    assert pager == ["Page 2 of 2 · 94 records"]


def test_the_export_holds_every_filtered_record_with_translated_headers(app_db, actors):
    import io

    from openpyxl import load_workbook

    from core.services.employees import export_employees, filter_options
    from core.services.listing import ListQuery
    from db.session import UnitOfWork, engine_for
    from ui.catalog import Column, export_bytes

    admin = actors["administrator"]
    factory = engine_for(app_db.sqlalchemy_url)[1]
    garage = dict((name, i) for i, name in filter_options(UnitOfWork(factory, admin), admin)["department"])["Garage"]
    rows = export_employees(UnitOfWork(factory, admin), admin, ListQuery(filters=(("department", str(garage)),)))
    assert len(rows) == 10 and {r["department"] for r in rows} == {"Garage"}

    class Cat:  # the two fields export_bytes reads
        key = "employees"
        columns = [Column("code", "Code"), Column("full_name", "Full name"), Column("hire_date", "Hire date", "date")]

    csv_text = export_bytes(Cat, rows, "csv").decode("utf-8-sig").splitlines()  # type: ignore[arg-type]
    assert csv_text[0] == "Code,Full name,Hire date" and len(csv_text) == 11
    sheet = load_workbook(io.BytesIO(export_bytes(Cat, rows, "xlsx"))).active  # type: ignore[arg-type]
    assert [c.value for c in sheet[1]] == ["Code", "Full name", "Hire date"]
    assert sheet.max_row == 11
    # dates are ISO in both files, whatever the reader's language ("18 Feb 2017" no more)
    hired = [r["hire_date"].isoformat() for r in rows]
    assert [line.rsplit(",", 1)[1] for line in csv_text[1:]] == hired
    assert [row[2].value for row in sheet.iter_rows(min_row=2)] == hired


def test_an_export_writes_moments_in_iso_8601_in_the_companys_zone(app_db):
    import datetime as dt

    from ui.catalog import Column, export_bytes

    class Cat:
        key = "log"
        columns = [Column("at", "When", "datetime"), Column("day", "Date", "date"), Column("n", "Number", "number")]

    rows = [{"at": dt.datetime(2017, 2, 18, 12, 5, 9, 123456, tzinfo=dt.UTC), "day": dt.date(2017, 2, 18), "n": 1500}]
    csv_text = export_bytes(Cat, rows, "csv").decode("utf-8-sig").splitlines()  # type: ignore[arg-type]
    assert csv_text[1] == '2017-02-18T14:05:09+02:00,2017-02-18,"1,500"'  # Kigali, UTC+2
