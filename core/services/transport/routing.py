"""The routing server (OSRM or Valhalla) through routingpy: road km and hours between points.

Nothing here raises to a caller. A server that does not answer in time, refuses the
connection, answers an error or gives no route between two points is logged and gives None
(or an empty cell), and the caller estimates instead. After a failure the server is left
alone for PAUSE_AFTER_FAILURE_S, so a server that is down costs one timeout, not one per
distance on the screen. Internal to the package: distances come from `core.services.transport`.
"""

from __future__ import annotations

import logging
import threading
import time
import warnings
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from routingpy import OSRM, Valhalla
from routingpy.exceptions import RouterApiError

from common.outbound import RoutingServer
from core.places import HOURS_STEP, KM_STEP, MAX_HOURS, MAX_KM, Point

log = logging.getLogger("twara.routing")

PAUSE_AFTER_FAILURE_S = 60.0
MAX_TABLE_PLACES = 100  # OSRM's default --max-table-size; a bigger matrix is estimated
Leg = tuple[Decimal, Decimal]  # road km, hours

_paused_until: dict[RoutingServer, float] = {}
_lock = threading.Lock()


@lru_cache(maxsize=8)
def _client(server: RoutingServer) -> Any:
    options = {"base_url": server.url, "timeout": server.timeout_s, "retry_timeout": server.timeout_s}
    return Valhalla(**options) if server.kind == "valhalla" else OSRM(**options)


def _profile(server: RoutingServer) -> str:
    return server.profile or ("truck" if server.kind == "valhalla" else "driving")


def _locations(points: Sequence[Point]) -> list[list[float]]:
    return [[float(p.longitude), float(p.latitude)] for p in points]  # routers read longitude first


def paused(server: RoutingServer) -> bool:
    with _lock:
        return time.monotonic() < _paused_until.get(server, 0.0)


def _failed(server: RoutingServer, what: str, exc: BaseException) -> None:
    with _lock:
        _paused_until[server] = time.monotonic() + PAUSE_AFTER_FAILURE_S
    log.warning(
        "routing server %s (%s) failed on %s, distances are estimated for %.0f s: %s: %s",
        server.url,
        server.kind,
        what,
        PAUSE_AFTER_FAILURE_S,
        type(exc).__name__,
        str(exc)[:300],
    )


def _leg(meters: Any, seconds: Any) -> Leg | None:
    """A router's answer as km and hours; None for no route or one no truck drives."""
    if meters is None or seconds is None:
        return None
    km = (Decimal(str(meters)) / 1000).quantize(KM_STEP, rounding=ROUND_HALF_UP)
    hours = (Decimal(str(seconds)) / 3600).quantize(HOURS_STEP, rounding=ROUND_HALF_UP)
    if not (0 < km <= MAX_KM) or not (0 < hours <= MAX_HOURS):
        return None
    return km, hours


def route(server: RoutingServer, a: Point, b: Point) -> Leg | None:
    """The road from a to b (the router's /route), or None when there is no answer to use."""
    if paused(server):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # routingpy warns on each retry; the log says what matters
            found = _client(server).directions(locations=_locations([a, b]), profile=_profile(server))
        leg = _leg(found.distance, found.duration)
    except RouterApiError as exc:
        if "NoRoute" not in str(exc):  # no road between the two: the server is fine, the pair is estimated
            _failed(server, "a route", exc)
            return None
        leg = None
    except Exception as exc:  # a timeout, a refused connection, an error reply, an answer we cannot read
        _failed(server, "a route", exc)
        return None
    if leg is None:
        log.info("routing server %s has no usable route between %s and %s", server.url, a, b)
    return leg


def table(server: RoutingServer, points: Sequence[Point]) -> list[list[Leg | None]] | None:
    """Every road between the points (the router's /table or /sources_to_targets): cell [i][j]
    from points[i] to points[j], None where the router has no route. None when no answer."""
    if paused(server) or len(points) < 2:
        return None
    if len(points) > MAX_TABLE_PLACES:
        log.info("%d places are more than a routing table takes; their distances are estimated", len(points))
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = _client(server).matrix(locations=_locations(points), profile=_profile(server))
        distances, durations = found.distances, found.durations
        n = len(points)
        if not distances or not durations or len(distances) != n or any(len(row) != n for row in distances):
            raise ValueError("the table does not have one row and one column per place")
        return [[_leg(distances[i][j], durations[i][j]) if i != j else None for j in range(n)] for i in range(n)]
    except Exception as exc:
        _failed(server, "a table", exc)
        return None
