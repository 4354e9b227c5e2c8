"""Route planning (SPEC T2): the order of a trip's stops that OR-Tools finds shortest.

`plan_route` takes a `RouteProblem` (see `core.route_stops`: the start and optional end, the
stops with loads, windows and service minutes, the road km and minutes between places, the
vehicle's + trailer's capacity, the departure) and orders the stops by OR-Tools' routing
solver (`core.route_solver`: pick-up and delivery pairs, a time dimension with the windows
and service times, capacity dimensions for weight, volume and pallets) to the fewest km with
every pick-up before its drop-offs, each window met and the capacity never exceeded. The
result is a `RoutePlan`: each leg's km, arrival, waiting, departure and load, the totals.

When there is no such order it says what stops it, by a named error: `CargoTooHeavy` (an
order's cargo is more than the vehicle and trailer carry, and by how much) or
`StopUnreachable` (the stop that cannot be reached in time: its place, its window and the
earliest possible arrival — in any order, or with the other stops served), or
`RouteInfeasible` (windows and capacity together; the rule the best order still breaks).

`evaluate_order` (from `core.route_stops`, re-exported here) recomputes a dispatcher's own
order and names every rule it breaks. This module is the one to import: it re-exports the
inputs, outputs and errors of route planning.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

from common.i18n import N_, Msg, Qty
from core.route_solver import Measure, Model, Solution, solve
from core.route_stops import (
    DROPOFF,
    KINDS,
    PICKUP,
    UNITS,
    ZERO,
    Capacity,
    DistanceMatrix,
    Frame,
    InvalidStops,
    Leg,
    Load,
    MissingDistance,
    Place,
    PlaceId,
    RoutePlan,
    RoutePlanError,
    RouteProblem,
    Stop,
    TimePoint,
    Violation,
    Visit,
    clock,
    combined_capacity,
    evaluate,
    evaluate_order,
    measure_problem,
    measures,
    orders_of,
    span,
    total,
)

__all__ = [
    "DROPOFF",
    "KINDS",
    "PICKUP",
    "Capacity",
    "CargoTooHeavy",
    "DistanceMatrix",
    "InvalidStops",
    "Leg",
    "Load",
    "MissingDistance",
    "Place",
    "PlaceId",
    "RouteInfeasible",
    "RoutePlan",
    "RoutePlanError",
    "RouteProblem",
    "Stop",
    "StopUnreachable",
    "TimePoint",
    "Violation",
    "Visit",
    "combined_capacity",
    "evaluate_order",
    "plan_route",
]

SCALE = {"weight": 1000, "volume": 1000, "pallets": 1}  # to grams, litres, pallets


class CargoTooHeavy(RoutePlanError):
    """An order's cargo (or what is on board) is more than the vehicle and trailer carry."""

    MESSAGES = {
        "weight": N_(
            "The cargo of order {order} weighs {load} kg, {excess} kg more than the vehicle and trailer"
            " can carry ({capacity} kg)."
        ),
        "volume": N_(
            "The cargo of order {order} takes {load} m³, {excess} m³ more than the vehicle and trailer"
            " hold ({capacity} m³)."
        ),
        "pallets": N_(
            "The cargo of order {order} is {load} pallets, {excess} more than the vehicle and trailer"
            " take ({capacity})."
        ),
    }

    def __init__(self, order: str, measure: str, load: Decimal, capacity: Decimal) -> None:
        unit = UNITS[measure]
        super().__init__(
            self.MESSAGES[measure],
            order=order,
            load=Qty(load, unit),
            excess=Qty(load - capacity, unit),
            capacity=Qty(capacity, unit),
        )
        self.order, self.measure = order, measure
        self.load, self.capacity, self.excess = load, capacity, load - capacity


class StopUnreachable(RoutePlanError):
    """No order of the stops reaches this one before its window closes."""

    ALONE = N_(
        "{place} cannot be reached in time: its window is {window} and the earliest possible arrival,"
        " in any order of the stops, is {arrival}."
    )
    ALONE_UNTIL = N_(
        "{place} cannot be reached in time: its window closes at {window} and the earliest possible"
        " arrival, in any order of the stops, is {arrival}."
    )
    WITH_OTHERS = N_(
        "{place} cannot be reached in time: its window is {window} and with the other stops of the trip"
        " the earliest arrival is {arrival}."
    )
    WITH_OTHERS_UNTIL = N_(
        "{place} cannot be reached in time: its window closes at {window} and with the other stops of"
        " the trip the earliest arrival is {arrival}."
    )

    def __init__(
        self,
        stop: Stop,
        window_start: dt.datetime | None,
        window_end: dt.datetime,
        arrival: dt.datetime,
        alone: bool,
    ) -> None:
        if window_start is None:
            message, window = (self.ALONE_UNTIL if alone else self.WITH_OTHERS_UNTIL), clock(window_end)
        else:
            message, window = (self.ALONE if alone else self.WITH_OTHERS), span(window_start, window_end)
        super().__init__(message, stop.id, place=stop.label, window=window, arrival=clock(arrival))
        self.stop, self.window_start, self.window_end, self.arrival = stop, window_start, window_end, arrival
        self.alone = alone


class RouteInfeasible(RoutePlanError):
    """No order meets every window and the capacity together; `reason` is the rule the best
    order found still breaks."""

    MESSAGE = N_("No order of the stops meets every time window and the capacity: {reason}")


# ---- the solver's order ---------------------------------------------------------------


def plan_route(problem: RouteProblem, time_limit_s: float = 1.0) -> RoutePlan:
    """The shortest order of the trip's stops that keeps every pick-up before its drop-offs,
    meets every time window and never exceeds the capacity, found by OR-Tools' routing
    solver (proved shortest for small trips), with its km, hours and load leg by leg.

    Raises `CargoTooHeavy` when an order alone is more than the vehicle and trailer carry,
    `StopUnreachable` naming the stop that cannot be reached in time (alone, or with the
    other stops served), `RouteInfeasible` when the windows and the capacity together leave
    no order, and the input errors of `core.route_stops`."""
    frame = measure_problem(problem)
    _check_cargo(frame)
    _check_reach(frame)
    model = _model(frame)
    solution = solve(model, time_limit_s)
    if solution is None:  # no order found: serve what fits, then see what the rest breaks
        partial = solve(model, time_limit_s, optional=True)
        order = _complete(frame, partial)
        method, optimal = "local", False
    else:
        order = [problem.stops[i - 1] for i in solution.order]
        method, optimal = solution.method, solution.optimal
    plan = evaluate(frame, order)
    if plan.violations:  # a limit the solver's whole units rounded away: say it, never hide it
        raise _error(frame, plan, ())
    return replace(plan, optimal=optimal, method=method)


def _complete(frame: Frame, partial: Solution | None) -> list[Stop]:
    """The stops the solver left out put back, one order at a time, where they break the
    fewest rules; the first rule still broken is the error (a stop of the order put back
    preferred), or the whole order when every stop found a place."""
    stops = frame.problem.stops
    route = [stops[i - 1] for i in partial.order] if partial is not None else []
    served = {s.id for s in route}
    for order_stops in orders_of(stops).values():
        missing = sorted((s for s in order_stops if s.id not in served), key=lambda s: s.kind != PICKUP)
        for stop in missing:
            after = max((i + 1 for i, s in enumerate(route) if s.order_id == stop.order_id), default=0)
            tries = [
                [*route[:k], stop, *route[k:]] for k in range(after if stop.kind == DROPOFF else 0, len(route) + 1)
            ]
            route = min(tries, key=lambda order: _badness(evaluate(frame, order)))
        plan = evaluate(frame, route)
        if plan.violations:
            raise _error(frame, plan, {s.id for s in missing})
    return route


def _badness(plan: RoutePlan) -> tuple[int, Decimal, Decimal]:
    late = sum((v.by for v in plan.violations if v.kind == "late"), ZERO)
    return len(plan.violations), late, plan.total_km


def _error(frame: Frame, plan: RoutePlan, put_back: set[int | str] | tuple[()]) -> RoutePlanError:
    violation = next((v for v in plan.violations if v.stop_id in put_back), plan.violations[0])
    if violation.kind == "late":
        visit = next(v for v in plan.visits if v.stop is not None and v.stop.id == violation.stop_id)
        assert visit.stop is not None
        start, end = frame.window_moments(visit.stop)
        assert end is not None
        return StopUnreachable(visit.stop, start, end, visit.arrival, alone=False)
    return RouteInfeasible(
        RouteInfeasible.MESSAGE, violation.stop_id, reason=Msg(violation.message, dict(violation.params))
    )


def _check_cargo(frame: Frame) -> None:
    """An order whose cargo alone is more than the capacity fits in no order of stops."""
    limits = measures(frame.problem.capacity)
    preloaded: list[str] = []
    for stops in orders_of(frame.problem.stops).values():
        picked = [s for s in stops if s.kind == PICKUP]
        if not picked:
            preloaded.append(stops[0].order_label)
        cargo = total(picked or stops)
        _over(stops[0].order_label, cargo, limits)
    _over(", ".join(preloaded), frame.initial, limits)


def _over(order: str, cargo: Load, limits: Mapping[str, Decimal | None]) -> None:
    for measure, value in measures(cargo).items():
        limit = limits[measure]
        if limit is not None and value is not None and value > limit:
            raise CargoTooHeavy(order, measure, value, limit)


def _check_reach(frame: Frame) -> None:
    """A stop whose window closes before the earliest moment any order of the stops could
    reach it (by the quickest way through the trip's places, a drop-off after its
    pick-ups) cannot be reached in time."""
    problem = frame.problem
    quickest = _quickest(frame)
    ready: dict[int | str, int] = {}  # the earliest moment each pick-up's service can end
    for stop in sorted(problem.stops, key=lambda s: s.kind != PICKUP):
        arrival = quickest[problem.start.place_id][stop.place_id]
        if stop.kind == DROPOFF:
            for pickup in (s for s in problem.stops if s.order_id == stop.order_id and s.kind == PICKUP):
                arrival = max(arrival, ready[pickup.id] + quickest[pickup.place_id][stop.place_id])
        lo, hi = frame.windows[stop.id]
        if hi is not None and arrival > hi:
            start, end = frame.window_moments(stop)
            raise StopUnreachable(stop, start, end, frame.moment(arrival), alone=True)  # type: ignore[arg-type]
        ready[stop.id] = max(arrival, lo) + stop.service_min


def _quickest(frame: Frame) -> dict[PlaceId, dict[PlaceId, int]]:
    """The fewest driving minutes between the trip's places, through any of them (a road
    table need not keep the triangle rule: a detour may be quicker than the direct road)."""
    places = list(dict.fromkeys([frame.problem.start.place_id, *(s.place_id for s in frame.problem.stops)]))
    leg = frame.problem.matrix.leg
    best = {a: {b: leg(a, b).minutes for b in places} for a in places}
    for via in places:
        for a in places:
            for b in places:
                best[a][b] = min(best[a][b], best[a][via] + best[via][b])
    return best


def _model(frame: Frame) -> Model:
    problem = frame.problem
    stops = problem.stops
    n = len(stops)
    places: list[PlaceId | None] = [problem.start.place_id, *(s.place_id for s in stops)]
    places.append(None if problem.end is None else problem.end.place_id)

    def leg(i: int, j: int) -> Leg:
        a, b = places[i], places[j]
        if j == 0 or i == n + 1 or a is None or b is None:  # nothing arrives at the start or leaves the end
            return Leg(ZERO, 0)
        return problem.matrix.leg(a, b)

    legs = [[leg(i, j) for j in range(n + 2)] for i in range(n + 2)]
    metres = tuple(tuple(_whole(x.km, 1000) for x in row) for row in legs)
    minutes = tuple(tuple(x.minutes for x in row) for row in legs)
    service = (0, *(s.service_min for s in stops), 0)
    horizon = max([0, *(frame.windows[s.id][0] for s in stops)]) + sum(service) + sum(map(max, minutes)) + 1
    windows = [(0, horizon)] + [(lo, horizon if hi is None else min(hi, horizon)) for lo, hi in frame.windows.values()]
    node = {s.id: i for i, s in enumerate(stops, start=1)}
    pairs, before, groups = [], [], []
    for order_stops in orders_of(stops).values():
        picks = [node[s.id] for s in order_stops if s.kind == PICKUP]
        drops = [node[s.id] for s in order_stops if s.kind == DROPOFF]
        if len(picks) == 1 and len(drops) == 1:
            pairs.append((picks[0], drops[0]))
        before += [(p, d) for p in picks for d in drops]
        groups.append(tuple(node[s.id] for s in order_stops))
    dims = []
    for measure, limit in measures(problem.capacity).items():
        if limit is None:
            continue
        scale = SCALE[measure]
        delta = [0] + [
            (1 if s.kind == PICKUP else -1) * _whole(measures(s.load)[measure] or ZERO, scale) for s in stops
        ]
        initial = _whole(measures(frame.initial)[measure] or ZERO, scale)
        dims.append(Measure(measure, (*delta, 0), initial, _whole(limit, scale)))
    return Model(
        metres, minutes, service, tuple(windows), horizon, tuple(pairs), tuple(before), tuple(groups), tuple(dims)
    )


def _whole(value: Decimal, scale: int) -> int:
    return int((value * scale).to_integral_value(ROUND_HALF_UP))
