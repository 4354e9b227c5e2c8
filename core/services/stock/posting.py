"""Posting a stock document to the ledger, and cancelling one (SPEC W4).

Posting is one call of the database function `stock_post_document` (migrations 0004, 0007
and 0009): the document locked, every item's balance locked in item order (so two postings
never deadlock), moving-average cost, movements appended, balances updated, the document
marked posted and the change logged, in one round trip whatever the number of lines. The
database refuses a negative balance as a last guard. A posted document is never edited:
cancelling it posts the reversal.

Two ways in. The keeper's Post button (`create_and_post`) checks the input in Python, then
makes one call of `stock_create_and_post` (migration 0012): the stores and items checked, the
number from its prefix's counter row, the document and its lines saved and logged, and
`stock_post_document`, as a statement of its own in autocommit (`UnitOfWork.run_alone`, one
round trip), so a refused line leaves nothing behind. `post_document` posts a saved draft
the same way with `stock_post_document` alone. Either function refuses untouched (TW010) a
posting that needs Python as well (a fuel issue's odometer reading, low-stock notices); it
is then made by the same function inside a whole unit of work, followed by the reading and
the notices.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import psycopg
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from common.actor import Actor
from common.errors import DomainError, FieldErrors, NotFound
from common.i18n import N_, Qty
from common.roles import CAN_EDIT_STOCK
from core.services import fleet
from core.services.stock.documents import (
    DocumentInput,
    LineInput,
    add_unknown,
    check_input,
    check_known,
    document_json,
    new_document,
    raise_numbering_error,
)
from core.services.stock.fields import now
from core.services.stock.notices import notify_low_stock
from db.models.fleet import Repair, RepairPart
from db.models.stock import Item, StockBalance, StockDocument, StockDocumentLine, StockMove
from db.session import UnitOfWork


class InsufficientStock(DomainError):
    """An issue asks for more than the store holds."""


class AlreadyPosted(DomainError):
    pass


def create_and_post(uow: UnitOfWork, actor: Actor, data: DocumentInput) -> int:
    """The keeper's Post button: the document from the keeper's input and its posting in one
    statement, the database function `stock_create_and_post` (migration 0012), a transaction
    of its own in one round trip (`UnitOfWork.run_alone`): a refused line leaves nothing
    behind. What the database cannot do alone (a fuel issue's odometer reading, low-stock
    notices) is refused by it untouched (TW010) and done with the same function inside a
    whole unit of work, as is every Post inside a unit of work already open (an import)."""
    actor.require(CAN_EDIT_STOCK)
    with uow:
        errors, lines = check_input(data)
        if errors:  # every message at once, as the form shows them
            check_known(uow.session, data, lines, errors)
            errors.raise_if_any()
        params = {
            "input": document_json(actor, data, lines),
            "now": now(),
            "user_id": actor.user_id,
            "username": actor.username,
        }
        try:
            alone = uow.run_alone(_CREATE_AND_POST_ALONE, params)
        except psycopg.Error as exc:
            if exc.sqlstate != "TW010":
                _raise_creation_error(exc)
                raise
            alone = None
        if alone is not None:
            return int(alone[0])
        row = _call(uow, _CREATE_AND_POST, params)
        _after_posting(uow, actor, row[0], row[2:])
        uow.commit()
        return int(row[0])


def post_document(uow: UnitOfWork, actor: Actor, document_id: int) -> list[int]:
    """Post a saved draft (the Post button of a draft's details, the demo loader). Returns the
    items that fell below their reorder level.

    Most postings are the database function alone, a transaction of its own in one round
    trip. One that needs more (a fuel issue's odometer reading, low-stock notices) is refused
    by the function untouched (TW010) and posted in a whole unit of work; so is every posting
    inside a unit of work already open (`run_alone` returns None)."""
    actor.require(CAN_EDIT_STOCK)
    with uow:
        try:
            alone = uow.run_alone(_POST_ALONE, _posting_params(actor, document_id))
        except psycopg.Error as exc:
            if exc.sqlstate != "TW010":
                _raise_creation_error(exc)
                raise
            alone = None
        if alone is not None:
            return []
        low = post_in_unit_of_work(uow, actor, document_id)
        uow.commit()
        return low


def issue_for_repair(uow: UnitOfWork, actor: Actor, repair_id: int, store_id: int, lines: list[LineInput]) -> int:
    """Issue a repair's parts from stock in one step: the issue document, and the parts on the
    repair record at their stock cost, in one transaction."""
    actor.require(CAN_EDIT_STOCK)
    with uow:
        repair = uow.session.get(Repair, repair_id, with_for_update=True)
        if repair is None:
            raise NotFound(N_("This repair does not exist."))
        document = new_document(
            uow,
            actor,
            DocumentInput(
                kind="issue",
                warehouse_id=store_id,
                doc_date=repair.work_date,
                lines=lines,
                vehicle_id=repair.vehicle_id,
                repair_id=repair_id,
                basis=f"Repair {repair_id}",
            ),
        )
        post_in_unit_of_work(uow, actor, document.id)
        for line in uow.session.scalars(select(StockDocumentLine).where(StockDocumentLine.document_id == document.id)):
            item = uow.session.get(Item, line.item_id)
            cost = -(
                uow.session.scalar(
                    select(func.sum(StockMove.value)).where(
                        StockMove.document_id == document.id, StockMove.item_id == line.item_id
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
                    stock_issue_ref=document.number,
                )
            )
        uow.commit()
        return document.id


_POST = "SELECT * FROM stock_post_document(%(document)s, %(now)s, %(user_id)s, %(username)s)"
_POST_ALONE = "SELECT * FROM stock_post_document(%(document)s, %(now)s, %(user_id)s, %(username)s, true)"
_CREATE_AND_POST = "SELECT * FROM stock_create_and_post(%(input)s::jsonb, %(now)s, %(user_id)s, %(username)s)"
_CREATE_AND_POST_ALONE = (
    "SELECT * FROM stock_create_and_post(%(input)s::jsonb, %(now)s, %(user_id)s, %(username)s, true)"
)


def _posting_params(actor: Actor, document_id: int) -> dict[str, Any]:
    return {"document": document_id, "now": now(), "user_id": actor.user_id, "username": actor.username}


def _call(uow: UnitOfWork, statement: str, params: dict[str, Any]) -> tuple[Any, ...]:
    """One call of a posting function on the unit of work's transaction (flushed first)."""
    uow.session.flush()
    # a driver-level call on the transaction's connection (no statement compiling, no result
    # wrapping); the transaction stays the unit of work's, committed or rolled back by it
    cursor = uow.session.connection().connection.cursor()
    try:
        cursor.execute(statement, params)
        row = cursor.fetchone()
    except psycopg.Error as exc:
        _raise_creation_error(exc)
        raise
    finally:
        cursor.close()
    assert row is not None  # the functions return one row or raise
    return tuple(row)


def post_in_unit_of_work(uow: UnitOfWork, actor: Actor, document_id: int) -> list[int]:
    """Post a draft inside the open unit of work (not committed): one call of the database
    function on the transaction's connection; the odometer reading and low-stock notices
    follow only when there are any. Returns the items that fell below their reorder level."""
    return _after_posting(uow, actor, document_id, _call(uow, _POST, _posting_params(actor, document_id)))


def _after_posting(uow: UnitOfWork, actor: Actor, document_id: int, row: tuple[Any, ...]) -> list[int]:
    """What follows a posting in Python, from the posting function's row: the fuel issue's
    odometer reading and the low-stock notices, in the same unit of work."""
    low_ids, kind, vehicle_id, odometer_km, posted_at = row
    low = list(low_ids or [])
    if kind == "issue" and vehicle_id is not None and odometer_km is not None:
        # fuel issued to a vehicle records the odometer at the pump (it must fit the log):
        # the fleet's own use case, joined to this posting's unit of work
        document = uow.session.get(StockDocument, document_id, populate_existing=True)
        assert document is not None
        fleet.add_reading(uow, actor, vehicle_id, odometer_km, posted_at, document.number, "fuel")
    if low:
        document = uow.session.get(StockDocument, document_id, populate_existing=True)
        assert document is not None
        notify_low_stock(uow, document, low)
    return low


def _raise_creation_error(exc: psycopg.Error) -> None:
    """The creating function's own errors (TW004 unknown store or items, TW005 the numbering's
    setting missing) worded as new_document words them, then the posting's."""
    if exc.sqlstate == "TW004":
        info = json.loads(exc.diag.message_detail or "{}")
        errors = FieldErrors()
        add_unknown(errors, bool(info.get("store")), [int(n) for n in info.get("lines") or []])
        errors.raise_if_any()
    raise_numbering_error(exc)
    _raise_posting_error(exc)


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
            left=Qty(info["left"], str(info["unit"])),
            unit=info["unit"],
            item=info["item"],
        ) from exc


def _lock_balance(uow: UnitOfWork, item_id: int, store_id: int) -> StockBalance:
    uow.session.execute(
        insert(StockBalance).values(item_id=item_id, warehouse_id=store_id, qty=0, value=0).on_conflict_do_nothing()
    )
    balance = uow.session.get(StockBalance, (item_id, store_id), with_for_update=True, populate_existing=True)
    assert balance is not None
    return balance


def _move(
    uow: UnitOfWork, document: StockDocument, balance: StockBalance, qty: Decimal, value: Decimal, at: dt.datetime
) -> None:
    if qty == 0:
        return
    uow.session.add(
        StockMove(
            item_id=balance.item_id,
            warehouse_id=balance.warehouse_id,
            document_id=document.id,
            moved_at=at,
            qty=qty,
            value=value,
        )
    )
    balance.qty += qty
    balance.value += value


def cancel_document(uow: UnitOfWork, actor: Actor, document_id: int) -> None:
    """A draft is simply cancelled; a posted document gets reversing movements."""
    actor.require(CAN_EDIT_STOCK)
    with uow:
        document = uow.session.get(StockDocument, document_id, with_for_update=True)
        if document is None:
            raise NotFound(N_("This invoice does not exist."))
        if document.status == "cancelled":
            raise AlreadyPosted(
                N_("Invoice {number} is already {status}."), number=document.number, status=document.status
            )
        at = now()
        if document.status == "posted":
            moves = uow.session.scalars(
                select(StockMove)
                .where(StockMove.document_id == document_id)
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
                        left=Qty(balance.qty, item.unit if item else ""),
                        unit=item.unit if item else "",
                    )
                value = -move.value if balance.qty != move.qty else -balance.value
                _move(uow, document, balance, -move.qty, value, at)
        document.status = "cancelled"
        # the reversal's moment: the list tells the posting's moves from the reversal's by it
        document.cancelled_at = at
        uow.commit()
