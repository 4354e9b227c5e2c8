"""Warehouse use cases: items, stores, invoices and their posting to the stock ledger.

Posting is one transaction and one call of a database function: it locks the balances it
touches (in item order, so two postings never deadlock), checks every line, appends the
movements, updates the balances and marks the invoice posted. The database refuses a
negative balance as a last guard. A posted invoice is never edited: cancelling it posts
the reversal. The Post button runs the function as a statement of its own (one round trip);
what needs Python as well (an odometer reading, low-stock notices) goes the whole
unit-of-work way.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import psycopg
from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from common.actor import Actor
from common.errors import DomainError, FieldErrors, NotFound
from common.i18n import N_
from common.roles import ADMIN, CAN_EDIT_STOCK, CAN_VIEW_STOCK, KEEPER
from core.services import fleet
from core.services.settings import company_today, get_param
from core.stock import StockRuleError, make_ean13, normalize_barcode
from db.models.stock import (
    INVOICE_KINDS,
    UNITS,
    Item,
    StockBalance,
    StockInvoice,
    StockInvoiceLine,
    StockMove,
    Warehouse,
)
from db.session import UnitOfWork


class InsufficientStock(DomainError):
    """An issue asks for more than the store holds."""


class AlreadyPosted(DomainError):
    pass


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _qty(raw: str | Decimal | None, errors: FieldErrors, field_name: str, allow_zero: bool = False) -> Decimal | None:
    try:
        value = Decimal(str(raw).replace(",", "").strip())
    except (InvalidOperation, AttributeError):
        errors.add(field_name, N_("Enter a number."))
        return None
    if not value.is_finite() or value < 0 or (value == 0 and not allow_zero):
        errors.add(field_name, N_("The quantity must be more than zero."))
        return None
    if value > Decimal("99999999999"):
        errors.add(field_name, N_("The quantity is too large."))
        return None
    return value


# ---- items and stores -----------------------------------------------------------------


@dataclass(frozen=True)
class ItemInput:
    name: str
    article: str
    unit: str
    barcode: str = ""
    classification: str = ""
    category_id: int | None = None
    reorder_level: str = "0"
    reorder_qty: str = "0"
    is_fuel: bool = False
    fuel_type: str = ""


def create_item(uow: UnitOfWork, actor: Actor, data: ItemInput) -> int:
    actor.require(CAN_EDIT_STOCK)
    errors = FieldErrors()
    name = " ".join(data.name.split())
    if not name:
        errors.add("name", N_("Enter a name."))
    article = data.article.strip().upper()
    if not article:
        errors.add("article", N_("Enter the article number."))
    if data.unit not in UNITS:
        errors.add("unit", N_("Choose the unit of measure."))
    barcode = None
    if data.barcode.strip():
        try:
            barcode = normalize_barcode(data.barcode)
        except StockRuleError as exc:
            errors.add("barcode", exc.message, **exc.params)
    level = _qty(data.reorder_level or "0", errors, "reorder_level", allow_zero=True)
    reorder = _qty(data.reorder_qty or "0", errors, "reorder_qty", allow_zero=True)
    with uow:
        if article and uow.session.scalar(select(Item.name).where(func.upper(Item.article) == article)):
            errors.add("article", N_("The article {article} exists already."), article=article)
        if barcode and uow.session.scalar(select(Item.name).where(Item.barcode == barcode)):
            errors.add("barcode", N_("This barcode is on another item."))
        errors.raise_if_any()
        item = Item(
            name=name,
            article=article,
            unit=data.unit,
            barcode=barcode or f"TMP-{article}"[:40],
            classification=data.classification.strip() or None,
            category_id=data.category_id,
            reorder_level=level,
            reorder_qty=reorder,
            is_fuel=data.is_fuel,
            fuel_type=data.fuel_type or None,
        )
        uow.session.add(item)
        try:
            uow.session.flush()
        except IntegrityError as exc:
            uow.session.rollback()
            errors.add("article", N_("The article or barcode was just registered by someone else."))
            errors.raise_if_any()
            raise AssertionError from exc
        if barcode is None:  # the supplier gave none: an in-store EAN-13
            item.barcode = make_ean13(item.id)
        uow.commit()
        return item.id


def find_by_barcode(uow: UnitOfWork, actor: Actor, code: str) -> dict[str, Any]:
    """The item a scanner read; a clear error for an unknown code."""
    actor.require(CAN_VIEW_STOCK)
    clean = code.strip()
    with uow:
        item = uow.session.scalar(select(Item).where(Item.barcode == clean, Item.archived_at.is_(None)))
        if item is None:
            raise NotFound(N_("No item has the barcode {code}."), code=clean)
        return {"id": item.id, "name": item.name, "article": item.article, "unit": item.unit}


def create_warehouse(
    uow: UnitOfWork, actor: Actor, name: str, kind: str = "store", keeper_user_id: int | None = None
) -> int:
    actor.require(frozenset({ADMIN}))
    errors = FieldErrors()
    clean = " ".join(name.split())
    if not clean:
        errors.add("name", N_("Enter a name."))
    if kind not in ("store", "tank", "workshop"):
        errors.add("kind", N_("Unknown kind."))
    errors.raise_if_any()
    with uow:
        if uow.session.scalar(select(Warehouse.id).where(func.lower(Warehouse.name) == clean.lower())):
            errors.add("name", N_("A store with this name exists already."))
            errors.raise_if_any()
        store = Warehouse(name=clean, kind=kind, keeper_user_id=keeper_user_id)
        uow.session.add(store)
        uow.session.flush()
        uow.commit()
        return store.id


# ---- invoices -------------------------------------------------------------------------


@dataclass(frozen=True)
class LineInput:
    item_id: int
    quantity: str
    unit_price: str = ""


@dataclass(frozen=True)
class InvoiceInput:
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


def _next_number(uow: UnitOfWork) -> str:
    uow.session.execute(text("SELECT pg_advisory_xact_lock(hashtext('twara-stock-invoice-number'))"))
    prefix = str(get_param(uow.session, "stock.invoice_prefix"))
    last = uow.session.scalar(select(func.max(StockInvoice.id))) or 0
    return f"{prefix}-{last + 1:07d}"


def create_invoice(uow: UnitOfWork, actor: Actor, data: InvoiceInput) -> int:
    """A draft invoice; nothing moves until it is posted."""
    actor.require(CAN_EDIT_STOCK)
    with uow:
        invoice = _create_invoice(uow, actor, data)
        uow.commit()
        return invoice.id


def _create_invoice(uow: UnitOfWork, actor: Actor, data: InvoiceInput) -> StockInvoice:
    errors = FieldErrors()
    if data.kind not in INVOICE_KINDS:
        errors.add("kind", N_("Unknown kind of invoice."))
    if data.kind == "transfer" and (data.to_warehouse_id is None or data.to_warehouse_id == data.warehouse_id):
        errors.add("to_warehouse_id", N_("A transfer goes to another store."))
    if data.kind == "writeoff" and not data.basis.strip():
        errors.add("basis", N_("Give the reason for the write-off."))
    if not data.lines:
        errors.add("lines", N_("Add at least one line."))
    lines = []
    for i, line in enumerate(data.lines, start=1):
        qty = _qty(line.quantity, errors, f"line_{i}", allow_zero=data.kind == "count")
        price = None
        if data.kind == "receipt":
            price = _qty(line.unit_price or "0", errors, f"line_{i}", allow_zero=True)
        lines.append((line.item_id, qty, price))
    for store_id in filter(None, (data.warehouse_id, data.to_warehouse_id)):
        store = uow.session.get(Warehouse, store_id)
        if store is None or store.archived_at is not None:
            errors.add("warehouse_id", N_("Choose an active store."))
    for i, (item_id, _, _) in enumerate(lines, start=1):
        if uow.session.get(Item, item_id) is None:
            errors.add(f"line_{i}", N_("Line {n}: unknown item."), n=i)
    errors.raise_if_any()
    invoice = StockInvoice(
        number=_next_number(uow),
        kind=data.kind,
        doc_date=data.doc_date,
        warehouse_id=data.warehouse_id,
        to_warehouse_id=data.to_warehouse_id,
        supplier=data.supplier.strip() or None,
        basis=data.basis.strip() or None,
        vehicle_id=data.vehicle_id,
        employee_id=data.employee_id,
        repair_id=data.repair_id,
        odometer_km=data.odometer_km,
        created_by=actor.user_id,
    )
    uow.session.add(invoice)
    uow.session.flush()
    for item_id, qty, price in lines:
        uow.session.add(StockInvoiceLine(invoice_id=invoice.id, item_id=item_id, quantity=qty, unit_price=price))
    uow.session.flush()
    return invoice


def _lock_balance(uow: UnitOfWork, item_id: int, store_id: int) -> StockBalance:
    uow.session.execute(
        insert(StockBalance).values(item_id=item_id, warehouse_id=store_id, qty=0, value=0).on_conflict_do_nothing()
    )
    balance = uow.session.get(StockBalance, (item_id, store_id), with_for_update=True, populate_existing=True)
    assert balance is not None
    return balance


def _move(
    uow: UnitOfWork, invoice: StockInvoice, balance: StockBalance, qty: Decimal, value: Decimal, at: dt.datetime
) -> None:
    if qty == 0:
        return
    uow.session.add(
        StockMove(
            item_id=balance.item_id,
            warehouse_id=balance.warehouse_id,
            invoice_id=invoice.id,
            moved_at=at,
            qty=qty,
            value=value,
        )
    )
    balance.qty += qty
    balance.value += value


def post_invoice(uow: UnitOfWork, actor: Actor, invoice_id: int) -> list[int]:
    """Post a draft. Returns the items that fell below their reorder level.

    The keeper's Post button: most postings are the database function alone, a transaction
    of its own in one round trip. One that needs more (a fuel issue's odometer reading,
    low-stock notices) is refused by the function untouched (TW010) and posted in a whole
    unit of work."""
    actor.require(CAN_EDIT_STOCK)
    with uow:
        try:
            alone = uow.run_alone(_POST_ALONE, _posting_params(actor, invoice_id))
        except psycopg.Error as exc:
            if exc.sqlstate != "TW010":
                _raise_posting_error(exc)
                raise
            alone = None
        if alone is not None:
            return []
        low = _post_invoice(uow, actor, invoice_id)
        uow.commit()
        return low


def create_and_post(uow: UnitOfWork, actor: Actor, data: InvoiceInput) -> int:
    """Create and post in one transaction: a refused line leaves nothing behind."""
    actor.require(CAN_EDIT_STOCK)
    with uow:
        invoice = _create_invoice(uow, actor, data)
        _post_invoice(uow, actor, invoice.id)
        uow.commit()
        return invoice.id


def issue_for_repair(uow: UnitOfWork, actor: Actor, repair_id: int, store_id: int, lines: list[LineInput]) -> int:
    """Issue a repair's parts from stock in one step: the issue invoice, and the parts on the
    repair record at their stock cost, in one transaction."""
    from db.models.fleet import Repair, RepairPart

    actor.require(CAN_EDIT_STOCK)
    with uow:
        repair = uow.session.get(Repair, repair_id, with_for_update=True)
        if repair is None:
            raise NotFound(N_("This repair does not exist."))
        invoice = _create_invoice(
            uow,
            actor,
            InvoiceInput(
                kind="issue",
                warehouse_id=store_id,
                doc_date=repair.work_date,
                lines=lines,
                vehicle_id=repair.vehicle_id,
                repair_id=repair_id,
                basis=f"Repair {repair_id}",
            ),
        )
        _post_invoice(uow, actor, invoice.id)
        for line in uow.session.scalars(select(StockInvoiceLine).where(StockInvoiceLine.invoice_id == invoice.id)):
            item = uow.session.get(Item, line.item_id)
            cost = -(
                uow.session.scalar(
                    select(func.sum(StockMove.value)).where(
                        StockMove.invoice_id == invoice.id, StockMove.item_id == line.item_id
                    )
                )
                or Decimal(0)
            )
            assert item is not None
            uow.session.add(
                RepairPart(
                    repair_id=repair_id,
                    item_name=item.name,
                    quantity=line.quantity,
                    unit_price=(cost / line.quantity).quantize(Decimal("0.01")),
                    stock_issue_ref=invoice.number,
                )
            )
        uow.commit()
        return invoice.id


_POST = "SELECT * FROM stock_post_invoice(%(invoice)s, %(now)s, %(user_id)s, %(username)s)"
_POST_ALONE = "SELECT * FROM stock_post_invoice(%(invoice)s, %(now)s, %(user_id)s, %(username)s, true)"


def _posting_params(actor: Actor, invoice_id: int) -> dict[str, Any]:
    return {"invoice": invoice_id, "now": _now(), "user_id": actor.user_id, "username": actor.username}


def _post_invoice(uow: UnitOfWork, actor: Actor, invoice_id: int) -> list[int]:
    """Posting is one call of the database function `stock_post_invoice` (migrations 0004
    and 0007): the invoice locked, every item's balance locked in item order, moving-average
    cost, movements written, balances updated, the invoice marked posted and the change
    logged, in one round trip. Odometer and low-stock notices follow only when there are any."""
    uow.session.flush()
    # a driver-level call on the transaction's connection (no statement compiling, no result
    # wrapping); the transaction stays the unit of work's, committed or rolled back by it
    cursor = uow.session.connection().connection.cursor()
    try:
        cursor.execute(_POST, _posting_params(actor, invoice_id))
        row = cursor.fetchone()
    except psycopg.Error as exc:
        _raise_posting_error(exc)
        raise
    finally:
        cursor.close()
    assert row is not None  # the function returns one row or raises
    low_ids, kind, vehicle_id, odometer_km, posted_at = row
    low = list(low_ids or [])
    if kind == "issue" and vehicle_id is not None and odometer_km is not None:
        invoice = uow.session.get(StockInvoice, invoice_id, populate_existing=True)
        assert invoice is not None
        _record_odometer(uow, actor, invoice, posted_at)
    if low:
        invoice = uow.session.get(StockInvoice, invoice_id, populate_existing=True)
        assert invoice is not None
        _notify_low_stock(uow, invoice, low)
    return low


def _raise_posting_error(exc: psycopg.Error) -> None:
    """Translate the posting function's TW errors into messages for the keeper."""
    state = exc.sqlstate
    detail = exc.diag.message_detail or ""
    if state == "TW001":
        raise NotFound(N_("This invoice does not exist.")) from exc
    if state == "TW002":
        info = json.loads(detail, parse_float=Decimal, parse_int=Decimal)
        raise AlreadyPosted(
            N_("Invoice {number} is already {status}."), number=info["number"], status=info["status"]
        ) from exc
    if state == "TW003":
        info = json.loads(detail, parse_float=Decimal, parse_int=Decimal)
        raise InsufficientStock(
            N_("Only {left} {unit} of {item} left in this store."),
            left=info["left"],
            unit=info["unit"],
            item=info["item"],
        ) from exc


def cancel_invoice(uow: UnitOfWork, actor: Actor, invoice_id: int) -> None:
    """A draft is simply cancelled; a posted invoice gets reversing movements."""
    actor.require(CAN_EDIT_STOCK)
    with uow:
        invoice = uow.session.get(StockInvoice, invoice_id, with_for_update=True)
        if invoice is None:
            raise NotFound(N_("This invoice does not exist."))
        if invoice.status == "cancelled":
            raise AlreadyPosted(
                N_("Invoice {number} is already {status}."), number=invoice.number, status=invoice.status
            )
        if invoice.status == "posted":
            at = _now()
            moves = uow.session.scalars(
                select(StockMove)
                .where(StockMove.invoice_id == invoice_id)
                .order_by(StockMove.item_id, StockMove.warehouse_id, StockMove.id)
            ).all()
            for move in moves:
                balance = _lock_balance(uow, move.item_id, move.warehouse_id)
                if balance.qty < move.qty:  # goods received here were already issued onward
                    item = uow.session.get(Item, move.item_id)
                    raise InsufficientStock(
                        N_(
                            "{item}: only {left} {unit} are still in the store; the rest was already issued, "
                            "so this invoice cannot be cancelled."
                        ),
                        item=item.name if item else "",
                        left=balance.qty,
                        unit=item.unit if item else "",
                    )
                value = -move.value if balance.qty != move.qty else -balance.value
                _move(uow, invoice, balance, -move.qty, value, at)
        invoice.status = "cancelled"
        invoice.cancelled_at = _now()
        uow.commit()


def _notify_low_stock(uow: UnitOfWork, invoice: StockInvoice, item_ids: list[int]) -> None:
    from core.services.notifications import Notice, notify, users_with_roles

    store = uow.session.get(Warehouse, invoice.warehouse_id)
    keepers = users_with_roles(uow.session, frozenset({KEEPER}))
    if store is not None and store.keeper_user_id:
        keepers = [store.keeper_user_id]
    for item_id in item_ids:
        item = uow.session.get(Item, item_id)
        balance = uow.session.get(StockBalance, (item_id, invoice.warehouse_id))
        assert item is not None and balance is not None
        notify(
            uow.session,
            keepers,
            Notice(
                kind="low_stock",
                title=N_("{item} is running low in {store}"),
                body=N_("{left} {unit} left; reorder level {level}. Suggested order: {reorder} {unit}."),
                params=(
                    ("item", item.name),
                    ("store", store.name if store else ""),
                    ("left", balance.qty),
                    ("unit", item.unit),
                    ("level", item.reorder_level),
                    ("reorder", item.reorder_qty),
                ),
                entity_type="item",
                entity_id=item.id,
                dedupe_key=f"low:{item.id}:{invoice.warehouse_id}:{invoice.id}",
            ),
        )


# ---- balances -------------------------------------------------------------------------


def balance(uow: UnitOfWork, actor: Actor, item_id: int, store_id: int) -> tuple[Decimal, Decimal]:
    actor.require(CAN_VIEW_STOCK)
    with uow:
        row = uow.session.get(StockBalance, (item_id, store_id))
        return (row.qty, row.value) if row else (Decimal(0), Decimal(0))


def balance_at(uow: UnitOfWork, actor: Actor, item_id: int, store_id: int, at: dt.datetime) -> tuple[Decimal, Decimal]:
    """The balance at a past moment: the ledger summed up to it (an index-only range scan)."""
    actor.require(CAN_VIEW_STOCK)
    with uow:
        qty, value = uow.session.execute(
            select(func.coalesce(func.sum(StockMove.qty), 0), func.coalesce(func.sum(StockMove.value), 0)).where(
                StockMove.item_id == item_id, StockMove.warehouse_id == store_id, StockMove.moved_at <= at
            )
        ).one()
        return Decimal(qty), Decimal(value)


def ledger_mismatches(uow: UnitOfWork, actor: Actor) -> list[dict[str, Any]]:
    """Balances that differ from the sum of their movements (always empty in a healthy book)."""
    actor.require(CAN_VIEW_STOCK)
    with uow:
        rows = uow.session.execute(
            text("""
            SELECT b.item_id, b.warehouse_id, b.qty, b.value, coalesce(m.qty, 0) AS ledger_qty,
                   coalesce(m.value, 0) AS ledger_value
            FROM stock_balance b
            LEFT JOIN (SELECT item_id, warehouse_id, sum(qty) AS qty, sum(value) AS value
                       FROM stock_move GROUP BY item_id, warehouse_id) m
              ON m.item_id = b.item_id AND m.warehouse_id = b.warehouse_id
            WHERE b.qty <> coalesce(m.qty, 0) OR b.value <> coalesce(m.value, 0)
        """)
        )
        return [dict(r._mapping) for r in rows]


def _record_odometer(uow: UnitOfWork, actor: Actor, invoice: StockInvoice, at: dt.datetime) -> None:
    """Fuel issued to a vehicle records the odometer at the pump (it must fit the log): the
    fleet's own use case, joined to this posting's unit of work."""
    assert invoice.vehicle_id is not None and invoice.odometer_km is not None
    fleet.add_reading(uow, actor, invoice.vehicle_id, invoice.odometer_km, at, invoice.number, "fuel")


def to_reorder(uow: UnitOfWork, actor: Actor) -> list[dict[str, Any]]:
    """Items below their reorder level in any store, with the suggested quantity."""
    actor.require(CAN_VIEW_STOCK)
    with uow:
        rows = uow.session.execute(
            text("""
            SELECT i.id, i.name, i.article, i.unit, w.name AS store, coalesce(b.qty, 0) AS qty,
                   i.reorder_level, greatest(i.reorder_qty, i.reorder_level - coalesce(b.qty, 0)) AS suggested
            FROM item i CROSS JOIN warehouse w
            LEFT JOIN stock_balance b ON b.item_id = i.id AND b.warehouse_id = w.id
            WHERE i.archived_at IS NULL AND w.archived_at IS NULL AND i.reorder_level > 0
              AND coalesce(b.qty, 0) < i.reorder_level
              AND (b.item_id IS NOT NULL OR EXISTS (SELECT 1 FROM stock_move m WHERE m.item_id = i.id
                                                                             AND m.warehouse_id = w.id))
            ORDER BY w.name, i.name
        """)
        )
        return [dict(r._mapping) for r in rows]


def fuel_issued(uow: UnitOfWork, actor: Actor, first: dt.date, last: dt.date) -> list[dict[str, Any]]:
    """Fuel issued per vehicle over a period (SPEC W5): litres and cost."""
    actor.require(CAN_VIEW_STOCK)
    with uow:
        rows = uow.session.execute(
            text("""
            SELECT v.plate, i.name AS fuel, -sum(m.qty) AS litres, -sum(m.value) AS cost, count(DISTINCT s.id) AS issues
            FROM stock_move m
            JOIN stock_invoice s ON s.id = m.invoice_id
            JOIN item i ON i.id = m.item_id AND i.is_fuel
            JOIN vehicle v ON v.id = s.vehicle_id
            WHERE s.kind = 'issue' AND s.doc_date BETWEEN :first AND :last
            GROUP BY v.plate, i.name
            HAVING sum(m.qty) <> 0
            ORDER BY litres DESC
        """),
            {"first": first, "last": last},
        )
        return [dict(r._mapping) for r in rows]


def low_stock_digest(uow: UnitOfWork, today: dt.date | None = None) -> int:
    """The daily digest for keepers: one notice listing everything to reorder."""
    with uow:
        posted = _low_stock_digest(uow.session, today or company_today(uow.session))
        uow.commit()
        return posted


def _low_stock_digest(session: Session, today: dt.date) -> int:
    from core.services.notifications import Notice, notify, users_with_roles

    rows = session.execute(
        text("""
        SELECT i.name, w.name AS store, coalesce(b.qty, 0) AS qty, i.unit
        FROM stock_balance b JOIN item i ON i.id = b.item_id JOIN warehouse w ON w.id = b.warehouse_id
        WHERE i.reorder_level > 0 AND b.qty < i.reorder_level AND i.archived_at IS NULL
        ORDER BY w.name, i.name LIMIT 200
    """)
    ).all()
    if not rows:
        return 0
    body = "\n".join(f"{r.store}: {r.name} — {r.qty} {r.unit}" for r in rows)
    keepers = users_with_roles(session, frozenset({KEEPER}))
    return len(
        notify(
            session,
            keepers,
            Notice(
                kind="low_stock_digest",
                title=N_("{n} items to reorder"),
                body=body,
                params=(("n", len(rows)),),
                dedupe_key=f"low-digest:{today.isoformat()}",
            ),
        )
    )


# ---- reading: catalogs, invoices, balances, ledger ------------------------------------

ITEM_COLUMNS: dict[str, Any] = {
    "id": Item.id,
    "article": Item.article,
    "name": Item.name,
    "barcode": Item.barcode,
    "unit": Item.unit,
    "classification": Item.classification,
    "reorder_level": Item.reorder_level,
    "on_hand": select(func.coalesce(func.sum(StockBalance.qty), 0))
    .where(StockBalance.item_id == Item.id)
    .correlate(Item)
    .scalar_subquery(),
    "archived": Item.archived_at.is_not(None),
}


def _item_select(q: Any) -> Any:
    from core.services.listing import like_pattern

    stmt = select(*[c.label(k) for k, c in ITEM_COLUMNS.items()])
    if q.search.strip():
        code = q.search.strip()
        stmt = stmt.where(Item.search_text.like(like_pattern(code)) | (Item.barcode == code))
    if q.filter_value("fuel") == "1":
        stmt = stmt.where(Item.is_fuel)
    if not q.include_archived:
        stmt = stmt.where(Item.archived_at.is_(None))
    return stmt


def list_items(uow: UnitOfWork, actor: Actor, q: Any) -> Any:
    from core.services.listing import run_page

    actor.require(CAN_VIEW_STOCK)
    with uow:
        return run_page(uow.session, _item_select(q), q, ITEM_COLUMNS, "name", Item.id)


def export_items(uow: UnitOfWork, actor: Actor, q: Any) -> list[dict[str, Any]]:
    actor.require(CAN_VIEW_STOCK)
    with uow:
        return [dict(r._mapping) for r in uow.session.execute(_item_select(q).order_by(Item.name))]


def get_item(uow: UnitOfWork, actor: Actor, item_id: int) -> dict[str, Any]:
    actor.require(CAN_VIEW_STOCK)
    with uow:
        item = uow.session.get(Item, item_id)
        if item is None:
            raise NotFound(N_("This item does not exist."))
        return {c.key: getattr(item, c.key) for c in Item.__mapper__.column_attrs if c.key != "search_text"}


def item_choices(uow: UnitOfWork, actor: Actor) -> list[tuple[int, str]]:
    actor.require(CAN_VIEW_STOCK)
    with uow:
        return [
            (r.id, f"{r.name} · {r.article}")
            for r in uow.session.execute(
                select(Item.id, Item.name, Item.article)
                .where(Item.archived_at.is_(None))
                .order_by(Item.name)
                .limit(5000)
            )
        ]


def list_warehouses(uow: UnitOfWork, actor: Actor) -> list[dict[str, Any]]:
    actor.require(CAN_VIEW_STOCK)
    with uow:
        return [
            {"id": w.id, "name": w.name, "kind": w.kind}
            for w in uow.session.scalars(
                select(Warehouse).where(Warehouse.archived_at.is_(None)).order_by(Warehouse.name)
            )
        ]


def store_balances(uow: UnitOfWork, actor: Actor, store_id: int, at: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Every item's quantity and value in a store, now (from the balances) or at a past
    moment (from the ledger)."""
    actor.require(CAN_VIEW_STOCK)
    with uow:
        if at is None:
            rows = uow.session.execute(
                select(
                    Item.id,
                    Item.name,
                    Item.article,
                    Item.unit,
                    Item.reorder_level,
                    StockBalance.qty,
                    StockBalance.value,
                )
                .join(StockBalance, StockBalance.item_id == Item.id)
                .where(StockBalance.warehouse_id == store_id, StockBalance.qty != 0)
                .order_by(Item.name)
            )
        else:
            moved = (
                select(
                    StockMove.item_id, func.sum(StockMove.qty).label("qty"), func.sum(StockMove.value).label("value")
                )
                .where(StockMove.warehouse_id == store_id, StockMove.moved_at <= at)
                .group_by(StockMove.item_id)
                .subquery()
            )
            rows = uow.session.execute(
                select(Item.id, Item.name, Item.article, Item.unit, Item.reorder_level, moved.c.qty, moved.c.value)
                .join(moved, moved.c.item_id == Item.id)
                .where(moved.c.qty != 0)
                .order_by(Item.name)
            )
        return [dict(r._mapping) for r in rows]


def item_ledger(uow: UnitOfWork, actor: Actor, item_id: int, store_id: int, limit: int = 500) -> list[dict[str, Any]]:
    """The movements of an item in a store with the running balance, newest first."""
    actor.require(CAN_VIEW_STOCK)
    with uow:
        rows = uow.session.execute(
            text("""
            SELECT * FROM (
                SELECT m.moved_at, s.number, s.kind, m.qty, m.value,
                       sum(m.qty) OVER (ORDER BY m.moved_at, m.id) AS running_qty,
                       sum(m.value) OVER (ORDER BY m.moved_at, m.id) AS running_value,
                       m.id
                FROM stock_move m JOIN stock_invoice s ON s.id = m.invoice_id
                WHERE m.item_id = :item AND m.warehouse_id = :store
            ) t ORDER BY moved_at DESC, id DESC LIMIT :limit
        """),
            {"item": item_id, "store": store_id, "limit": limit},
        )
        return [dict(r._mapping) for r in rows]


def list_invoices(uow: UnitOfWork, actor: Actor, q: Any) -> Any:
    from core.services.listing import run_page

    actor.require(CAN_VIEW_STOCK)
    cols: dict[str, Any] = {
        "id": StockInvoice.id,
        "number": StockInvoice.number,
        "kind": StockInvoice.kind,
        "status": StockInvoice.status,
        "doc_date": StockInvoice.doc_date,
        "store": Warehouse.name,
        "supplier": StockInvoice.supplier,
        "basis": StockInvoice.basis,
        "value": select(func.coalesce(func.sum(func.abs(StockMove.value)), 0))
        .where(StockMove.invoice_id == StockInvoice.id, StockMove.warehouse_id == StockInvoice.warehouse_id)
        .correlate(StockInvoice)
        .scalar_subquery(),
    }
    stmt = select(*[c.label(k) for k, c in cols.items()]).join(Warehouse, Warehouse.id == StockInvoice.warehouse_id)
    if q.search.strip():
        stmt = stmt.where(StockInvoice.number.ilike(f"%{q.search.strip()}%"))
    for key, col in (("kind", StockInvoice.kind), ("status", StockInvoice.status)):
        value = q.filter_value(key)
        if value:
            stmt = stmt.where(col == value)
    with uow:
        return run_page(uow.session, stmt, q, cols, "number", StockInvoice.id)


def get_invoice(uow: UnitOfWork, actor: Actor, invoice_id: int) -> dict[str, Any]:
    actor.require(CAN_VIEW_STOCK)
    with uow:
        inv = uow.session.get(StockInvoice, invoice_id)
        if inv is None:
            raise NotFound(N_("This invoice does not exist."))
        out = {c.key: getattr(inv, c.key) for c in StockInvoice.__mapper__.column_attrs}
        store = uow.session.get(Warehouse, inv.warehouse_id)
        target = uow.session.get(Warehouse, inv.to_warehouse_id) if inv.to_warehouse_id else None
        out["store"] = store.name if store else ""
        out["to_store"] = target.name if target else ""
        if inv.vehicle_id:
            from db.models.fleet import Vehicle

            unit = uow.session.get(Vehicle, inv.vehicle_id)
            out["vehicle"] = unit.plate if unit else ""
        lines = []
        for line, item in uow.session.execute(
            select(StockInvoiceLine, Item)
            .join(Item, Item.id == StockInvoiceLine.item_id)
            .where(StockInvoiceLine.invoice_id == invoice_id)
            .order_by(StockInvoiceLine.id)
        ):
            value = uow.session.scalar(
                select(func.sum(StockMove.value)).where(
                    StockMove.invoice_id == invoice_id,
                    StockMove.item_id == item.id,
                    StockMove.warehouse_id == inv.warehouse_id,
                )
            )
            lines.append(
                {
                    "item_id": item.id,
                    "name": item.name,
                    "article": item.article,
                    "unit": item.unit,
                    "quantity": line.quantity,
                    "unit_price": line.unit_price,
                    "value": abs(value) if value is not None else None,
                }
            )
        out["lines"] = lines
        return out


def list_categories(uow: UnitOfWork, actor: Actor) -> list[dict[str, Any]]:
    """The category tree, flattened in display order with each category's path."""
    from db.models.stock import ItemCategory

    actor.require(CAN_VIEW_STOCK)
    with uow:
        rows = list(uow.session.scalars(select(ItemCategory).where(ItemCategory.archived_at.is_(None))))
    by_parent: dict[int | None, list[Any]] = {}
    for c in rows:
        by_parent.setdefault(c.parent_id, []).append(c)
    out: list[dict[str, Any]] = []

    def walk(parent: int | None, path: str, depth: int) -> None:
        for c in sorted(by_parent.get(parent, []), key=lambda x: x.name.lower()):
            full = f"{path} / {c.name}" if path else c.name
            out.append({"id": c.id, "name": c.name, "path": full, "depth": depth})
            if depth < 10:
                walk(c.id, full, depth + 1)

    walk(None, "", 0)
    return out


def create_category(uow: UnitOfWork, actor: Actor, name: str, parent_id: int | None = None) -> int:
    from db.models.stock import ItemCategory

    actor.require(CAN_EDIT_STOCK)
    clean = " ".join(name.split())
    errors = FieldErrors()
    if not clean:
        errors.add("name", N_("Enter a name."))
    errors.raise_if_any()
    with uow:
        clash = uow.session.scalar(
            select(ItemCategory.id).where(
                func.lower(ItemCategory.name) == clean.lower(),
                ItemCategory.parent_id.is_(None) if parent_id is None else ItemCategory.parent_id == parent_id,
            )
        )
        if clash:
            errors.add("name", N_("This category exists already."))
            errors.raise_if_any()
        category = ItemCategory(name=clean, parent_id=parent_id)
        uow.session.add(category)
        uow.session.flush()
        uow.commit()
        return category.id
