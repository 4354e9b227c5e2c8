"""Distances between places (SPEC T2): the company's table, a routing server kept as a
cache, an estimate otherwise; one pair (`distance`) or every pair of a route (`matrix`).

The order is always: the company's table (the pair, else the way back), the routing server's
cached answer (the pair, else the way back), the routing server asked now (when
TWARA_ROUTING_URL is set; its answer is cached in the same table with source `routing`), and
last an estimate, great-circle km times the road factor (a setting). A routing failure or
timeout is logged and estimated; it never reaches the user. Distances are symmetric unless a
way back has a row of its own.

`distance` and `matrix` take the unit of work only, as the route planner and the cost rules
call them: the role checked is the unit of work's actor (none: the system).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import Select, delete, func, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from common.actor import Actor
from common.errors import FieldErrors, NotFound, PermissionDenied
from common.i18n import N_
from common.roles import CAN_EDIT_PLACES, CAN_VIEW_PLACES
from core.places import (
    ROUTING,
    SAME,
    TABLE,
    DistanceInfo,
    Point,
    RuleError,
    check_pace,
    estimate,
    from_table,
    parse_hours,
    parse_km,
)
from core.route_stops import DistanceMatrix as RouteMatrix
from core.route_stops import Leg as RouteLeg
from core.route_stops import PlaceId
from core.services.listing import ListQuery, PageResult, like_pattern, run_page
from core.services.settings import get_decimal
from core.services.transport.places import now
from core.services.transport.routing import Leg, route, table
from core.services.versions import check_version
from db.audit import log_event
from db.models.transport import Distance, Place
from db.session import UnitOfWork

ROAD_FACTOR_KEY = "transport.road_factor"
SPEED_KEY = "transport.average_speed_kmh"


class Stored(NamedTuple):
    km: Decimal
    hours: Decimal | None
    source: str


@dataclass(frozen=True)
class DistanceGrid:
    """Every ordered pair of a route's places: cells[i][j] from place_ids[i] to place_ids[j].
    A place may come twice (a pick-up and a drop-off at one depot): its cell is zero, "same"."""

    place_ids: tuple[int, ...]
    cells: tuple[tuple[DistanceInfo, ...], ...]

    def km(self) -> list[list[Decimal]]:
        return [[c.km for c in row] for row in self.cells]

    def hours(self) -> list[list[Decimal]]:
        return [[c.hours for c in row] for row in self.cells]

    @property
    def has_estimates(self) -> bool:
        return any(c.is_estimate for row in self.cells for c in row)


def _require_view(uow: UnitOfWork) -> None:
    if uow.actor is not None and uow.actor.role not in CAN_VIEW_PLACES:
        raise PermissionDenied(N_("Your role does not allow this action."))


def _points(session: Session, ids: Iterable[int]) -> dict[int, Point]:
    wanted = set(ids)
    found = {
        r.id: Point(r.latitude, r.longitude)
        for r in session.execute(select(Place.id, Place.latitude, Place.longitude).where(Place.id.in_(wanted)))
    }
    missing = sorted(wanted - set(found))
    if missing:
        raise NotFound(N_("No place has the number {id}."), id=missing[0])
    return found


def _stored(session: Session, ids: Iterable[int]) -> dict[tuple[int, int], Stored]:
    wanted = list(set(ids))
    rows = session.execute(
        select(Distance.from_place_id, Distance.to_place_id, Distance.km, Distance.hours, Distance.source).where(
            Distance.from_place_id.in_(wanted), Distance.to_place_id.in_(wanted)
        )
    )
    return {(r.from_place_id, r.to_place_id): Stored(r.km, r.hours, r.source) for r in rows}


def _settings(session: Session) -> tuple[Decimal, Decimal]:
    return get_decimal(session, ROAD_FACTOR_KEY), get_decimal(session, SPEED_KEY)


def _known(rows: dict[tuple[int, int], Stored], a: int, b: int, speed: Decimal) -> DistanceInfo | None:
    """The table beats the routing cache; each serves the way back when that has no row."""
    for source in (TABLE, ROUTING):
        for key in ((a, b), (b, a)):
            row = rows.get(key)
            if row is not None and row.source == source:
                return from_table(row.km, row.hours, speed, source)
    return None


def _cache(uow: UnitOfWork, legs: dict[tuple[int, int], Leg]) -> None:
    """Keep the routing server's answers. A plain INSERT, not the ORM: a cache is nobody's
    change, so it is not in the activity log; a pair that has a row meanwhile keeps it."""
    if not legs:
        return
    with uow:
        moment = now()
        rows = [
            {"from_place_id": a, "to_place_id": b, "km": km, "hours": h, "source": ROUTING, "fetched_at": moment}
            for (a, b), (km, h) in legs.items()
        ]
        uow.session.execute(
            insert(Distance).values(rows).on_conflict_do_nothing(index_elements=["from_place_id", "to_place_id"])
        )
        uow.commit()


def distance(uow: UnitOfWork, a: int, b: int) -> DistanceInfo:
    """How far from place `a` to place `b`, how long, and where the numbers come from."""
    _require_view(uow)
    if a == b:
        errors = FieldErrors()
        errors.add("to_place_id", N_("Choose two different places."))
        errors.raise_if_any()
    with uow:
        points = _points(uow.session, (a, b))
        factor, speed = _settings(uow.session)
        known = _known(_stored(uow.session, (a, b)), a, b, speed)
    if known is not None:
        return known
    server = uow.outbound.routing
    leg = route(server, points[a], points[b]) if server is not None else None
    if leg is not None:
        _cache(uow, {(a, b): leg})
        return DistanceInfo(km=leg[0], hours=leg[1], source=ROUTING)
    return estimate(points[a], points[b], factor, speed)


def matrix(uow: UnitOfWork, place_ids: Sequence[int]) -> DistanceGrid:
    """Every ordered pair of `place_ids` at once (the route planner's input): one read of the
    table, at most one routing server table request for the pairs it lacks, then estimates."""
    _require_view(uow)
    ids = tuple(place_ids)
    unique = sorted(set(ids))
    with uow:
        points = _points(uow.session, unique)
        factor, speed = _settings(uow.session)
        rows = _stored(uow.session, unique)
    found: dict[tuple[int, int], DistanceInfo] = {}
    missing: list[tuple[int, int]] = []
    for a in unique:
        for b in unique:
            if a != b:
                known = _known(rows, a, b, speed)
                if known is None:
                    missing.append((a, b))
                else:
                    found[(a, b)] = known
    server = uow.outbound.routing
    if missing and server is not None:
        involved = sorted({x for pair in missing for x in pair})
        answer = table(server, [points[x] for x in involved])
        if answer is not None:
            at = {place: i for i, place in enumerate(involved)}
            legs = {(a, b): leg for a, b in missing if (leg := answer[at[a]][at[b]]) is not None}
            _cache(uow, legs)
            found.update({pair: DistanceInfo(km=km, hours=h, source=ROUTING) for pair, (km, h) in legs.items()})
    for a, b in missing:
        if (a, b) not in found:
            found[(a, b)] = estimate(points[a], points[b], factor, speed)
    zero = DistanceInfo(km=Decimal(0), hours=Decimal(0), source=SAME)
    cells = tuple(tuple(zero if a == b else found[(a, b)] for b in ids) for a in ids)
    return DistanceGrid(place_ids=ids, cells=cells)


def route_matrix(uow: UnitOfWork, place_ids: Sequence[int]) -> RouteMatrix:
    """`matrix` as the route planner reads it (core.route_stops): each ordered pair's road
    km and driving minutes with where they come from, and the places' names for its messages."""
    grid = matrix(uow, place_ids)
    with uow:
        rows = uow.session.execute(select(Place.id, Place.name).where(Place.id.in_(set(grid.place_ids))))
        names: dict[PlaceId, str] = {r.id: r.name for r in rows}
    legs: dict[tuple[PlaceId, PlaceId], RouteLeg] = {
        (a, b): RouteLeg.from_hours(cell.km, cell.hours, cell.source)
        for a, row in zip(grid.place_ids, grid.cells, strict=True)
        for b, cell in zip(grid.place_ids, row, strict=True)
        if a != b
    }
    return RouteMatrix(legs=legs, names=names)


# ---- the company's table ------------------------------------------------------------


@dataclass(frozen=True)
class DistanceInput:
    from_place_id: int | None
    to_place_id: int | None
    km: str | Decimal
    hours: str | Decimal | None = None


def validate_distance(data: DistanceInput) -> tuple[FieldErrors, dict[str, Any]]:
    errors = FieldErrors()
    values: dict[str, Any] = {"from_place_id": data.from_place_id, "to_place_id": data.to_place_id}
    if data.from_place_id is None:
        errors.add("from_place_id", N_("Choose the place the distance starts from."))
    if data.to_place_id is None:
        errors.add("to_place_id", N_("Choose the place the distance goes to."))
    elif data.from_place_id == data.to_place_id:
        errors.add("to_place_id", N_("Choose two different places."))
    for name, parse in (("km", parse_km), ("hours", parse_hours)):
        try:
            values[name] = parse(getattr(data, name))
        except RuleError as exc:
            errors.add(name, exc.message, **exc.params)
    if "km" in values and "hours" in values:
        try:
            check_pace(values["km"], values["hours"])
        except RuleError as exc:
            errors.add("hours", exc.message, **exc.params)
    return errors, values


def check_places(session: Session, values: dict[str, Any], errors: FieldErrors) -> None:
    for name in ("from_place_id", "to_place_id"):
        if values.get(name) is not None and name not in errors.errors:
            place = session.get(Place, values[name])
            if place is None:
                errors.add(name, N_("No place has the number {id}."), id=values[name])
            elif place.archived_at is not None:
                errors.add(name, N_("{name} is archived; restore it first."), name=place.name)


def save_row(session: Session, values: dict[str, Any], expected_version: int | None = None) -> Distance:
    """Put km and hours into the company's table for the pair: a new row, the table's row
    changed, or the routing server's cached row taken over by the table."""
    row = session.scalar(
        select(Distance)
        .where(Distance.from_place_id == values["from_place_id"], Distance.to_place_id == values["to_place_id"])
        .with_for_update()
    )
    if row is None:
        row = Distance(**values, source=TABLE)
        session.add(row)
    else:
        if row.source == TABLE:
            check_version(session, row, expected_version)
        if (row.km, row.hours, row.source) != (values["km"], values["hours"], TABLE):
            row.km, row.hours, row.source, row.fetched_at, row.updated_at = (
                values["km"],
                values["hours"],
                TABLE,
                None,
                now(),
            )
    session.flush()
    return row


def set_distance(uow: UnitOfWork, actor: Actor, data: DistanceInput, expected_version: int | None = None) -> int:
    """Enter a pair's road km and typical hours (empty hours: km at the average speed) into
    the company's table. It serves the way back too, unless that has its own row."""
    actor.require(CAN_EDIT_PLACES)
    errors, values = validate_distance(data)
    with uow:
        check_places(uow.session, values, errors)
        errors.raise_if_any()
        try:
            row = save_row(uow.session, values, expected_version)
        except IntegrityError as exc:  # the same pair entered by someone else a moment ago
            uow.session.rollback()
            errors.add("to_place_id", N_("This pair was just entered by someone else; reload to see it."))
            errors.raise_if_any()
            raise AssertionError from exc
        uow.commit()
        return row.id


def remove_distance(uow: UnitOfWork, actor: Actor, distance_id: int, expected_version: int | None = None) -> None:
    """Take a pair out of the company's table (or forget one cached answer): the distance
    then comes from the way back, the routing server or the estimate."""
    actor.require(CAN_EDIT_PLACES)
    with uow:
        row = uow.session.get(Distance, distance_id, with_for_update=True)
        if row is None:
            raise NotFound(N_("This distance is not in the table any more."))
        check_version(uow.session, row, expected_version)
        uow.session.delete(row)
        uow.commit()


def forget_routing(uow: UnitOfWork, actor: Actor) -> int:
    """Drop every cached routing answer (after the server's maps were updated): the next
    distances are asked again. Returns how many were dropped."""
    actor.require(CAN_EDIT_PLACES)
    with uow:
        result = uow.session.execute(delete(Distance).where(Distance.source == ROUTING))
        dropped = int(result.rowcount or 0)  # type: ignore[attr-defined]
        log_event(uow.session, "forget_routing", "distance", details={"dropped": dropped})
        uow.commit()
        return dropped


def get_distance(uow: UnitOfWork, actor: Actor, distance_id: int) -> dict[str, Any]:
    actor.require(CAN_VIEW_PLACES)
    with uow:
        found = uow.session.execute(
            _distance_select(ListQuery(include_archived=True)).where(Distance.id == distance_id)
        )
        row = found.first()
        if row is None:
            raise NotFound(N_("This distance is not in the table any more."))
        out = dict(row._mapping)
        out["version"] = uow.session.scalar(select(Distance.version).where(Distance.id == distance_id))
        back = uow.session.execute(
            select(Distance.id, Distance.km, Distance.hours, Distance.source).where(
                Distance.from_place_id == out["to_place_id"], Distance.to_place_id == out["from_place_id"]
            )
        ).first()
        out["way_back"] = dict(back._mapping) if back is not None else None
        return out


_FROM, _TO = aliased(Place), aliased(Place)
DISTANCE_COLUMNS: dict[str, Any] = {
    "id": Distance.id,
    "from_place_id": Distance.from_place_id,
    "to_place_id": Distance.to_place_id,
    "from_name": _FROM.name,
    "to_name": _TO.name,
    "km": Distance.km,
    "hours": Distance.hours,
    "source": Distance.source,
    "changed_at": func.coalesce(Distance.updated_at, Distance.fetched_at, Distance.created_at),
}


def _distance_select(q: ListQuery) -> Select[Any]:
    """Rows of the table; `include_archived` also shows the routing server's cached answers
    (the catalog's toggle is labelled so on the Distances screen)."""
    stmt = (
        select(*[c.label(k) for k, c in DISTANCE_COLUMNS.items()])
        .join(_FROM, _FROM.id == Distance.from_place_id)
        .join(_TO, _TO.id == Distance.to_place_id)
    )
    if q.search.strip():
        pattern = like_pattern(q.search)
        stmt = stmt.where(or_(_FROM.search_text.like(pattern), _TO.search_text.like(pattern)))
    place = q.filter_value("place")
    if place and place.isdigit():
        stmt = stmt.where(or_(Distance.from_place_id == int(place), Distance.to_place_id == int(place)))
    if q.filter_value("source") in (TABLE, ROUTING):
        stmt = stmt.where(Distance.source == q.filter_value("source"))
    elif not q.include_archived:
        stmt = stmt.where(Distance.source == TABLE)
    return stmt


def list_distances(uow: UnitOfWork, actor: Actor, q: ListQuery) -> PageResult:
    actor.require(CAN_VIEW_PLACES)
    with uow:
        return run_page(uow.session, _distance_select(q), q, DISTANCE_COLUMNS, "from_name", Distance.id)


def export_distances(uow: UnitOfWork, actor: Actor, q: ListQuery) -> list[dict[str, Any]]:
    actor.require(CAN_VIEW_PLACES)
    with uow:
        stmt = _distance_select(q).order_by(_FROM.name, _TO.name)
        return [dict(r._mapping) for r in uow.session.execute(stmt)]
