"""A client, an employee and a notice named like a phishing link are shown as typed, and the
markdown Streamlit receives holds no link, no image and no directive of theirs (issue 11,
item 11: the name showed a live link and made the browser fetch the image)."""

from __future__ import annotations

import re

import pytest

from tests.app.test_pages import run_page
from ui.markdown import unescape

HOSTILE = "[Pay here](https://evil.example/pay) ![x](http://127.0.0.1:9/t.png)"
LIVE = [
    re.compile(r"(?<!\\)\]\("),  # ](  a link or an image
    re.compile(r"(?<!\\)!\["),  # ![  an image
    re.compile(r"https?://"),  # a bare address, linked by Streamlit after parsing
    re.compile(r"(?<!\\):[a-z][a-z0-9-]*\["),  # :red[  a directive
]


@pytest.fixture(scope="module")
def hostile(app_db, actors):  # type: ignore[no-untyped-def]
    """The three records, made through the services; the employee is archived afterwards so
    the counts other page tests read stay as the demo made them."""
    from core.services import crm, employees, staff_catalogs
    from core.services.crm import ClientInput
    from core.services.employees import EmployeeInput
    from core.services.notifications import Notice, notify
    from db.session import UnitOfWork, engine_for

    factory = engine_for(app_db.sqlalchemy_url)[1]
    admin, sales = actors["administrator"], actors["sales_manager"]
    client_id = crm.create_client(UnitOfWork(factory, sales), sales, ClientInput(name=HOSTILE, region=HOSTILE))
    position = staff_catalogs.save_entry(UnitOfWork(factory, admin), admin, "position", HOSTILE)
    departments = staff_catalogs.list_entries(UnitOfWork(factory, admin), admin, "department")
    garage = next(e["id"] for e in departments if e["name"] == "Garage")
    employee_id = employees.create_employee(
        UnitOfWork(factory, admin), admin, EmployeeInput(full_name=HOSTILE, position_id=position, department_id=garage)
    )
    uow = UnitOfWork(factory, admin)
    with uow:
        notify(
            uow.session,
            [admin.user_id],
            Notice(
                kind="low_stock",
                title="{item} is running low in {store}",
                body="{left} {unit} left; reorder level {level}. Suggested order: {level} {unit}.",
                params=(("item", HOSTILE), ("store", "Kigali"), ("left", 1), ("unit", "l"), ("level", 5)),
                dedupe_key="markdown-injection-test",
            ),
        )
        uow.commit()
    yield {"client": client_id, "employee": employee_id}
    employees.set_archived(UnitOfWork(factory, admin), admin, employee_id, True)
    staff_catalogs.set_entry_archived(UnitOfWork(factory, admin), admin, "position", position, True)


def _markdown_texts(at) -> list[str]:  # type: ignore[no-untyped-def]
    """Every text of the run that Streamlit renders as markdown."""
    texts = [e.value for kind in ("markdown", "caption", "title", "header", "subheader") for e in at.get(kind)]
    texts += [e.value for kind in ("error", "warning", "info", "success", "toast") for e in at.get(kind)]
    labelled = ("button", "expander", "tab", "text_input", "checkbox", "toggle")
    texts += [e.label for kind in labelled for e in at.get(kind)]
    return [str(t) for t in texts]


def _shows_the_name_safely(at) -> None:  # type: ignore[no-untyped-def]
    assert not at.exception, at.exception
    texts = _markdown_texts(at)
    holding = [t for t in texts if HOSTILE in unescape(t)]
    assert holding, texts  # the name is on screen, as typed once the escapes are read
    for text in holding:  # (our own markdown around it may hold a directive: a badge, a colour)
        for live in LIVE:
            assert not live.search(text.replace(":red-badge[", "").replace(":blue[", "")), (live.pattern, text)


def test_the_client_file_shows_a_hostile_name_as_typed(hostile, actors):
    at = run_page("clients", actors["sales_manager"], clients_selected=hostile["client"])
    _shows_the_name_safely(at)
    header = next(m.value for m in at.markdown if m.value.startswith("### "))
    assert unescape(header).startswith(f"### {HOSTILE}")


def test_the_employee_card_shows_a_hostile_name_as_typed(hostile, actors):
    at = run_page("employees", actors["administrator"], employees_selected=hostile["employee"])
    _shows_the_name_safely(at)
    header = next(m.value for m in at.markdown if m.value.startswith("### "))
    assert unescape(header).splitlines()[0].rstrip() == f"### {HOSTILE}"


@pytest.mark.parametrize("page", ["home", "inbox"])
def test_a_notice_about_a_hostile_name_is_shown_as_typed(hostile, actors, page):
    at = run_page(page, actors["administrator"])
    _shows_the_name_safely(at)
    assert any(f"{HOSTILE} is running low in Kigali" in unescape(m.value) for m in at.markdown)
