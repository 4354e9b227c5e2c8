"""The stops of a route (SPEC T2) and what a given order of them comes to.

Pure rules, no database: the inputs of route planning (`RouteProblem`: the start and an
optional end `Place`, the `Stop`s, the `DistanceMatrix` of road km and minutes the caller
builds from the distance source, the vehicle's (+ trailer's) `Capacity`, the departure),
its output (`RoutePlan`: a `Visit` per leg with arrival, waiting, departure, cumulative km
and load on board; the totals), and `evaluate_order`, which takes the stops in an order the
dispatcher chose by hand, recomputes km, hours and load, and names each broken rule
(`Violation`) instead of refusing. `core.route_plan` finds the best order with OR-Tools.

A time window bounds the moment service starts at a stop: arriving early means waiting,
arriving after it closes breaks it. A window is a timezone-aware moment or a whole number of
minutes after the departure. A drop-off whose order has no pick-up on this trip carries
cargo already on board at the departure; a pick-up with no drop-off keeps it on board.
Km count to the metre, times to the minute, loads to the gram, litre and pallet.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from common.errors import DomainError
from common.i18n import N_, Qty

PICKUP, DROPOFF = "pickup", "dropoff"
KINDS = (PICKUP, DROPOFF)
ZERO = Decimal(0)
PlaceId = int | str
TimePoint = dt.datetime | int | None


@dataclass(frozen=True)
class Load:
    weight_kg: Decimal = ZERO
    volume_m3: Decimal = ZERO
    pallets: int = 0

    def __add__(self, other: Load) -> Load:
        return Load(self.weight_kg + other.weight_kg, self.volume_m3 + other.volume_m3, self.pallets + other.pallets)

    def fits_in(self, other: Load) -> bool:
        return self.weight_kg <= other.weight_kg and self.volume_m3 <= other.volume_m3 and self.pallets <= other.pallets

    def __sub__(self, other: Load) -> Load:
        return Load(self.weight_kg - other.weight_kg, self.volume_m3 - other.volume_m3, self.pallets - other.pallets)


@dataclass(frozen=True)
class Capacity:
    """What the vehicle (+ trailer) carries; None where a measure is not limited."""

    weight_kg: Decimal | None = None
    volume_m3: Decimal | None = None
    pallets: int | None = None

    def __add__(self, other: Capacity) -> Capacity:
        """The vehicle's and the trailer's together; a measure neither limits stays unlimited."""
        kg, m3, pallets = (
            (self.weight_kg, other.weight_kg),
            (self.volume_m3, other.volume_m3),
            (self.pallets, other.pallets),
        )
        return Capacity(
            None if kg == (None, None) else sum((v or ZERO for v in kg), ZERO),
            None if m3 == (None, None) else sum((v or ZERO for v in m3), ZERO),
            None if pallets == (None, None) else sum(v or 0 for v in pallets),
        )


def combined_capacity(vehicle: Capacity, trailer: Capacity | None = None) -> Capacity:
    return vehicle if trailer is None else vehicle + trailer


@dataclass(frozen=True)
class Place:
    place_id: PlaceId
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or str(self.place_id)


@dataclass(frozen=True)
class Stop:
    """A pick-up or a drop-off of one order's cargo (`load`) at a place, within a window
    (`earliest`, `latest`: the moments service may start), taking `service_min` minutes."""

    id: int | str
    place_id: PlaceId
    kind: str  # PICKUP or DROPOFF
    order_id: int | str
    load: Load = Load()
    earliest: TimePoint = None  # service starts no sooner
    latest: TimePoint = None  # ... and no later
    service_min: int = 0
    place_name: str = ""
    order_ref: str = ""

    @property
    def label(self) -> str:
        return self.place_name or str(self.place_id)

    @property
    def order_label(self) -> str:
        return self.order_ref or str(self.order_id)


@dataclass(frozen=True)
class Leg:
    """Road km and driving minutes from one place to another; `source` says where the
    distance came from (the company's table, a routing server, an estimate), for the leg table."""

    km: Decimal
    minutes: int
    source: str = ""

    @classmethod
    def from_hours(cls, km: Decimal, hours: Decimal, source: str = "") -> Leg:
        return cls(km, int((hours * 60).to_integral_value(ROUND_HALF_UP)), source)


@dataclass(frozen=True)
class DistanceMatrix:
    """Road km and driving minutes between places; a pair given one way serves both ways."""

    legs: Mapping[tuple[PlaceId, PlaceId], Leg]
    names: Mapping[PlaceId, str] = field(default_factory=dict)

    def leg(self, origin: PlaceId, destination: PlaceId) -> Leg:
        if origin == destination:
            return self.legs.get((origin, destination), Leg(ZERO, 0))
        found = self.legs.get((origin, destination)) or self.legs.get((destination, origin))
        if found is None:
            raise MissingDistance(
                N_("No road distance is known from {origin} to {destination}."),
                origin=self.names.get(origin, str(origin)),
                destination=self.names.get(destination, str(destination)),
            )
        return found


@dataclass(frozen=True)
class RouteProblem:
    start: Place
    stops: tuple[Stop, ...]
    matrix: DistanceMatrix
    departure: dt.datetime  # timezone-aware
    capacity: Capacity = Capacity()
    end: Place | None = None  # None: the route ends at its last stop


@dataclass(frozen=True)
class Violation:
    """A rule the order breaks at a stop, worded by `message` and `params` (the screen
    translates them); `by` says by how much: minutes late, or the load over the capacity in
    the unit of `measure`."""

    kind: str  # "late", "before_pickup", "over_capacity"
    stop_id: int | str
    message: str
    params: Mapping[str, object]
    by: Decimal = ZERO
    measure: str = ""  # "weight", "volume" or "pallets" when over capacity


@dataclass(frozen=True)
class Visit:
    """One leg and the stop it ends at (`stop` None for the end place)."""

    place_id: PlaceId
    place_name: str
    stop: Stop | None
    leg_km: Decimal
    leg_minutes: int
    leg_source: str
    arrival: dt.datetime
    wait_minutes: int
    service_start: dt.datetime
    departure: dt.datetime
    km: Decimal  # from the start, this leg included
    load: Load  # on board when leaving


@dataclass(frozen=True)
class RoutePlan:
    visits: tuple[Visit, ...]
    departure: dt.datetime
    total_km: Decimal
    total_minutes: int  # departure to the arrival at the end (or the last stop's departure)
    driving_minutes: int
    waiting_minutes: int
    violations: tuple[Violation, ...] = ()
    optimal: bool = False  # proved shortest by a complete search
    method: str = "manual"  # "exact", "local" (the solver's searches) or "manual"

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.total_minutes) / 60).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def finish(self) -> dt.datetime:
        return self.departure + dt.timedelta(minutes=self.total_minutes)

    @property
    def feasible(self) -> bool:
        return not self.violations

    @property
    def stops(self) -> tuple[Stop, ...]:
        return tuple(v.stop for v in self.visits if v.stop is not None)


# ---- errors ---------------------------------------------------------------------------


class RoutePlanError(DomainError):
    """The stops cannot be planned as given. `stop_id` names the stop at fault, if one is."""

    def __init__(self, message: str, stop_id: int | str | None = None, **params: object) -> None:
        super().__init__(message, **params)
        self.stop_id = stop_id


class MissingDistance(RoutePlanError):
    pass


class InvalidStops(RoutePlanError):
    pass


LATE = N_("{place} is reached at {arrival}, {late} min after its window closes at {latest}.")
BEFORE_PICKUP = N_("The drop-off at {place} for order {order} comes before its pick-up at {pickup}.")
OVER_CAPACITY = {
    "weight": N_("Leaving {place} the vehicle carries {load} kg, {excess} kg more than its capacity of {capacity} kg."),
    "volume": N_("Leaving {place} the vehicle carries {load} m³, {excess} m³ more than its capacity of {capacity} m³."),
    "pallets": N_(
        "Leaving {place} the vehicle carries {load} pallets, {excess} more than its {capacity} pallet places."
    ),
}
UNITS = {"weight": "kg", "volume": "m3", "pallets": "pallets"}


def clock(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def span(start: dt.datetime, end: dt.datetime) -> str:
    return f"{clock(start)} – {end.strftime('%H:%M') if end.date() == start.date() else clock(end)}"


def measures(load: Load | Capacity) -> dict[str, Decimal | None]:
    return {
        "weight": load.weight_kg,
        "volume": load.volume_m3,
        "pallets": None if load.pallets is None else Decimal(load.pallets),
    }


# ---- the problem in minutes and whole units -------------------------------------------


@dataclass(frozen=True)
class Frame:
    """The problem checked and measured: windows in minutes after the departure."""

    problem: RouteProblem
    windows: Mapping[int | str, tuple[int, int | None]]
    initial: Load  # on board at the departure: drop-offs of orders picked up before

    def moment(self, minutes: int) -> dt.datetime:
        return self.problem.departure + dt.timedelta(minutes=minutes)

    def window_moments(self, stop: Stop) -> tuple[dt.datetime | None, dt.datetime | None]:
        """The stop's window as given, as moments in the departure's time zone."""
        return self.at(stop.earliest), self.at(stop.latest)

    def at(self, point: TimePoint) -> dt.datetime | None:
        if isinstance(point, dt.datetime):
            return point.astimezone(self.problem.departure.tzinfo)
        return None if point is None else self.moment(point)


def _offset(point: TimePoint, departure: dt.datetime) -> float | None:
    """Minutes after the departure."""
    if isinstance(point, dt.datetime):
        return (point - departure).total_seconds() / 60
    return None if point is None else float(point)


def measure_problem(problem: RouteProblem) -> Frame:
    """The problem checked (a clear message for each bad input) and put in minutes."""
    departure = problem.departure
    if departure.tzinfo is None or departure.utcoffset() is None:
        raise InvalidStops(N_("The departure time needs a time zone."))
    seen: set[int | str] = set()
    windows: dict[int | str, tuple[int, int | None]] = {}
    for stop in problem.stops:
        if stop.id in seen:
            raise InvalidStops(N_("The stop at {place} is listed twice."), stop.id, place=stop.label)
        seen.add(stop.id)
        if stop.kind not in KINDS:
            raise InvalidStops(
                N_("The stop at {place} is neither a pick-up nor a drop-off."), stop.id, place=stop.label
            )
        for point in (stop.earliest, stop.latest):
            if isinstance(point, dt.datetime) and (point.tzinfo is None or point.utcoffset() is None):
                raise InvalidStops(N_("The time window at {place} needs a time zone."), stop.id, place=stop.label)
        if stop.service_min < 0 or any(v < 0 for v in measures(stop.load).values() if v is not None):
            raise InvalidStops(N_("The stop at {place} has a negative load or time."), stop.id, place=stop.label)
        earliest, latest = _offset(stop.earliest, departure), _offset(stop.latest, departure)
        if earliest is not None and latest is not None and latest < earliest:
            raise InvalidStops(N_("The time window at {place} ends before it starts."), stop.id, place=stop.label)
        opens = None if earliest is None else math.ceil(earliest)  # never sooner than the window opens
        hi = None if latest is None else math.floor(latest)
        if opens is not None and hi is not None and hi < opens:
            hi = opens  # a window inside one minute
        lo = max(opens or 0, 0)
        windows[stop.id] = (lo, hi)
    initial = Load()
    for stops in orders_of(problem.stops).values():
        picked = total(s for s in stops if s.kind == PICKUP)
        dropped = total(s for s in stops if s.kind == DROPOFF)
        if not any(s.kind == PICKUP for s in stops):
            initial += dropped
        elif not dropped.fits_in(picked):
            first = stops[0]
            raise InvalidStops(
                N_("Order {order} drops off more than it picks up on this trip."), first.id, order=first.order_label
            )
    return Frame(problem, windows, initial)


def total(stops: Iterable[Stop]) -> Load:
    """The load of the stops together."""
    out = Load()
    for stop in stops:
        out += stop.load
    return out


def orders_of(stops: Sequence[Stop]) -> dict[int | str, list[Stop]]:
    orders: dict[int | str, list[Stop]] = {}
    for stop in stops:
        orders.setdefault(stop.order_id, []).append(stop)
    return orders


# ---- a given order: km, hours, load, and what it breaks -------------------------------


def evaluate_order(stops_in_order: Sequence[Stop], problem: RouteProblem) -> RoutePlan:
    """The route through the trip's stops in the order given (a dispatcher's reorder): each
    leg's km, arrival, waiting, departure and load, the totals, and every broken rule — a
    window missed (by how many minutes), a drop-off before its pick-up, the capacity
    exceeded (by how much) — as `violations`, so the screen can show them all."""
    frame = measure_problem(problem)
    if sorted(map(str, (s.id for s in stops_in_order))) != sorted(map(str, (s.id for s in problem.stops))):
        raise InvalidStops(N_("The new order must hold each stop of the trip exactly once."))
    return evaluate(frame, stops_in_order)


def evaluate(frame: Frame, stops_in_order: Sequence[Stop]) -> RoutePlan:
    problem = frame.problem
    pickups_left = {
        order: {s.id for s in stops if s.kind == PICKUP} for order, stops in orders_of(problem.stops).items()
    }
    limits = measures(problem.capacity)
    visits: list[Visit] = []
    violations: list[Violation] = []
    now, km, load, place = 0, ZERO, frame.initial, problem.start.place_id
    driving = waiting = 0
    for stop in stops_in_order:
        leg = problem.matrix.leg(place, stop.place_id)
        arrival = now + leg.minutes
        lo, hi = frame.windows[stop.id]
        start = max(arrival, lo)
        if hi is not None and arrival > hi:
            violations.append(
                Violation(
                    "late",
                    stop.id,
                    LATE,
                    {
                        "place": stop.label,
                        "arrival": clock(frame.moment(arrival)),
                        "late": arrival - hi,
                        "latest": clock(frame.moment(hi)),
                    },
                    Decimal(arrival - hi),
                )
            )
        if stop.kind == PICKUP:
            pickups_left[stop.order_id].discard(stop.id)
            load += stop.load
        elif pickups_left[stop.order_id]:  # nothing to hand over yet: the cargo is loaded later and stays
            pickup = next(s for s in problem.stops if s.id in pickups_left[stop.order_id])
            named = {"place": stop.label, "order": stop.order_label, "pickup": pickup.label}
            violations.append(Violation("before_pickup", stop.id, BEFORE_PICKUP, named))
        else:
            load -= stop.load
        for measure, value in measures(load).items():
            limit = limits[measure]
            if limit is not None and value is not None and value > limit:
                unit = UNITS[measure]
                over = {"place": stop.label, "load": Qty(value, unit), "excess": Qty(value - limit, unit)}
                over["capacity"] = Qty(limit, unit)
                violations.append(
                    Violation("over_capacity", stop.id, OVER_CAPACITY[measure], over, value - limit, measure)
                )
        km += leg.km
        driving += leg.minutes
        waiting += start - arrival
        now = start + stop.service_min
        visits.append(
            Visit(
                stop.place_id,
                stop.label,
                stop,
                leg.km,
                leg.minutes,
                leg.source,
                frame.moment(arrival),
                start - arrival,
                frame.moment(start),
                frame.moment(now),
                km,
                load,
            )
        )
        place = stop.place_id
    if problem.end is not None:
        leg = problem.matrix.leg(place, problem.end.place_id)
        km += leg.km
        driving += leg.minutes
        now += leg.minutes
        at = frame.moment(now)
        visits.append(
            Visit(
                problem.end.place_id, problem.end.label, None, leg.km, leg.minutes, leg.source, at, 0, at, at, km, load
            )
        )
    return RoutePlan(tuple(visits), problem.departure, km, now, driving, waiting, tuple(violations))
