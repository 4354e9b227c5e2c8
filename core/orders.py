"""Transport orders (SPEC T1): their statuses and the moves between them, and the checks of an
order's cargo and stops that need no database.

The life of an order:
    request -> quoted -> confirmed -> planned -> in_transit -> delivered -> closed
A quote may be sent again (quoted -> quoted) and a request confirmed without a quote; a
planned order goes back to confirmed when its trip is cancelled. Cancelled, with a reason,
from any state before delivery. The price is frozen from confirmation on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from common.errors import DomainError
from common.i18n import N_

REQUEST, QUOTED, CONFIRMED, PLANNED, IN_TRANSIT, DELIVERED, CLOSED, CANCELLED = (
    "request",
    "quoted",
    "confirmed",
    "planned",
    "in_transit",
    "delivered",
    "closed",
    "cancelled",
)

STATUS_LABELS = {
    REQUEST: N_("Request"),
    QUOTED: N_("Quoted"),
    CONFIRMED: N_("Confirmed"),
    PLANNED: N_("Planned"),
    IN_TRANSIT: N_("In transit"),
    DELIVERED: N_("Delivered"),
    CLOSED: N_("Closed"),
    CANCELLED: N_("Cancelled"),
}

SERVICE_LABELS = {
    "ftl": N_("Full truck load"),
    "ltl": N_("Groupage (part load)"),
    "container": N_("Container"),
    "distribution": N_("Distribution"),
}
STOP_KIND_LABELS = {"pickup": N_("Pick-up"), "dropoff": N_("Drop-off")}
CATALOG_LABELS = {
    "order_category": N_("Order category"),
    "cargo_type": N_("Cargo type"),
    "cancel_reason": N_("Reason for cancelling"),
}

MOVES: dict[str, frozenset[str]] = {
    REQUEST: frozenset({QUOTED, CONFIRMED, CANCELLED}),
    QUOTED: frozenset({QUOTED, CONFIRMED, CANCELLED}),
    CONFIRMED: frozenset({PLANNED, CANCELLED}),
    PLANNED: frozenset({CONFIRMED, IN_TRANSIT, CANCELLED}),
    IN_TRANSIT: frozenset({DELIVERED, CANCELLED}),
    DELIVERED: frozenset({CLOSED}),
    CLOSED: frozenset(),
    CANCELLED: frozenset(),
}
PRICE_FROZEN = frozenset({CONFIRMED, PLANNED, IN_TRANSIT, DELIVERED, CLOSED})
EDITABLE = frozenset({REQUEST, QUOTED})  # cargo and stops change only before confirmation


class StatusMoveRefused(DomainError):
    def __init__(self, number: str, current: str, wanted: str) -> None:
        super().__init__(
            N_("Order {number} is {current}: it cannot become {wanted}."),
            number=number,
            current=STATUS_LABELS[current],
            wanted=STATUS_LABELS[wanted],
        )
        self.current, self.wanted = current, wanted


def check_move(number: str, current: str, wanted: str) -> None:
    """Refuse a change of status the life of an order does not allow."""
    if wanted not in MOVES[current]:
        raise StatusMoveRefused(number, current, wanted)


@dataclass(frozen=True)
class StopFacts:
    seq: int
    kind: str  # pickup | dropoff
    place_id: int
    window_from: dt.datetime | None = None
    window_to: dt.datetime | None = None


class InvalidStops(DomainError):
    """The stops of an order do not make a route; `field` names the stop it is about."""

    def __init__(self, message: str, field: str = "stops", **params: object) -> None:
        super().__init__(message, **params)
        self.field = field


def check_stops(stops: Sequence[StopFacts]) -> None:
    """An order has at least one pick-up and one drop-off, every window closes after it opens,
    and no drop-off is before the first pick-up, nor its window before that pick-up's."""
    pickups = [s for s in stops if s.kind == "pickup"]
    dropoffs = [s for s in stops if s.kind == "dropoff"]
    if not pickups:
        raise InvalidStops(N_("An order needs a pick-up."))
    if not dropoffs:
        raise InvalidStops(N_("An order needs a drop-off."))
    for stop in stops:
        if stop.window_from and stop.window_to and stop.window_to < stop.window_from:
            raise InvalidStops(N_("Stop {n}: the window closes before it opens."), field=f"stop_{stop.seq}", n=stop.seq)
    first_pickup = min(pickups, key=lambda s: s.seq)
    for stop in dropoffs:
        if stop.seq < first_pickup.seq:
            raise InvalidStops(
                N_("Stop {n} is a drop-off before any pick-up: put a pick-up first."),
                field=f"stop_{stop.seq}",
                n=stop.seq,
            )
        opens = first_pickup.window_from
        if opens and stop.window_to and stop.window_to < opens:
            raise InvalidStops(
                N_("Stop {n}: the drop-off window closes before the pick-up window opens."),
                field=f"stop_{stop.seq}",
                n=stop.seq,
            )
