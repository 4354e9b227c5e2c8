"""Trips (SPEC T4): their statuses and moves, the capacity check of a vehicle and trailer
against the orders it carries, and the comparison of actual against planned at closing.

The life of a trip: planned -> dispatched -> in_progress -> completed -> closed, and
cancelled before it starts (planned or dispatched). Closing needs every drop-off's proof of
delivery and the odometer in.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from common.errors import DomainError, ValidationError
from common.i18n import N_, Qty

PLANNED, DISPATCHED, IN_PROGRESS, COMPLETED, CLOSED, CANCELLED = (
    "planned",
    "dispatched",
    "in_progress",
    "completed",
    "closed",
    "cancelled",
)
STATUS_LABELS = {
    PLANNED: N_("Planned"),
    DISPATCHED: N_("Dispatched"),
    IN_PROGRESS: N_("On the road"),
    COMPLETED: N_("Completed"),
    CLOSED: N_("Closed"),
    CANCELLED: N_("Cancelled"),
}
STOP_KIND_LABELS = {
    "start": N_("Start"),
    "pickup": N_("Pick-up"),
    "dropoff": N_("Drop-off"),
    "return": N_("Return"),
}
EXPENSE_LABELS = {
    "parking": N_("Parking"),
    "toll": N_("Toll"),
    "border": N_("Border fee"),
    "road_repair": N_("Road repair"),
    "per_diem": N_("Per diem"),
    "other": N_("Other expense"),
}
MOVES: dict[str, frozenset[str]] = {
    PLANNED: frozenset({DISPATCHED, CANCELLED}),
    DISPATCHED: frozenset({PLANNED, IN_PROGRESS, CANCELLED}),
    IN_PROGRESS: frozenset({COMPLETED}),
    COMPLETED: frozenset({CLOSED, IN_PROGRESS}),
    CLOSED: frozenset(),
    CANCELLED: frozenset(),
}
BOOKED = frozenset({PLANNED, DISPATCHED, IN_PROGRESS, COMPLETED, CLOSED})


class TripMoveRefused(DomainError):
    def __init__(self, number: str, current: str, wanted: str) -> None:
        super().__init__(
            N_("Trip {number} is {current}: it cannot become {wanted}."),
            number=number,
            current=STATUS_LABELS[current],
            wanted=STATUS_LABELS[wanted],
        )


def check_move(number: str, current: str, wanted: str) -> None:
    if wanted not in MOVES[current]:
        raise TripMoveRefused(number, current, wanted)


@dataclass(frozen=True)
class Capacity:
    """What a power unit and its trailer can take together (None: not known)."""

    payload_kg: Decimal | None
    volume_m3: Decimal | None
    pallets: int | None


N = TypeVar("N", Decimal, int)


def _add(a: N | None, b: N | None) -> N | None:
    """Two capacities together; unknown only when both are."""
    if a is None:
        return b
    return a if b is None else a + b


def combined(vehicle: Capacity, trailer: Capacity | None) -> Capacity:
    """A truck and its trailer together; a tractor carries only what its trailer takes."""
    if trailer is None:
        return vehicle
    return Capacity(
        _add(vehicle.payload_kg, trailer.payload_kg),
        _add(vehicle.volume_m3, trailer.volume_m3),
        _add(vehicle.pallets, trailer.pallets),
    )


class CargoTooBig(ValidationError):
    """The orders do not fit the vehicle and trailer: every measure that is over, by how much
    (`errors` by field: weight, volume, pallets)."""


_OVER = {
    "weight": N_("Too heavy: {load} kg against the {limit} kg the vehicle and trailer take, {by} kg over."),
    "volume": N_("Too big: {load} m³ against the {limit} m³ the vehicle and trailer take, {by} m³ over."),
    "pallets": N_("Too many pallets: {load} against the {limit} the vehicle and trailer take, {by} over."),
}


def check_capacity(capacity: Capacity, weight_kg: Decimal, volume_m3: Decimal, pallets: int) -> None:
    """Refuse a load over what the vehicle and trailer can take (a measure they do not state
    is not checked)."""
    over: dict[str, tuple[str, dict[str, object]]] = {}
    for field, load, limit, unit in (
        ("weight", weight_kg, capacity.payload_kg, "kg"),
        ("volume", volume_m3, capacity.volume_m3, "m3"),
        ("pallets", Decimal(pallets), capacity.pallets, "pcs"),
    ):
        if limit is not None and load > Decimal(limit):
            params: dict[str, object] = {
                "load": Qty(load, unit),
                "limit": Qty(Decimal(limit), unit),
                "by": Qty(load - Decimal(limit), unit),
            }
            over[field] = (_OVER[field], params)
    if over:
        raise CargoTooBig(over)


@dataclass(frozen=True)
class FuelResult:
    actual_l: Decimal
    norm_l: Decimal
    over_l: Decimal
    over_pct: Decimal
    overuse: bool


class FuelFiguresMissing(DomainError):
    pass


def fuel_against_norm(
    fuel_start_l: Decimal, fuel_end_l: Decimal, issued_l: Decimal, norm_l: Decimal, tolerance_pct: Decimal
) -> FuelResult:
    """Fuel used = in the tank at the start + issued on the way - in the tank at the end,
    against the norm for the km driven; over the tolerance (a %) it is overuse."""
    actual = fuel_start_l + issued_l - fuel_end_l
    if actual < 0:
        raise FuelFiguresMissing(
            N_("Fuel at the end ({end}) is more than at the start plus what was issued ({total})."),
            end=Qty(fuel_end_l, "l"),
            total=Qty(fuel_start_l + issued_l, "l"),
        )
    over = actual - norm_l
    pct = (over * 100 / norm_l).quantize(Decimal("0.1"), ROUND_HALF_UP) if norm_l > 0 else Decimal(0)
    return FuelResult(actual, norm_l, over, pct, norm_l > 0 and pct > tolerance_pct)
