"""Low stock (SPEC W4): a notice when a posting takes an item below its reorder level, and
the keepers' daily digest. "Low" is one rule: core.stock.is_low, which the database function
`stock_is_low` (migration 0009) follows in every query."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text

from common.i18n import N_
from common.roles import KEEPER
from core.services.notifications import Notice, notify, users_with_roles
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
                    ("left", balance.qty),
                    ("unit", item.unit),
                    ("level", item.reorder_level),
                    ("reorder", item.reorder_qty),
                ),
                entity_type="item",
                entity_id=item.id,
                dedupe_key=f"low:{item.id}:{document.warehouse_id}:{document.id}",
            ),
        )


def low_stock_digest(uow: UnitOfWork, today: dt.date | None = None) -> int:
    """The daily digest for keepers: one notice listing everything to reorder."""
    with uow:
        session = uow.session
        day = today or company_today(session)
        rows = session.execute(
            text("""
            SELECT i.name, w.name AS store, coalesce(b.qty, 0) AS qty, i.unit
            FROM stock_balance b JOIN item i ON i.id = b.item_id JOIN warehouse w ON w.id = b.warehouse_id
            WHERE stock_is_low(b.qty, i.reorder_level) AND i.archived_at IS NULL
            ORDER BY w.name, i.name LIMIT 200
        """)
        ).all()
        if not rows:
            return 0
        body = "\n".join(f"{r.store}: {r.name} — {r.qty} {r.unit}" for r in rows)
        keepers = users_with_roles(session, frozenset({KEEPER}))
        posted = len(
            notify(
                session,
                keepers,
                Notice(
                    kind="low_stock_digest",
                    title=N_("{n} items to reorder"),
                    body=N_("To reorder:\n{lines}"),  # item names are data: a parameter, never the template
                    params=(("n", len(rows)), ("lines", body)),
                    dedupe_key=f"low-digest:{day.isoformat()}",
                ),
            )
        )
        uow.commit()
        return posted
