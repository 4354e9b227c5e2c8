"""The one way an order's status changes, whoever changes it (the order screen, a quote, a
trip being planned, dispatched or delivered): the move is checked against the order's life
(`core.orders.MOVES`), the moment is stamped, and an `order_status_event` row says who, when,
from what, to what and why. The client's timeline and the order's history read those rows.

Internal to the transport services (the package re-exports what screens need).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from common.actor import Actor
from core.orders import CANCELLED, CLOSED, CONFIRMED, DELIVERED, check_move
from db.models.orders import OrderStatusEvent, TransportOrder

_STAMPS = {CONFIRMED: "confirmed_at", DELIVERED: "delivered_at", CLOSED: "closed_at", CANCELLED: "cancelled_at"}


def move_order(
    session: Session,
    actor: Actor | None,
    order: TransportOrder,
    wanted: str,
    note: str | None = None,
    at: dt.datetime | None = None,
) -> None:
    """Move `order` (loaded, best locked FOR UPDATE by the caller) to `wanted` in the caller's
    transaction; refused with `StatusMoveRefused` when its life does not allow it."""
    check_move(order.number, order.status, wanted)
    moment = at or dt.datetime.now(dt.UTC)
    before = order.status
    order.status = wanted
    stamp = _STAMPS.get(wanted)
    if stamp and not (wanted == CONFIRMED and order.confirmed_at):  # back from planned: keeps its first
        setattr(order, stamp, moment)
    session.add(
        OrderStatusEvent(
            order_id=order.id,
            at=moment,
            from_status=before,
            to_status=wanted,
            user_id=actor.user_id if actor else None,
            note=note,
        )
    )
