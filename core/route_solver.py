"""The OR-Tools model behind route planning (T2), over whole numbers only.

`core.route_plan` turns a trip's stops into a `Model` (metres, minutes, grams, litres,
pallets, all `int`) and reads the visiting order back; this module knows nothing of
places, orders or time zones. One vehicle leaves node 0, visits the stops 1..n and ends
at node n + 1 (the end depot, or a free end when the route stops at its last stop).

The model is OR-Tools' routing solver (`pywrapcp.RoutingModel`):
- arc cost: road metres, the one objective (distance is minimised);
- pick-up and delivery: `AddPickupAndDelivery` for each one-to-one pair (the pair's
  neighbourhoods in local search), and every "a before b" precedence as a constraint on a
  `Visits` dimension (one step per stop, so positions are strictly increasing);
- time: a `Time` dimension whose transit is the service time at the stop left plus the
  driving minutes, slack for waiting, and each stop's window on its cumul (the moment
  service starts);
- capacity: one dimension per measure (weight, volume, pallets) whose transit is the load
  taken on (+) or handed over (-) at the stop left, the start cumul fixed at what is on
  board when the vehicle leaves, every cumul within the capacity;
- with `optional`, every stop may be left out at a penalty larger than any route, the
  stops of one order together: the solver then serves as many stops as it can, and the
  ones it leaves out are the ones that do not fit (used to say which stop cannot be
  reached in time).

Search: small trips (up to `EXACT_STOPS` stops) by OR-Tools' complete depth-first search
(`use_depth_first_search`: a branch and bound over every order), which proves the optimum
when it ends before its share of the time limit, and stops there; larger ones by
PATH_CHEAPEST_ARC then GUIDED_LOCAL_SEARCH until the time limit. An exact search that runs
out of time hands the rest of the time to the local search.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

EXACT_STOPS = 8  # the complete search proves 6 stops in ~0.05 s and 8 in under 0.8 s on 2 cores
EXACT_SHARE = 0.7  # of the time limit, for the complete search; the local search has the rest


@dataclass(frozen=True)
class Measure:
    """One capacity dimension: `delta[i]` is what node i adds (+) or removes (-)."""

    name: str
    delta: tuple[int, ...]
    initial: int
    capacity: int


@dataclass(frozen=True)
class Model:
    metres: tuple[tuple[int, ...], ...]  # (n + 2) x (n + 2), node n + 1 is the end
    minutes: tuple[tuple[int, ...], ...]
    service: tuple[int, ...]  # per node
    windows: tuple[tuple[int, int], ...]  # per node: service starts within [lo, hi]
    horizon: int
    pairs: tuple[tuple[int, int], ...] = ()  # one-to-one pick-up and delivery pairs
    before: tuple[tuple[int, int], ...] = ()  # node a is visited before node b
    groups: tuple[tuple[int, ...], ...] = ()  # stops that are served together or not at all
    measures: tuple[Measure, ...] = ()

    @property
    def stops(self) -> int:
        return len(self.metres) - 2


@dataclass(frozen=True)
class Solution:
    order: tuple[int, ...]  # the stops (1..n) in visiting order
    metres: int
    dropped: tuple[int, ...] = ()
    optimal: bool = False  # proved by a complete search
    method: str = "local"  # "exact" (depth-first, complete) or "local" (guided local search)
    seconds: float = field(default=0.0, compare=False)


def _build(model: Model, optional: bool) -> tuple[pywrapcp.RoutingIndexManager, pywrapcp.RoutingModel]:
    n = model.stops
    manager = pywrapcp.RoutingIndexManager(n + 2, 1, [0], [n + 1])
    routing = pywrapcp.RoutingModel(manager)
    node = manager.IndexToNode
    metres, minutes, service = model.metres, model.minutes, model.service

    def arc_metres(i: int, j: int) -> int:
        return metres[node(i)][node(j)]

    def arc_minutes(i: int, j: int) -> int:
        a = node(i)
        return service[a] + minutes[a][node(j)]

    distance = routing.RegisterTransitCallback(arc_metres)
    routing.SetArcCostEvaluatorOfAllVehicles(distance)

    travel = routing.RegisterTransitCallback(arc_minutes)
    routing.AddDimension(travel, model.horizon, model.horizon, True, "Time")
    time_dim = routing.GetDimensionOrDie("Time")
    for stop in range(1, n + 1):
        lo, hi = model.windows[stop]
        time_dim.CumulVar(manager.NodeToIndex(stop)).SetRange(lo, hi)

    steps = routing.RegisterUnaryTransitCallback(lambda i: 1)
    routing.AddDimension(steps, 0, n + 2, True, "Visits")
    visits = routing.GetDimensionOrDie("Visits")

    for measure in model.measures:
        delta = measure.delta
        load = routing.RegisterUnaryTransitCallback(lambda i, delta=delta: delta[node(i)])
        routing.AddDimensionWithVehicleCapacity(load, 0, [measure.capacity], False, measure.name)
        routing.GetDimensionOrDie(measure.name).CumulVar(routing.Start(0)).SetValue(measure.initial)

    solver = routing.solver()
    for a, b in model.pairs:
        routing.AddPickupAndDelivery(manager.NodeToIndex(a), manager.NodeToIndex(b))
    for a, b in model.before:
        solver.Add(visits.CumulVar(manager.NodeToIndex(a)) < visits.CumulVar(manager.NodeToIndex(b)))

    if optional:
        penalty = 1 + sum(max(row) for row in metres) * (n + 2)
        for stop in range(1, n + 1):
            routing.AddDisjunction([manager.NodeToIndex(stop)], penalty)
        for group in model.groups:
            first = routing.ActiveVar(manager.NodeToIndex(group[0]))
            for other in group[1:]:
                solver.Add(routing.ActiveVar(manager.NodeToIndex(other)) == first)
    return manager, routing


def _parameters(exact: bool, seconds: float) -> object:
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    if exact:
        params.use_depth_first_search = True
    else:
        params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(max(1, int(seconds * 1000)))
    return params


def _read(manager: pywrapcp.RoutingIndexManager, routing: pywrapcp.RoutingModel, assignment: object) -> tuple[int, ...]:
    order = []
    index = assignment.Value(routing.NextVar(routing.Start(0)))  # type: ignore[attr-defined]
    while not routing.IsEnd(index):
        order.append(manager.IndexToNode(index))
        index = assignment.Value(routing.NextVar(index))  # type: ignore[attr-defined]
    return tuple(order)


def _run(model: Model, optional: bool, exact: bool, seconds: float) -> tuple[tuple[int, ...] | None, bool]:
    """(the visiting order or None, whether the search ran to its end)."""
    manager, routing = _build(model, optional)
    assignment = routing.SolveWithParameters(_parameters(exact, seconds))
    finished = not routing.CheckLimit()
    if assignment is None:
        return None, finished
    return _read(manager, routing, assignment), finished


def route_metres(model: Model, order: Sequence[int]) -> int:
    path = [0, *order, model.stops + 1]
    return sum(model.metres[a][b] for a, b in itertools.pairwise(path))


def solve(model: Model, time_limit_s: float = 1.0, optional: bool = False) -> Solution | None:
    """The shortest order of the stops that meets every constraint, or None when none is
    found (none exists when the exact search ran to its end). With `optional`, the best
    order of the stops that fit, and the ones left out (`Solution.dropped`)."""
    started = time.perf_counter()
    if model.stops == 0:
        return Solution((), route_metres(model, ()), optimal=True, method="exact")
    seconds = time_limit_s
    if model.stops <= EXACT_STOPS:
        order, finished = _run(model, optional, True, time_limit_s * EXACT_SHARE)
        if finished:
            return _solution(model, order, True, "exact", started)
        seconds = max(time_limit_s - (time.perf_counter() - started), time_limit_s * (1 - EXACT_SHARE))
    order, _ = _run(model, optional, False, seconds)
    return _solution(model, order, False, "local", started)


def _solution(
    model: Model, order: tuple[int, ...] | None, optimal: bool, method: str, started: float
) -> Solution | None:
    if order is None:
        return None
    dropped = tuple(s for s in range(1, model.stops + 1) if s not in order)
    return Solution(
        order,
        route_metres(model, order),
        dropped,
        optimal and not dropped,
        method,
        time.perf_counter() - started,
    )
