"""Reading the stock (SPEC W4, W5): balances now or at a past moment, the ledger of an item,
what to reorder, fuel issued per vehicle, and the book's self-check."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, text

from common.actor import Actor
from common.roles import CAN_VIEW_STOCK
from core.stock import is_low
from db.models.stock import Item, StockBalance, StockMove
from db.session import UnitOfWork


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


def store_balances(uow: UnitOfWork, actor: Actor, store_id: int, at: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Every item's quantity and value in a store, now (from the balances) or at a past
    moment (from the ledger), each marked `low` by the one low-stock rule."""
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
        return [{**r._mapping, "low": is_low(r.qty, r.reorder_level)} for r in rows]


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
                FROM stock_move m JOIN stock_document s ON s.id = m.document_id
                WHERE m.item_id = :item AND m.warehouse_id = :store
            ) t ORDER BY moved_at DESC, id DESC LIMIT :limit
        """),
            {"item": item_id, "store": store_id, "limit": limit},
        )
        return [dict(r._mapping) for r in rows]


def to_reorder(uow: UnitOfWork, actor: Actor) -> list[dict[str, Any]]:
    """Items below their reorder level in any store (stock_is_low, the one rule), with the
    suggested quantity."""
    actor.require(CAN_VIEW_STOCK)
    with uow:
        rows = uow.session.execute(
            text("""
            SELECT i.id, i.name, i.article, i.unit, w.name AS store, coalesce(b.qty, 0) AS qty,
                   i.reorder_level, greatest(i.reorder_qty, i.reorder_level - coalesce(b.qty, 0)) AS suggested
            FROM item i CROSS JOIN warehouse w
            LEFT JOIN stock_balance b ON b.item_id = i.id AND b.warehouse_id = w.id
            WHERE i.archived_at IS NULL AND w.archived_at IS NULL
              AND stock_is_low(coalesce(b.qty, 0), i.reorder_level)
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
            JOIN stock_document s ON s.id = m.document_id
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
