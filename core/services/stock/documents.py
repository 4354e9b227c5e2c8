"""Stock documents (SPEC W3; on screen "invoices"): receipt, issue, transfer, write-off and
inventory count. A draft is made here; nothing moves until it is posted (posting.py)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import psycopg
from sqlalchemy import func, literal, or_, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from common.actor import Actor
from common.errors import FieldErrors, NotFound
from common.i18n import N_
from common.roles import CAN_EDIT_STOCK, CAN_VIEW_STOCK
from core.services.attachments import register_owner
from core.services.listing import ListQuery, PageResult, run_page
from core.services.stock.fields import quantity
from core.stock import draft_line_value
from db.models.fleet import Vehicle
from db.models.stock import (
    DOCUMENT_KINDS,
    Item,
    StockBalance,
    StockDocument,
    StockDocumentLine,
    StockMove,
    Warehouse,
)
from db.session import UnitOfWork

# scans, delivery notes and signed copies are attached to a document (its Attachments tab)
register_owner("stock_document", StockDocument, CAN_VIEW_STOCK, CAN_EDIT_STOCK)


@dataclass(frozen=True)
class LineInput:
    item_id: int
    quantity: str
    unit_price: str = ""


@dataclass(frozen=True)
class DocumentInput:
    """What the keeper fills in on the Invoices screen."""

    kind: str
    warehouse_id: int
    doc_date: dt.date
    lines: list[LineInput] = field(default_factory=list)
    to_warehouse_id: int | None = None
    supplier: str = ""
    basis: str = ""
    vehicle_id: int | None = None
    employee_id: int | None = None
    repair_id: int | None = None
    odometer_km: int | None = None


def create_document(uow: UnitOfWork, actor: Actor, data: DocumentInput) -> int:
    """A draft document; nothing moves until it is posted."""
    actor.require(CAN_EDIT_STOCK)
    with uow:
        document = new_document(uow, actor, data)
        uow.commit()
        return document.id


def _next_number(session: Session) -> str:
    """The next number of the prefix in force, from its counter row (migration 0012): the row
    stays locked until this transaction ends, so numbers have no gaps."""
    try:
        return str(session.scalar(text("SELECT stock_next_number()")))
    except DBAPIError as exc:
        if isinstance(exc.orig, psycopg.Error):
            raise_numbering_error(exc.orig)
        raise


def raise_numbering_error(exc: psycopg.Error) -> None:
    """The numbering's error (TW005: the prefix's setting is missing) as get_param words it."""
    if exc.sqlstate == "TW005":
        raise NotFound(N_("The setting {key} does not exist."), key=exc.diag.message_detail or "") from exc


def _known(session: Session, store_ids: list[int], item_ids: list[int]) -> tuple[set[int], set[int]]:
    """The active stores and the existing items among those named, in one query."""
    rows = session.execute(
        select(literal("store").label("what"), Warehouse.id)
        .where(Warehouse.id.in_(store_ids), Warehouse.archived_at.is_(None))
        .union_all(select(literal("item"), Item.id).where(Item.id.in_(item_ids)))
    ).all()
    return {i for what, i in rows if what == "store"}, {i for what, i in rows if what == "item"}


Line = tuple[int, Decimal | None, Decimal | None]  # item, quantity, unit price (receipts only)


def check_input(data: DocumentInput) -> tuple[FieldErrors, list[Line]]:
    """What can be checked in the keeper's input without the database: the kind, the stores
    of a transfer, the reason of a write-off, the lines' numbers."""
    errors = FieldErrors()
    if data.kind not in DOCUMENT_KINDS:
        errors.add("kind", N_("Unknown kind of invoice."))
    if data.kind == "transfer" and (data.to_warehouse_id is None or data.to_warehouse_id == data.warehouse_id):
        errors.add("to_warehouse_id", N_("A transfer goes to another store."))
    if data.kind == "writeoff" and not data.basis.strip():
        errors.add("basis", N_("Give the reason for the write-off."))
    if not data.lines:
        errors.add("lines", N_("Add at least one line."))
    lines: list[Line] = []
    for i, line in enumerate(data.lines, start=1):
        qty = quantity(line.quantity, errors, f"line_{i}", allow_zero=data.kind == "count")
        price = None
        if data.kind == "receipt":
            price = quantity(line.unit_price or "0", errors, f"line_{i}", allow_zero=True)
        lines.append((line.item_id, qty, price))
    return errors, lines


def add_unknown(errors: FieldErrors, bad_store: bool, unknown_lines: list[int]) -> None:
    """The messages for a store that is not active and items that do not exist (line numbers
    from 1), whether Python or the database (TW004) found them."""
    if bad_store:
        errors.add("warehouse_id", N_("Choose an active store."))
    for i in unknown_lines:
        errors.add(f"line_{i}", N_("Line {n}: unknown item."), n=i)


def check_known(session: Session, data: DocumentInput, lines: list[Line], errors: FieldErrors) -> None:
    """The checks that need the database, in one query: active stores, existing items."""
    store_ids = [s for s in (data.warehouse_id, data.to_warehouse_id) if s]
    stores, items = _known(session, store_ids, [item_id for item_id, _, _ in lines])
    bad_store = any(s not in stores for s in store_ids)
    add_unknown(errors, bad_store, [i for i, (item_id, _, _) in enumerate(lines, start=1) if item_id not in items])


def document_values(actor: Actor, data: DocumentInput) -> dict[str, Any]:
    """The document's columns from the keeper's checked input (what is saved and logged)."""
    return {
        "kind": data.kind,
        "doc_date": data.doc_date,
        "warehouse_id": data.warehouse_id,
        "to_warehouse_id": data.to_warehouse_id,
        "supplier": data.supplier.strip() or None,
        "basis": data.basis.strip() or None,
        "vehicle_id": data.vehicle_id,
        "employee_id": data.employee_id,
        "repair_id": data.repair_id,
        "odometer_km": data.odometer_km,
        "created_by": actor.user_id,
    }


def document_json(actor: Actor, data: DocumentInput, lines: list[Line]) -> str:
    """The checked input as the one JSON argument of `stock_create_and_post` (migration 0012):
    numbers as the text db/audit.py would log (str of the Decimal), the date in ISO form."""
    values = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in document_values(actor, data).items()}
    values["lines"] = [
        {"item_id": item_id, "quantity": str(qty), "unit_price": None if price is None else str(price)}
        for item_id, qty, price in lines
    ]
    return json.dumps(values)


def new_document(uow: UnitOfWork, actor: Actor, data: DocumentInput) -> StockDocument:
    """Check the keeper's input and add the draft with its lines to the unit of work (flushed,
    not committed): the step every use case that makes a document in Python shares, and the
    specification `stock_create_and_post` (migration 0012) is held to."""
    actor.require(CAN_EDIT_STOCK)
    errors, lines = check_input(data)
    check_known(uow.session, data, lines, errors)
    errors.raise_if_any()
    document = StockDocument(
        number=_next_number(uow.session),
        **document_values(actor, data),
        lines=[StockDocumentLine(item_id=item_id, quantity=qty, unit_price=price) for item_id, qty, price in lines],
    )
    uow.session.add(document)
    uow.session.flush()  # the document, then its lines, then their log rows
    return document


@dataclass(frozen=True)
class DraftValues:
    """The values of a document's lines before it is posted, and their total."""

    lines: list[Decimal | None]  # None: not known yet (see core.stock.draft_line_value)
    total: Decimal
    complete: bool  # every line's value is known, so the total is the document's


def draft_values(uow: UnitOfWork, actor: Actor, kind: str, store_id: int, lines: list[LineInput]) -> DraftValues:
    """Each line's value and the total as posting would make them now: a receipt at its
    prices, the other kinds at the store's moving average (its balances, read in one query)."""
    actor.require(CAN_VIEW_STOCK)
    balances: dict[int, tuple[Decimal, Decimal]] = {}
    if kind != "receipt" and lines:
        with uow:
            rows = uow.session.execute(
                select(StockBalance.item_id, StockBalance.qty, StockBalance.value).where(
                    StockBalance.warehouse_id == store_id, StockBalance.item_id.in_({li.item_id for li in lines})
                )
            )
            balances = {item_id: (qty, value) for item_id, qty, value in rows}
    values: list[Decimal | None] = []
    for line in lines:
        qty = quantity(line.quantity, FieldErrors(), "quantity")
        price = quantity(line.unit_price or "0", FieldErrors(), "unit_price", allow_zero=True)
        values.append(draft_line_value(kind, qty, price, balances.get(line.item_id)))
    known = [v for v in values if v is not None]
    return DraftValues(values, sum(known, Decimal("0.00")), len(known) == len(values))


def fuel_vehicle_choices(uow: UnitOfWork, actor: Actor) -> list[tuple[int, str]]:
    """The vehicles fuel can be issued to, for the keeper's issue form: a keeper may issue
    fuel to any active power unit without the right to see the fleet's catalog."""
    actor.require(CAN_EDIT_STOCK)
    with uow:
        rows = uow.session.execute(
            select(Vehicle.id, Vehicle.plate, Vehicle.make, Vehicle.model)
            .where(Vehicle.unit_type != "trailer", Vehicle.archived_at.is_(None))
            .order_by(Vehicle.plate)
        )
        return [(r.id, " · ".join(x for x in (r.plate, " ".join(filter(None, (r.make, r.model)))) if x)) for r in rows]


DOCUMENT_COLUMNS: dict[str, Any] = {
    "id": StockDocument.id,
    "number": StockDocument.number,
    "kind": StockDocument.kind,
    "status": StockDocument.status,
    "doc_date": StockDocument.doc_date,
    "store": Warehouse.name,
    "supplier": StockDocument.supplier,
    "basis": StockDocument.basis,
    # what the posting moved: a cancelled document's reversal (its moves at the cancel) left out
    "value": select(func.coalesce(func.sum(func.abs(StockMove.value)), 0))
    .where(
        StockMove.document_id == StockDocument.id,
        StockMove.warehouse_id == StockDocument.warehouse_id,
        or_(StockDocument.cancelled_at.is_(None), StockMove.moved_at < StockDocument.cancelled_at),
    )
    .correlate(StockDocument)
    .scalar_subquery(),
}


def _document_select(q: ListQuery) -> Any:
    """The documents list with its categories (SPEC U2): kind, status and store, in SQL."""
    stmt = select(*[c.label(k) for k, c in DOCUMENT_COLUMNS.items()]).join(
        Warehouse, Warehouse.id == StockDocument.warehouse_id
    )
    if q.search.strip():
        stmt = stmt.where(StockDocument.number.ilike(f"%{q.search.strip()}%"))
    for key, col in (("kind", StockDocument.kind), ("status", StockDocument.status)):
        value = q.filter_value(key)
        if value:
            stmt = stmt.where(col == value)
    store = q.filter_value("store")
    if store:
        stmt = stmt.where((StockDocument.warehouse_id == int(store)) | (StockDocument.to_warehouse_id == int(store)))
    return stmt


def list_documents(uow: UnitOfWork, actor: Actor, q: ListQuery) -> PageResult:
    actor.require(CAN_VIEW_STOCK)
    with uow:
        return run_page(uow.session, _document_select(q), q, DOCUMENT_COLUMNS, "number", StockDocument.id)


def export_documents(uow: UnitOfWork, actor: Actor, q: ListQuery) -> list[dict[str, Any]]:
    actor.require(CAN_VIEW_STOCK)
    with uow:
        stmt = _document_select(q).order_by(StockDocument.number.desc())
        return [dict(r._mapping) for r in uow.session.execute(stmt)]


def get_document(uow: UnitOfWork, actor: Actor, document_id: int) -> dict[str, Any]:
    """A document with its lines as the screen and the printed copy show them. A line's unit
    price is the receipt's price or, for what leaves a store (issue, transfer, write-off),
    the moving-average cost the ledger recorded at posting; its value is what the ledger
    moved (a cancellation's reversal left aside). An inventory count's line has the
    difference it posted (counted less the books) and its value."""
    actor.require(CAN_VIEW_STOCK)
    with uow:
        doc = uow.session.get(StockDocument, document_id)
        if doc is None:
            raise NotFound(N_("This invoice does not exist."))
        out = {c.key: getattr(doc, c.key) for c in StockDocument.__mapper__.column_attrs}
        store = uow.session.get(Warehouse, doc.warehouse_id)
        target = uow.session.get(Warehouse, doc.to_warehouse_id) if doc.to_warehouse_id else None
        out["store"] = store.name if store else ""
        out["to_store"] = target.name if target else ""
        if doc.vehicle_id:
            unit = uow.session.get(Vehicle, doc.vehicle_id)
            out["vehicle"] = unit.plate if unit else ""
        rows = uow.session.execute(
            select(StockDocumentLine, Item)
            .join(Item, Item.id == StockDocumentLine.item_id)
            .where(StockDocumentLine.document_id == document_id)
            .order_by(StockDocumentLine.id)
        ).all()
        moved = _posted_moves(uow.session, doc)
        out["lines"] = _priced_lines(doc.kind, [(line, item) for line, item in rows], moved, doc.posted_at is not None)
        return out


def _posted_moves(session: Session, doc: StockDocument) -> dict[int, tuple[Decimal, Decimal]]:
    """Item -> (quantity, value) that the posting moved in the document's store, in one
    query: the movements made at posting, not those of a cancellation (made later)."""
    if doc.posted_at is None:
        return {}
    rows = session.execute(
        select(StockMove.item_id, func.sum(StockMove.qty), func.sum(StockMove.value))
        .where(
            StockMove.document_id == doc.id,
            StockMove.warehouse_id == doc.warehouse_id,
            StockMove.moved_at == doc.posted_at,
        )
        .group_by(StockMove.item_id)
    ).all()
    return {item_id: (Decimal(qty), Decimal(value)) for item_id, qty, value in rows}


def _priced_lines(
    kind: str, rows: list[tuple[StockDocumentLine, Item]], moved: dict[int, tuple[Decimal, Decimal]], posted: bool
) -> list[dict[str, Any]]:
    """Each line with its unit price and value. The ledger moves an item once per document
    (its lines added up): an item on two lines shares the movement by quantity, the last of
    its lines taking what rounding leaves; a count's difference, and the books it was
    counted against, stand on the item's last line."""
    value_left = {item_id: abs(value) for item_id, (_, value) in moved.items()}
    qty_left: dict[int, Decimal] = {}
    for line, _ in rows:
        qty_left[line.item_id] = qty_left.get(line.item_id, Decimal(0)) + line.quantity
    lines = []
    for line, item in rows:
        out: dict[str, Any] = {
            "item_id": item.id,
            "name": item.name,
            "article": item.article,
            "barcode": item.barcode,
            "unit": item.unit,
            "quantity": line.quantity,
            "unit_price": line.unit_price,
            "value": None,
            "difference": None,
            "book": None,
        }
        qty, value = moved.get(item.id, (Decimal(0), Decimal(0)))
        if kind == "receipt":
            out["value"] = None if line.unit_price is None else (line.quantity * line.unit_price).quantize(CENT)
        elif kind == "count" and posted:
            counted, qty_left[item.id] = qty_left[item.id], qty_left[item.id] - line.quantity
            if qty_left[item.id] == 0:  # a surplus adds value, a shortage takes it
                out["difference"], out["book"], out["value"] = qty, counted - qty, value
                out["unit_price"] = (abs(value) / abs(qty)).quantize(PRICE) if qty else None
        elif item.id in moved and qty:
            cost = abs(value) / abs(qty)
            last = qty_left[item.id] == line.quantity
            share = value_left[item.id] if last else min(value_left[item.id], (line.quantity * cost).quantize(CENT))
            value_left[item.id] -= share
            qty_left[item.id] -= line.quantity
            out["unit_price"], out["value"] = cost.quantize(PRICE), share
        lines.append(out)
    return lines


CENT, PRICE = Decimal("0.01"), Decimal("0.0001")  # money; a unit price as lines keep it (Numeric(14, 4))
