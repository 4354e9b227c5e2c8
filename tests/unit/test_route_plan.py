"""Route planning (T2): the solver's order of a trip's stops against a brute force over every
order, pick-ups before drop-offs, time windows, capacity, the stop that cannot be reached in
time, and the dispatcher's own order with km, hours and every broken rule named."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
import time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from common.i18n import translate
from core.route_plan import (
    DROPOFF,
    PICKUP,
    Capacity,
    CargoTooHeavy,
    DistanceMatrix,
    InvalidStops,
    Leg,
    Load,
    MissingDistance,
    Place,
    RouteInfeasible,
    RoutePlanError,
    RouteProblem,
    Stop,
    StopUnreachable,
    combined_capacity,
    evaluate_order,
    plan_route,
)

KIGALI = ZoneInfo("Africa/Kigali")
DEPARTURE = dt.datetime(2026, 3, 2, 6, 0, tzinfo=KIGALI)
DEPOT = Place("depot", "Kigali depot")


def at(hour: int, minute: int = 0) -> dt.datetime:
    return DEPARTURE.replace(hour=hour, minute=minute)


def line_matrix(positions: dict[str, int], kmh: int = 60) -> DistanceMatrix:
    """Places on one road, `positions` in km from the depot; minutes at `kmh`."""
    legs = {}
    for a, b in itertools.combinations(positions, 2):
        km = abs(positions[a] - positions[b])
        legs[(a, b)] = Leg(Decimal(km), km * 60 // kmh)
    return DistanceMatrix(legs, names={p: p.title() for p in positions})


def pair(order: str, pickup: str, dropoff: str, kg: int = 1000, **windows: object) -> tuple[Stop, Stop]:
    load = Load(Decimal(kg), Decimal(kg) / 250, kg // 500)
    return (
        Stop(
            f"{order}-up",
            pickup,
            PICKUP,
            order,
            load,
            windows.get("pickup_from"),  # type: ignore[arg-type]
            windows.get("pickup_until"),  # type: ignore[arg-type]
            place_name=pickup.title(),
        ),
        Stop(
            f"{order}-down",
            dropoff,
            DROPOFF,
            order,
            load,
            windows.get("drop_from"),  # type: ignore[arg-type]
            windows.get("drop_until"),  # type: ignore[arg-type]
            place_name=dropoff.title(),
        ),
    )


def problem(stops, matrix, capacity=Capacity(), end=None) -> RouteProblem:  # type: ignore[no-untyped-def]
    return RouteProblem(DEPOT, tuple(stops), matrix, DEPARTURE, capacity, end)


# ---- the brute force: every order of the stops, simulated independently -------------------


def random_trip(rng: random.Random, orders: int = 3) -> RouteProblem:
    """Random places on a 200 km square; windows often cut around a hidden feasible order
    (so most trips have one), sometimes random (some have none); capacity often binding."""
    places = ["depot", *(f"p{i}" for i in range(2 * orders))]
    xy = {p: (rng.uniform(0, 200), rng.uniform(0, 200)) for p in places}
    legs = {}
    for a, b in itertools.combinations(places, 2):
        km = Decimal(str(round(math.dist(xy[a], xy[b]) * 1.3, 1)))
        legs[(a, b)] = Leg(km, int(km * 60 / rng.choice((40, 55))))
    matrix = DistanceMatrix(legs)
    stops = []
    for k in range(orders):
        load = Load(Decimal(rng.randrange(1, 9) * 1000), Decimal(rng.randrange(5, 40)), rng.randrange(1, 12))
        service = rng.choice((0, 15, 30, 45))
        stops += [
            Stop(f"o{k}-up", f"p{2 * k}", PICKUP, f"o{k}", load, service_min=service),
            Stop(f"o{k}-down", f"p{2 * k + 1}", DROPOFF, f"o{k}", load, service_min=service),
        ]
    if rng.random() < 0.7:  # windows around a random order's schedule, with random slack
        order = random_pickup_first_order(rng, stops)
        clock, place, cut = 0, "depot", []
        for s in order:
            clock += matrix.leg(place, s.place_id).minutes
            opens, closes = (None, None)
            if rng.random() < 0.7:
                opens = max(0, clock - rng.randrange(0, 240))
                closes = clock + rng.randrange(0, 180)
            start = max(clock, opens or 0)
            cut.append(Stop(s.id, s.place_id, s.kind, s.order_id, s.load, opens, closes, s.service_min))
            clock, place = start + s.service_min, s.place_id
        stops = sorted(cut, key=lambda s: s.id)
    elif rng.random() < 0.5:  # random windows, as datetimes
        stops = [
            Stop(
                s.id,
                s.place_id,
                s.kind,
                s.order_id,
                s.load,
                DEPARTURE + dt.timedelta(minutes=(o := rng.randrange(0, 600))),
                DEPARTURE + dt.timedelta(minutes=o + rng.randrange(30, 400)),
                s.service_min,
            )
            for s in stops
        ]
    capacity = Capacity()
    if rng.random() < 0.6:
        most = max(s.load.weight_kg for s in stops)
        total = sum(s.load.weight_kg for s in stops if s.kind == PICKUP)
        capacity = Capacity(Decimal(rng.randrange(int(most), int(total) + 1000, 500)), Decimal(80), 24)
    end = Place("depot") if rng.random() < 0.5 else None
    return RouteProblem(DEPOT, tuple(stops), matrix, DEPARTURE, capacity, end)


def random_pickup_first_order(rng: random.Random, stops: list[Stop]) -> list[Stop]:
    left, order = list(stops), []
    while left:
        ready = [s for s in left if s.kind == PICKUP or any(o.order_id == s.order_id for o in order)]
        pick = rng.choice(ready)
        left.remove(pick)
        order.append(pick)
    return order


def minutes_after(point: object) -> float | None:
    if isinstance(point, dt.datetime):
        return (point - DEPARTURE).total_seconds() / 60
    return None if point is None else float(point)  # type: ignore[arg-type]


def brute_force(p: RouteProblem) -> Decimal | None:
    """The fewest km over every order of the stops that keeps each pick-up before its
    drop-off, starts each service inside its window (waiting when early) and never carries
    more than the capacity; None when no order does."""
    best: Decimal | None = None
    for order in itertools.permutations(p.stops):
        seen: set[object] = set()
        clock, km, place = 0.0, Decimal(0), p.start.place_id
        weight, volume, pallets = Decimal(0), Decimal(0), 0
        ok = True
        for s in order:
            if s.kind == DROPOFF and s.order_id not in seen:
                ok = False
                break
            seen.add(s.order_id)
            leg = p.matrix.leg(place, s.place_id)
            clock += leg.minutes
            km += leg.km
            opens, closes = minutes_after(s.earliest), minutes_after(s.latest)
            if closes is not None and clock > closes:
                ok = False
                break
            clock = max(clock, opens or 0.0) + s.service_min
            sign = 1 if s.kind == PICKUP else -1
            weight += sign * s.load.weight_kg
            volume += sign * s.load.volume_m3
            pallets += sign * s.load.pallets
            cap = p.capacity
            if (
                (cap.weight_kg is not None and weight > cap.weight_kg)
                or (cap.volume_m3 is not None and volume > cap.volume_m3)
                or (cap.pallets is not None and pallets > cap.pallets)
            ):
                ok = False
                break
            place = s.place_id
        if not ok:
            continue
        if p.end is not None:
            km += p.matrix.leg(place, p.end.place_id).km
        if best is None or km < best:
            best = km
    return best


def test_the_solver_equals_the_brute_force_optimum_on_200_random_six_stop_trips():
    rng = random.Random(20260302)
    feasible = infeasible = 0
    started = time.perf_counter()
    for _ in range(200):
        trip = random_trip(rng)
        best = brute_force(trip)
        if best is None:
            with pytest.raises(RoutePlanError):
                plan_route(trip)
            infeasible += 1
            continue
        plan = plan_route(trip)
        assert plan.total_km == best
        assert plan.optimal and plan.method == "exact"
        again = evaluate_order(plan.stops, trip)  # the dispatcher's check of the same order agrees
        assert again.violations == () and again.total_km == plan.total_km
        feasible += 1
    assert feasible >= 120 and infeasible >= 10  # both kinds of trip were really tried
    assert time.perf_counter() - started < 45


def test_a_twelve_stop_pickup_and_delivery_trip_is_ordered_in_under_two_seconds():
    sample = random_trip(random.Random(5), orders=6)
    stops = tuple(Stop(s.id, s.place_id, s.kind, s.order_id, s.load, service_min=20) for s in sample.stops)
    trip = RouteProblem(DEPOT, stops, sample.matrix, DEPARTURE, Capacity(Decimal(20000)), DEPOT)
    started = time.perf_counter()
    plan = plan_route(trip)
    assert time.perf_counter() - started < 2
    assert len(plan.stops) == 12 and plan.method == "local"
    assert evaluate_order(plan.stops, trip).violations == ()


# ---- the rules one by one -----------------------------------------------------------------


def test_every_pick_up_comes_before_its_drop_off():
    # the drop-off lies on the way to the pick-up: the shortest route would drop first
    matrix = line_matrix({"depot": 0, "huye": 60, "nyanza": 120})
    trip = problem(pair("A", "nyanza", "huye"), matrix)
    plan = plan_route(trip)
    assert [s.id for s in plan.stops] == ["A-up", "A-down"]
    assert plan.total_km == Decimal(180)  # 120 out, 60 back to Huye


def test_a_time_window_changes_the_order_and_costs_km():
    # order X to the east (40 -> 80 km), order Y to the west (50 -> 100 km)
    matrix = line_matrix({"depot": 0, "e1": 40, "e2": 80, "w1": -50, "w2": -100})
    free = plan_route(problem([*pair("X", "e1", "e2"), *pair("Y", "w1", "w2")], matrix))
    assert [s.id for s in free.stops] == ["X-up", "X-down", "Y-up", "Y-down"] and free.total_km == Decimal(260)
    # Y must be delivered by 07:50: the vehicle goes west first, 20 km more
    hurried = plan_route(problem([*pair("X", "e1", "e2"), *pair("Y", "w1", "w2", drop_until=at(7, 50))], matrix))
    assert [s.id for s in hurried.stops] == ["Y-up", "Y-down", "X-up", "X-down"] and hurried.total_km == Decimal(280)
    assert hurried.visits[1].arrival == at(7, 40)


def test_arriving_early_waits_for_the_window_and_the_wait_counts_in_the_hours():
    matrix = line_matrix({"depot": 0, "a": 60, "b": 120})
    stops = pair("A", "a", "b", drop_from=at(10))
    plan = plan_route(problem(stops, matrix))
    down = plan.visits[1]
    assert down.arrival == at(8) and down.service_start == at(10) and down.wait_minutes == 120
    assert plan.total_minutes == 240 and plan.hours == Decimal("4.00") and plan.waiting_minutes == 120
    assert plan.finish == at(10)


def test_windows_as_minutes_after_departure_plan_as_the_same_moments():
    matrix = line_matrix({"depot": 0, "e1": 40, "e2": 80, "w1": -50, "w2": -100})
    as_moments = [*pair("X", "e1", "e2"), *pair("Y", "w1", "w2", drop_until=at(7, 50))]
    as_minutes = [*pair("X", "e1", "e2"), *pair("Y", "w1", "w2", drop_until=110)]
    one, two = plan_route(problem(as_moments, matrix)), plan_route(problem(as_minutes, matrix))
    assert [s.id for s in one.stops] == [s.id for s in two.stops] == ["Y-up", "Y-down", "X-up", "X-down"]
    assert one.total_km == two.total_km


def test_the_capacity_makes_the_vehicle_deliver_before_it_loads_again():
    matrix = line_matrix({"depot": 0, "a": 10, "b": 20, "c": 30, "d": 40})
    stops = [*pair("A", "a", "c", kg=6000), *pair("B", "b", "d", kg=6000)]
    assert [s.id for s in plan_route(problem(stops, matrix)).stops] == ["A-up", "B-up", "A-down", "B-down"]
    plan = plan_route(problem(stops, matrix, Capacity(Decimal(10000))))
    assert [s.id for s in plan.stops] == ["A-up", "A-down", "B-up", "B-down"]
    assert [v.load.weight_kg for v in plan.visits] == [6000, 0, 6000, 0]
    assert max(v.load.weight_kg for v in plan.visits) <= 10000


def test_the_route_returns_to_the_end_place_and_counts_that_leg():
    matrix = line_matrix({"depot": 0, "a": 40, "b": 100})
    plan = plan_route(problem(pair("A", "a", "b"), matrix, end=DEPOT))
    assert plan.visits[-1].stop is None and plan.visits[-1].place_name == "Kigali depot"
    assert plan.total_km == Decimal(200) and [v.km for v in plan.visits] == [40, 100, 200]


def test_cargo_already_on_board_is_delivered_and_several_drop_offs_follow_their_pick_up():
    matrix = line_matrix({"depot": 0, "a": 10, "b": 20, "c": 30, "d": 40})
    load = Load(Decimal(2000))
    stops = [
        Stop("on-board", "d", DROPOFF, "P", Load(Decimal(4000))),  # loaded at the depot before leaving
        Stop("up", "c", PICKUP, "M", load + load),
        Stop("down-1", "a", DROPOFF, "M", load),
        Stop("down-2", "b", DROPOFF, "M", load),
    ]
    plan = plan_route(problem(stops, matrix, Capacity(Decimal(8000))))
    ids = [s.id for s in plan.stops]
    assert ids.index("up") < ids.index("down-1") and ids.index("up") < ids.index("down-2")
    assert plan.visits[0].load.weight_kg <= 8000
    assert plan.visits[-1].load.weight_kg == 0
    with pytest.raises(CargoTooHeavy):  # 4 t on board and 4 t picked up cannot both be carried in 7 t
        plan_route(problem(stops[:2], matrix, Capacity(Decimal(3000))))


# ---- bad input: a clear, named error --------------------------------------------------------


def test_cargo_heavier_than_vehicle_and_trailer_says_by_how_much():
    matrix = line_matrix({"depot": 0, "a": 10, "b": 20})
    capacity = combined_capacity(Capacity(Decimal(10000), Decimal(40), 12), Capacity(Decimal(14000), Decimal(50), 20))
    assert capacity == Capacity(Decimal(24000), Decimal(90), 32)
    assert combined_capacity(Capacity(Decimal(8000))) == Capacity(Decimal(8000))  # no trailer
    # a measure one unit does not record counts what the other gives; one neither limits stays unlimited
    assert Capacity(Decimal(0)) + Capacity(Decimal(30000), None, 33) == Capacity(Decimal(30000), None, 33)
    with pytest.raises(CargoTooHeavy) as err:
        plan_route(problem(pair("ORD-7", "a", "b", kg=25500), matrix, capacity))
    assert err.value.measure == "weight" and err.value.excess == Decimal(1500)
    assert "1,500" in str(err.value) and "ORD-7" in str(err.value)
    bulky = Stop("v", "a", PICKUP, "ORD-8", Load(Decimal(100), Decimal(95), 1))
    with pytest.raises(CargoTooHeavy) as err:
        plan_route(problem([bulky], matrix, capacity))
    assert err.value.measure == "volume" and err.value.excess == Decimal(5)
    many = Stop("n", "a", PICKUP, "ORD-9", Load(Decimal(100), Decimal(1), 40))
    with pytest.raises(CargoTooHeavy) as err:
        plan_route(problem([many], matrix, capacity))
    assert err.value.measure == "pallets" and err.value.excess == 8


def test_a_stop_that_cannot_be_reached_even_going_there_first_is_named_with_its_window():
    matrix = line_matrix({"depot": 0, "huye": 130, "rusizi": 290})
    stops = [*pair("A", "huye", "rusizi", drop_from=at(7), drop_until=at(9))]
    with pytest.raises(StopUnreachable) as err:
        plan_route(problem(stops, matrix))
    e = err.value
    assert e.stop_id == "A-down" and e.alone
    assert e.arrival == at(10, 50)  # 290 km at 60 km/h
    assert e.params == {"place": "Rusizi", "window": "2026-03-02 07:00 – 09:00", "arrival": "2026-03-02 10:50"}


def test_a_drop_off_is_reached_no_sooner_than_after_its_pick_up():
    # Huye is 2 h from the depot, but its cargo is picked up in Rusizi first: 290 + 160 km
    matrix = line_matrix({"depot": 0, "huye": 130, "rusizi": 290})
    until = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)  # 11:00 in Kigali, given in UTC
    with pytest.raises(StopUnreachable) as err:
        plan_route(problem(pair("A", "rusizi", "huye", drop_until=until), matrix))
    assert err.value.stop_id == "A-down" and err.value.arrival == at(13, 30)
    assert err.value.params["window"] == "2026-03-02 11:00"  # in the departure's time zone
    assert "closes at" in str(err.value)


def test_windows_no_order_can_meet_together_name_the_stop_left_out():
    # each drop-off can be reached alone, but not both: they close at the same time far apart
    matrix = line_matrix({"depot": 0, "west": 100, "east": 200})
    matrix = DistanceMatrix(
        {**matrix.legs, ("depot", "west"): Leg(Decimal(100), 100), ("depot", "east"): Leg(Decimal(100), 100)},
        matrix.names,
    )
    stops = [
        Stop("w", "west", DROPOFF, "W", Load(Decimal(1)), latest=at(8), place_name="West"),
        Stop("e", "east", DROPOFF, "E", Load(Decimal(1)), latest=at(8), place_name="East"),
    ]
    with pytest.raises(StopUnreachable) as err:
        plan_route(problem(stops, matrix))
    e = err.value
    assert not e.alone and e.stop_id in {"w", "e"}
    assert e.arrival > e.window_end
    assert "with the other stops" in str(e)


def test_windows_and_capacity_together_leave_no_order():
    matrix = line_matrix({"depot": 0, "a": 10, "b": 20, "c": 30, "d": 40})
    # both loads must be on board at once to meet the windows, and they do not fit together
    stops = [
        *pair("A", "a", "d", kg=6000, drop_until=at(6, 40)),
        *pair("B", "b", "c", kg=6000, pickup_from=at(6, 15), drop_until=at(6, 35)),
    ]
    stops[0] = Stop("A-up", "a", PICKUP, "A", stops[0].load, latest=at(6, 12), place_name="A")
    with pytest.raises(RouteInfeasible) as err:
        plan_route(problem(stops, matrix, Capacity(Decimal(10000))))
    assert "2,000 kg more" in str(err.value)  # the best order still carries both loads at once
    assert plan_route(problem(stops, matrix)).feasible  # with room for both, the windows are met


def test_bad_input_is_refused_by_name():
    matrix = line_matrix({"depot": 0, "a": 10, "b": 20})
    a_up, _ = pair("A", "a", "b")
    with pytest.raises(InvalidStops, match="ends before it starts"):
        plan_route(problem([Stop("x", "a", PICKUP, "X", earliest=at(10), latest=at(9), place_name="A")], matrix))
    with pytest.raises(InvalidStops, match="time zone"):
        plan_route(problem([Stop("x", "a", PICKUP, "X", latest=dt.datetime(2026, 3, 2, 9))], matrix))
    with pytest.raises(InvalidStops, match="listed twice"):
        plan_route(problem([a_up, a_up], matrix))
    with pytest.raises(InvalidStops, match="drops off more"):
        plan_route(problem([a_up, Stop("A-down", "b", DROPOFF, "A", Load(Decimal(5000)))], matrix))
    with pytest.raises(MissingDistance) as err:
        plan_route(problem([Stop("x", "nowhere", PICKUP, "X")], matrix))
    assert err.value.params == {"origin": "Depot", "destination": "nowhere"}
    with pytest.raises(InvalidStops, match="neither"):
        plan_route(problem([Stop("x", "a", "transfer", "X")], matrix))


def test_the_errors_read_in_kinyarwanda():
    matrix = line_matrix({"depot": 0, "a": 10, "b": 20})
    for stops, capacity in (
        (pair("A", "a", "b", kg=30000), Capacity(Decimal(24000))),
        (pair("A", "a", "b", drop_until=at(6, 5)), Capacity()),
    ):
        with pytest.raises(RoutePlanError) as err:
            plan_route(problem(stops, matrix, capacity))
        english = translate(err.value.message, "en", **err.value.params)
        kinyarwanda = translate(err.value.message, "rw", **err.value.params)
        assert kinyarwanda != english and "{" not in kinyarwanda


# ---- the dispatcher's own order -------------------------------------------------------------


def test_a_reorder_by_hand_recomputes_km_hours_and_load():
    matrix = line_matrix({"depot": 0, "a": 10, "b": 20, "c": 30, "d": 40})
    stops = [*pair("A", "a", "c"), *pair("B", "b", "d")]
    trip = problem(stops, matrix, end=DEPOT)
    best = plan_route(trip)
    assert best.total_km == Decimal(80)
    by_hand = evaluate_order([stops[0], stops[1], stops[2], stops[3]], trip)  # A-up, A-down, B-up, B-down
    assert by_hand.feasible and by_hand.method == "manual"
    assert [v.leg_km for v in by_hand.visits] == [10, 20, 10, 20, 40]
    assert by_hand.total_km == Decimal(100) and by_hand.total_minutes == 100 and by_hand.hours == Decimal("1.67")
    assert [v.load.weight_kg for v in by_hand.visits[:4]] == [1000, 0, 1000, 0]


def test_a_reorder_by_hand_names_each_broken_rule():
    matrix = line_matrix({"depot": 0, "a": 60, "b": 120})
    a_up, a_down = pair("A", "a", "b", drop_until=at(7))
    b_up, b_down = pair("B", "a", "b", kg=9000)
    trip = problem([a_up, a_down, b_up, b_down], matrix, Capacity(Decimal(9500)))
    plan = evaluate_order([a_down, a_up, b_up, b_down], trip)
    kinds = [(v.kind, v.stop_id) for v in plan.violations]
    assert ("before_pickup", "A-down") in kinds
    assert ("late", "A-down") in kinds
    assert ("over_capacity", "B-up") in kinds
    late = next(v for v in plan.violations if v.kind == "late")
    assert late.by == 60 and late.params["late"] == 60 and late.params["arrival"] == "2026-03-02 08:00"
    over = next(v for v in plan.violations if v.kind == "over_capacity")
    assert over.measure == "weight" and over.by == 500 and str(over.params["excess"]) == "500"
    assert not plan.feasible and plan.total_km == Decimal(240)


def test_a_reorder_must_keep_every_stop_of_the_trip_once():
    matrix = line_matrix({"depot": 0, "a": 10, "b": 20})
    a_up, a_down = pair("A", "a", "b")
    trip = problem([a_up, a_down], matrix)
    with pytest.raises(InvalidStops):
        evaluate_order([a_up], trip)
    with pytest.raises(InvalidStops):
        evaluate_order([a_up, a_up], trip)
