"""Route planning figures (T2): a 12-stop pick-up and delivery trip across Rwanda ordered by
`core.route_plan.plan_route` (what the trip screen calls), beside an exact branch and bound
over every order of the stops in plain Python; and 200 random 6-stop trips, each solved and
checked against the brute force over every order. No database is needed."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
import time
from decimal import Decimal
from zoneinfo import ZoneInfo

from core.route_plan import (
    DROPOFF,
    PICKUP,
    Capacity,
    DistanceMatrix,
    Leg,
    Load,
    Place,
    PlaceId,
    RoutePlanError,
    RouteProblem,
    Stop,
    plan_route,
)

ZONE = ZoneInfo("Africa/Kigali")
DEPARTURE = dt.datetime(2026, 3, 2, 5, 0, tzinfo=ZONE)
TARGET_S = 2.0
TOWNS = {  # latitude, longitude
    "Kigali depot": (-1.9441, 30.0619),
    "Huye": (-2.5967, 29.7394),
    "Musanze": (-1.4998, 29.6346),
    "Rubavu": (-1.6773, 29.2599),
    "Rusizi": (-2.4846, 28.9075),
    "Nyagatare": (-1.2980, 30.3260),
    "Rusumo": (-2.3800, 30.7830),
    "Gatuna": (-1.4320, 30.0180),
    "Muhanga": (-2.0845, 29.7567),
    "Rwamagana": (-1.9487, 30.4347),
    "Kayonza": (-1.9000, 30.5060),
    "Nyanza": (-2.3515, 29.7509),
    "Karongi": (-2.0600, 29.3480),
}
ORDERS = [  # pick-up, drop-off, tonnes
    ("Huye", "Rusizi", 9),
    ("Muhanga", "Karongi", 7),
    ("Gatuna", "Musanze", 12),
    ("Rubavu", "Nyanza", 6),
    ("Kayonza", "Rusumo", 10),
    ("Nyagatare", "Rwamagana", 8),
]


def _km(a: str, b: str) -> Decimal:
    (la, lo), (lb, lob) = TOWNS[a], TOWNS[b]
    x = math.radians(lob - lo) * math.cos(math.radians((la + lb) / 2))
    y = math.radians(lb - la)
    return Decimal(str(round(6371.0 * math.hypot(x, y) * 1.3, 1)))  # great circle x road factor


def twelve_stop_trip() -> RouteProblem:
    legs: dict[tuple[PlaceId, PlaceId], Leg] = {
        (a, b): Leg(_km(a, b), int(_km(a, b) * 60 / 45)) for a, b in itertools.combinations(TOWNS, 2)
    }
    stops = []
    for n, (up, down, tonnes) in enumerate(ORDERS, start=1):
        load = Load(Decimal(tonnes * 1000), Decimal(tonnes * 3), tonnes * 2)
        stops += [
            Stop(f"o{n}-up", up, PICKUP, f"ORD-{n}", load, service_min=45, place_name=up),
            Stop(f"o{n}-down", down, DROPOFF, f"ORD-{n}", load, service_min=30, place_name=down),
        ]
    # a client at Rusumo border receives only from 08:00 on the second day; Huye loads before noon
    stops[0] = Stop("o1-up", "Huye", PICKUP, "ORD-1", stops[0].load, latest=DEPARTURE.replace(hour=12), service_min=45)
    stops[9] = Stop("o5-down", "Rusumo", DROPOFF, "ORD-5", stops[9].load, earliest=DEPARTURE + dt.timedelta(hours=27))
    depot = Place("Kigali depot", "Kigali depot")
    capacity = Capacity(Decimal(24000), Decimal(90), 44)  # a tractor with a 3-axle trailer
    return RouteProblem(depot, tuple(stops), DistanceMatrix(legs), DEPARTURE, capacity, depot)


def _minutes(point: object) -> float | None:
    if isinstance(point, dt.datetime):
        return (point - DEPARTURE).total_seconds() / 60
    return None if point is None else float(point)  # type: ignore[arg-type]


def branch_and_bound(p: RouteProblem, prune: bool = True) -> Decimal | None:
    """The exact optimum by depth-first search over every order of the stops: a pick-up
    before its drop-off, windows met (waiting when early), capacity kept; a branch is cut as
    soon as it breaks a rule or (with `prune`) is no shorter than the best found."""
    stops = list(p.stops)
    best: list[Decimal | None] = [None]
    cap = p.capacity

    def go(place: object, left: list[Stop], done: set[object], clock: float, km: Decimal, load: Load) -> None:
        if prune and best[0] is not None and km >= best[0]:
            return
        if not left:
            total = km + (p.matrix.leg(place, p.end.place_id).km if p.end is not None else 0)  # type: ignore[arg-type]
            if best[0] is None or total < best[0]:
                best[0] = total
            return
        for s in left:
            if s.kind == DROPOFF and s.order_id not in done:
                continue
            leg = p.matrix.leg(place, s.place_id)  # type: ignore[arg-type]
            arrival = clock + leg.minutes
            closes, opens = _minutes(s.latest), _minutes(s.earliest)
            if closes is not None and arrival > closes:
                continue
            after = load + s.load if s.kind == PICKUP else load - s.load
            if (cap.weight_kg is not None and after.weight_kg > cap.weight_kg) or (
                cap.volume_m3 is not None and after.volume_m3 > cap.volume_m3
            ):
                continue
            if cap.pallets is not None and after.pallets > cap.pallets:
                continue
            rest = [o for o in left if o is not s]
            go(s.place_id, rest, done | {s.order_id}, max(arrival, opens or 0.0) + s.service_min, km + leg.km, after)

    go(p.start.place_id, stops, set(), 0.0, Decimal(0), Load())
    return best[0]


def random_trip(rng: random.Random) -> RouteProblem:
    """Three orders on a 200 km square; the windows cut around the schedule of a random order
    of the stops (so most trips have an order that meets them) with random slack, or, for a
    quarter of the trips, at random (some of those have no order that meets them)."""
    places = ["depot", *(f"p{i}" for i in range(6))]
    xy = {q: (rng.uniform(0, 200), rng.uniform(0, 200)) for q in places}
    legs: dict[tuple[PlaceId, PlaceId], Leg] = {}
    for a, b in itertools.combinations(places, 2):
        km = Decimal(str(round(math.dist(xy[a], xy[b]) * 1.3, 1)))
        legs[(a, b)] = Leg(km, int(km * 60 / 50))
    matrix = DistanceMatrix(legs)
    loads = [Load(Decimal(rng.randrange(1, 9) * 1000)) for _ in range(3)]
    hidden = rng.sample(range(3), 3)  # the orders served one after the other in a random sequence
    clock, place, stops = 0, "depot", []
    for k in hidden:
        for kind, where in ((PICKUP, f"p{2 * k}"), (DROPOFF, f"p{2 * k + 1}")):
            clock += matrix.leg(place, where).minutes
            opens = closes = None
            if rng.random() < 0.6:
                opens, closes = max(0, clock - rng.randrange(0, 240)), clock + rng.randrange(0, 120)
            stops.append(Stop(f"o{k}-{kind}", where, kind, f"o{k}", loads[k], opens, closes, 20))
            clock, place = max(clock, opens or 0) + 20, where
    if rng.random() < 0.25:
        starts = [rng.randrange(0, 400) for _ in stops]
        stops = [
            Stop(s.id, s.place_id, s.kind, s.order_id, s.load, o, o + rng.randrange(30, 300), 20)
            for s, o in zip(stops, starts, strict=True)
        ]
    capacity = Capacity(Decimal(rng.randrange(8000, 20001, 1000))) if rng.random() < 0.6 else Capacity()
    depot = Place("depot")
    end = depot if rng.random() < 0.5 else None
    return RouteProblem(depot, tuple(sorted(stops, key=lambda s: s.id)), matrix, DEPARTURE, capacity, end)


def _line(label: str, seconds: float, km: Decimal | None, extra: str = "") -> None:
    print(f"  {label:<52} {seconds * 1000:8.0f} ms   {km} km{extra}")


def _twelve(label: str, trip: RouteProblem, prune: bool) -> bool:
    t0 = time.perf_counter()
    exact = branch_and_bound(trip, prune=prune)
    exact_s = time.perf_counter() - t0
    times, plan = [], None
    for _ in range(3):
        t0 = time.perf_counter()
        plan = plan_route(trip)
        times.append(time.perf_counter() - t0)
    assert plan is not None
    worst = max(times)
    same = plan.total_km == exact
    print(f"12-stop trip {label}:")
    _line("exact, " + ("branch and bound" if prune else "every order") + " in Python", exact_s, exact)
    _line(
        "Twara plan_route (worst of 3)",
        worst,
        plan.total_km,
        f"   {plan.hours} h   ratio exact/Twara {exact_s / worst:.1f}x   target < {TARGET_S * 1000:.0f} ms "
        f"{'OK' if worst < TARGET_S else 'SLOW'}   optimum: {'yes' if same else 'NO'}",
    )
    print("    " + " -> ".join(v.place_name for v in plan.visits))
    return worst < TARGET_S and same


def free(trip: RouteProblem) -> RouteProblem:
    """The same trip with no windows and room for everything: the hardest case to enumerate."""
    stops = tuple(Stop(s.id, s.place_id, s.kind, s.order_id, s.load, service_min=s.service_min) for s in trip.stops)
    return RouteProblem(trip.start, stops, trip.matrix, trip.departure, Capacity(), trip.end)


def run() -> bool:
    print("Route planning: OR-Tools routing solver (pick-up and delivery, time windows, capacity)\n")
    trip = twelve_stop_trip()
    ok = _twelve("with windows and a 24 t capacity", trip, prune=False)
    ok = _twelve("with no windows and no capacity limit", free(trip), prune=True) and ok

    rng = random.Random(2026)
    trips = [random_trip(rng) for _ in range(200)]
    t0 = time.perf_counter()
    optima = [branch_and_bound(p, prune=False) for p in trips]  # brute force: every order of the 6 stops
    brute_s = time.perf_counter() - t0
    equal = none = 0
    t0 = time.perf_counter()
    for p, best in zip(trips, optima, strict=True):
        try:
            found: Decimal | None = plan_route(p).total_km
        except RoutePlanError:
            found = None
        equal += found == best
        none += best is None
    twara_s = time.perf_counter() - t0
    print("200 random 6-stop trips (3 orders, windows, capacity):")
    print(f"  brute force over every order in Python  {brute_s:6.2f} s")
    print(
        f"  Twara plan_route                        {twara_s:6.2f} s   equal to the optimum {equal}/200 "
        f"({none} with no order, refused both ways)   {'OK' if equal == 200 else 'DIFFERENT'}"
    )
    return ok and equal == 200
