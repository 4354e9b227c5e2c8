"""Low stock (SPEC W4): a notice when a posting takes an item below its reorder level, and
the keepers' daily digest. "Low" is one rule: core.stock.is_low, which the database function
`stock_is_low` (migration 0009) follows in every query.

One open notice per item and store (cause `low_stock:item:<id>:store:<id>`): a further
posting while it is low updates it with the quantity left. The daily digest (cause
`low_stock_digest`, one per keeper, updated each day) resolves the notices of items back at
their level, so the next fall below it is a new notice."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text

from common.i18n import N_, Msg, N_n, Qty
from common.roles import KEEPER
from core.services.notifications import Notice, notify, resolve_others, users_with_roles
from core.services.settings import company_today
from db.models.stock import Item, StockBalance, StockDocument, Warehouse
from db.session import UnitOfWork


def notify_low_stock(uow: UnitOfWork, document: StockDocument, item_ids: list[int]) -> None:
    """Tell the store's keeper (or every keeper) that these items fell below their level with
    this posting; inside the posting's unit of work."""
    store = uow.session.get(Warehouse, document.warehouse_id)
    keepers = users_with_roles(uow.session, frozenset({KEEPER}))
    if store is not None and store.keeper_user_id:
        keepers = [store.keeper_user_id]
    for item_id in item_ids:
        item = uow.session.get(Item, item_id)
        balance = uow.session.get(StockBalance, (item_id, document.warehouse_id))
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
                    ("left", Qty(balance.qty, item.unit)),
                    ("unit", item.unit),
                    ("level", Qty(item.reorder_level, item.unit)),
                    ("reorder", Qty(item.reorder_qty, item.unit)),
                ),
                entity_type="item",
                entity_id=item.id,
                dedupe_key=f"low:{item.id}:{document.warehouse_id}:{document.id}",
                cause=low_stock_cause(item.id, document.warehouse_id),
            ),
        )


def low_stock_cause(item_id: int, store_id: int) -> str:
    return f"low_stock:item:{item_id}:store:{store_id}"


DIGEST_CAUSE = "low_stock_digest"
DIGEST_LINE = N_("{store}: {item} — {qty} {unit}")


def low_stock_digest(uow: UnitOfWork, today: dt.date | None = None) -> int:
    """The daily digest for keepers: one notice listing everything to reorder, updated each
    day while anything is low. It also resolves the notices of items back at their level
    (and the digest itself when nothing is low). Returns how many keepers got it."""
    with uow:
        session = uow.session
        day = today or company_today(session)
        rows = session.execute(
            text("""
            SELECT i.id AS item_id, b.warehouse_id, i.name, w.name AS store, coalesce(b.qty, 0) AS qty, i.unit
            FROM stock_balance b JOIN item i ON i.id = b.item_id JOIN warehouse w ON w.id = b.warehouse_id
            WHERE stock_is_low(b.qty, i.reorder_level) AND i.archived_at IS NULL
            ORDER BY w.name, i.name
        """)
        ).all()
        resolve_others(session, "low_stock:item:", {low_stock_cause(r.item_id, r.warehouse_id) for r in rows})
        if not rows:
            resolve_others(session, DIGEST_CAUSE, set())
            uow.commit()
            return 0
        # item and store names are data: parameters of our line, never the template
        lines = [
            Msg(DIGEST_LINE, {"store": r.store, "item": r.name, "qty": Qty(r.qty, r.unit), "unit": r.unit})
            for r in rows[:200]
        ]
        keepers = users_with_roles(session, frozenset({KEEPER}))
        posted = len(
            notify(
                session,
                keepers,
                Notice(
                    kind="low_stock_digest",
                    title=N_n("{n} item to reorder", "{n} items to reorder"),
                    body=N_("To reorder:\n{lines}"),
                    params=(("n", len(rows)), ("lines", lines)),
                    dedupe_key=f"low-digest:{day.isoformat()}",
                    cause=DIGEST_CAUSE,
                    remind=True,
                ),
            )
        )
        uow.commit()
        return posted
