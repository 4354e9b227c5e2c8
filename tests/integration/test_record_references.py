"""The records a page of the activity log speaks of are named, with the record a screen
opens for each, in one query for the page (issue 12, items 4 and 7)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import event, select

from core.services import crm, fleet, stock
from core.services.activity import history, list_activity, log_references
from core.services.crm import ClientInput, ContactInput
from core.services.fleet import DocumentInput, UnitInput
from core.services.listing import ListQuery
from core.services.records import RecordRef, column_kinds, describe_records, keys_in
from core.services.stock import DocumentInput as StockDocumentInput
from core.services.stock import ItemInput, LineInput
from db.models.fleet import DocumentType
from tests.clock import TODAY
from tests.integration.conftest import make_user


def _queries(engine):  # type: ignore[no-untyped-def]
    """A list that fills with the SELECTs the engine runs while it is listened to."""
    seen: list[str] = []

    def listen(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith(("SELECT", "(SELECT", "WITH")):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", listen)
    return seen, lambda: event.remove(engine, "before_cursor_execute", listen)


def _world(uow, admin, session_factory):  # type: ignore[no-untyped-def]
    truck = fleet.create_unit(uow(admin), admin, UnitInput(unit_type="tractor", plate="RAB 123 A"), odometer_km=1000)
    trailer = fleet.create_unit(uow(admin), admin, UnitInput(unit_type="trailer", plate="RL 4567"))
    with session_factory() as s:
        insurance = s.scalar(select(DocumentType.id).where(DocumentType.applies_to == "trailer").limit(1))
    fleet.save_document(
        uow(admin), admin, DocumentInput(type_id=insurance, valid_to=TODAY + dt.timedelta(days=90)), vehicle_id=trailer
    )
    store = stock.create_warehouse(uow(admin), admin, "Main store")
    oil = stock.create_item(uow(admin), admin, ItemInput(name="Engine oil", article="OIL-15W40", unit="l"))
    invoice = stock.create_document(
        uow(admin),
        admin,
        StockDocumentInput(
            kind="receipt", warehouse_id=store, doc_date=TODAY, lines=[LineInput(oil, "20", "9000")], supplier="Kobil"
        ),
    )
    stock.post_document(uow(admin), admin, invoice)
    client = crm.create_client(uow(admin), admin, ClientInput(name="Inyange Industries"))
    crm.add_contact(uow(admin), admin, client, ContactInput(name="Aline Umutoni", phone="+250788123456"))
    return {"truck": truck, "trailer": trailer, "store": store, "oil": oil, "invoice": invoice, "client": client}


def test_a_page_of_the_log_is_named_in_one_query(uow, admin, engine, session_factory):
    w = _world(uow, admin, session_factory)
    page = list_activity(uow(admin), admin, ListQuery(sort="at", descending=True, page_size=100))
    seen, stop = _queries(engine)
    try:
        refs = log_references(uow(admin), admin, page.rows)
    finally:
        stop()
    assert len(seen) == 1  # the whole page, whatever kinds of records it holds
    assert refs[("vehicle", str(w["truck"]))] == RecordRef("RAB 123 A", None, ("vehicle", w["truck"]))
    assert refs[("vehicle", str(w["trailer"]))].opens == ("trailer", w["trailer"])  # on the Trailers screen
    assert refs[("item", str(w["oil"]))] == RecordRef("Engine oil", "OIL-15W40", ("item", w["oil"]))
    assert refs[("warehouse", str(w["store"]))].name == "Main store"
    assert refs[("user", str(admin.user_id))] == RecordRef("Alice Uwase", "admin", ("user", admin.user_id))
    lines = [k for k in refs if k[0] == "stock_document_line"]
    assert [refs[k].opens for k in lines] == [("stock_document", w["invoice"])]  # a line opens its invoice
    assert refs[lines[0]].name == "Engine oil"
    contacts = [refs[k] for k in refs if k[0] == "client_contact"]
    assert [(c.name, c.opens) for c in contacts] == [("Aline Umutoni", ("client", w["client"]))]
    documents = [refs[k] for k in refs if k[0] == "document"]
    assert [(d.detail, d.opens) for d in documents] == [("RL 4567", ("trailer", w["trailer"]))]


def test_the_ids_in_a_rows_changes_are_looked_up_too(uow, admin, session_factory):
    w = _world(uow, admin, session_factory)
    rows = history(uow(admin), admin, "stock_document", w["invoice"])
    keys = keys_in(rows)
    assert ("warehouse", str(w["store"])) in keys  # warehouse_id of the new invoice
    assert ("user", str(admin.user_id)) in keys  # its created_by
    assert column_kinds("stock_document")["warehouse_id"] == "ref:warehouse"
    assert column_kinds("stock_document")["doc_date"] == "date"
    assert column_kinds("stock_document_line")["quantity"] == "decimal"


def test_a_record_the_reader_may_not_see_is_not_named(uow, admin, session_factory):
    w = _world(uow, admin, session_factory)
    keeper = make_user(uow, admin, "keeper", "warehouse_keeper")
    keys = {("item", str(w["oil"])), ("client", str(w["client"])), ("user", str(admin.user_id))}
    refs = describe_records(uow(keeper), keeper, keys)
    assert set(refs) == {("item", str(w["oil"]))}  # clients and user accounts are not the keeper's


def test_a_record_that_is_gone_or_unknown_is_left_out(uow, admin):
    refs = describe_records(uow(admin), admin, {("vehicle", "999999"), ("something_new", "1"), ("item", "x")})
    assert refs == {}
    assert describe_records(uow(admin), admin, set()) == {}


def test_the_quantity_of_a_logged_line_keeps_its_decimals(uow, admin, session_factory):
    w = _world(uow, admin, session_factory)
    line = next(
        r
        for r in list_activity(uow(admin), admin, ListQuery(page_size=100)).rows
        if r["entity_type"] == "stock_document_line"
    )
    assert Decimal(str(line["changes"]["after"]["quantity"])) == Decimal("20")
    assert line["changes"]["after"]["item_id"] == w["oil"]
