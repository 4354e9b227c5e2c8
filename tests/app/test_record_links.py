"""A row of the activity log, of Documents due and an item of the plan open the record they
speak of (issue 12, item 7): the screen of the record, with the record selected. The grid's
click and the "Open record" box under it go the same way (ui.links.follow); the box is the
one a test can drive."""

from __future__ import annotations

import pytest

from core.services import crm
from core.services.activity import list_activity, log_references
from core.services.fleet import documents_due
from core.services.listing import ListQuery
from tests.app.test_pages import run_page


@pytest.fixture(scope="module")
def factory(app_db):  # type: ignore[no-untyped-def]
    from db.session import engine_for

    return engine_for(app_db.sqlalchemy_url)[1]


def _uow(factory, actor):  # type: ignore[no-untyped-def]
    from db.session import UnitOfWork

    return UnitOfWork(factory, actor)


def _open_box(at):  # type: ignore[no-untyped-def]
    return next(s for s in at.selectbox if s.label == "Open record")


def test_an_invoice_line_in_the_activity_log_opens_its_invoice(app_db, actors, factory):
    admin = actors["administrator"]
    q = ListQuery(filters=(("entity_type", "stock_document_line"),), sort="at", descending=True, page_size=100)
    rows = list_activity(_uow(factory, admin), admin, q, None, None).rows
    newest = rows[0]
    invoice = log_references(_uow(factory, admin), admin, [newest])[("stock_document_line", newest["entity_id"])]
    at = run_page("activity", admin, activity_entity="stock_document_line")
    assert not at.exception, at.exception
    box = _open_box(at)
    assert len(box.options) == len(rows) + 1  # every row of the page, after the empty choice
    box.select_index(1).run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Invoices"]
    assert invoice.opens is not None and at.session_state["stock_documents_selected"] == invoice.opens[1]


def test_a_row_on_a_screen_the_role_may_not_open_has_no_link(app_db, actors):
    at = run_page("activity", actors["director"], activity_entity="user")
    assert not at.exception, at.exception
    assert at.get("component_instance")  # the rows are there
    assert [s for s in at.selectbox if s.label == "Open record"] == []  # user accounts: administrators only


def test_a_document_due_opens_its_trailer(app_db, actors, factory):
    dispatcher = actors["dispatcher"]
    due = documents_due(
        _uow(factory, dispatcher), dispatcher, 90, ListQuery(filters=(("kind", "trailer"),), page_size=100)
    )
    assert due.rows, "the demo has trailer documents ending within 90 days"
    at = run_page("documents_due", dispatcher, docsdue_kind="trailer", docsdue_days=90)
    assert not at.exception, at.exception
    _open_box(at).select_index(1).run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Trailers"]
    assert at.session_state["trailers_selected"] == due.rows[0]["owner_id"]


def test_a_plan_item_opens_the_clients_file(app_db, actors, factory):
    sales = actors["sales_manager"]
    plan = crm.daily_plan(_uow(factory, sales), sales)
    items = [*plan["follow_ups"], *plan["appointments"]]
    assert items, "the demo gives the sales manager something to do today"
    at = run_page("plan", sales)
    assert not at.exception, at.exception
    buttons = [b for b in at.button if b.label == "Client file"]
    assert len(buttons) == len(items)
    buttons[0].click().run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Clients"]
    assert at.session_state["clients_selected"] == items[0]["client_id"]
