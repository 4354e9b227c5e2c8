"""The directory of places (SPEC T2): towns, depots, client sites, border posts and ports,
with their coordinates; add, edit (versioned), archive, the catalog and the pickers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, delete, func, select
from sqlalchemy.exc import IntegrityError

from common.actor import Actor
from common.errors import DomainError, FieldErrors, NotFound
from common.i18n import N_
from common.roles import CAN_EDIT_PLACES, CAN_VIEW_PLACES
from core.places import RuleError, check_kind, clean_country, clean_name, parse_coordinate
from core.services.listing import ListQuery, PageResult, like_pattern, run_page
from core.services.versions import check_version
from db.models.crm import Client
from db.models.transport import Distance, Place
from db.session import UnitOfWork


def now() -> dt.datetime:
    """The moment of a timestamp (an archive date, a fetch); days come from the company."""
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class PlaceInput:
    name: str
    kind: str
    country: str
    latitude: str | Decimal
    longitude: str | Decimal
    region: str = ""
    client_id: int | None = None
    notes: str = ""


def validate_place(data: PlaceInput) -> tuple[FieldErrors, dict[str, Any]]:
    """Check every field of a place (no database: the name's uniqueness and the client are
    the service's)."""
    errors = FieldErrors()
    values: dict[str, Any] = {}
    checks: list[tuple[str, Any]] = [
        ("name", lambda: clean_name(data.name)),
        ("kind", lambda: check_kind(data.kind)),
        ("country", lambda: clean_country(data.country)),
        ("latitude", lambda: parse_coordinate(data.latitude, "latitude")),
        ("longitude", lambda: parse_coordinate(data.longitude, "longitude")),
    ]
    for name, check in checks:
        try:
            values[name] = check()
        except RuleError as exc:
            errors.add(name, exc.message, **exc.params)
    region = " ".join(data.region.split())
    errors.too_long("region", region, 80)
    values["region"] = region or None
    values["client_id"] = data.client_id
    if data.client_id is not None and data.kind != "client_site":
        errors.add("client_id", N_("Only a client site belongs to a client; choose the kind Client site."))
    values["notes"] = data.notes.strip() or None
    return errors, values


def check_place_unique(uow: UnitOfWork, values: dict[str, Any], errors: FieldErrors, place_id: int | None) -> None:
    if "name" in values and "country" in values:
        clash = uow.session.execute(
            select(Place.name, Place.archived_at).where(
                func.lower(Place.name) == values["name"].lower(),
                Place.country == values["country"],
                Place.id != (place_id or -1),
            )
        ).first()
        if clash is not None:
            message = (
                N_("An archived place in this country is named {name}; restore it instead.")
                if clash.archived_at is not None
                else N_("A place in this country is named {name} already.")
            )
            errors.add("name", message, name=clash.name)
    if values.get("client_id") is not None:
        client = uow.session.get(Client, values["client_id"])
        if client is None or client.archived_at is not None or client.merged_into_id is not None:
            errors.add("client_id", N_("Choose a client of the client list."))


def _flush_unique(uow: UnitOfWork) -> None:
    try:
        uow.session.flush()
    except IntegrityError as exc:  # the same name saved by someone else a moment ago
        uow.session.rollback()
        errors = FieldErrors()
        errors.add("name", N_("A place with this name was just added by someone else."))
        errors.raise_if_any()
        raise AssertionError from exc


def load_place(uow: UnitOfWork, place_id: int, lock: bool = False) -> Place:
    place = uow.session.get(Place, place_id, with_for_update=lock)
    if place is None:
        raise NotFound(N_("This place does not exist."))
    return place


def create_place(uow: UnitOfWork, actor: Actor, data: PlaceInput) -> int:
    actor.require(CAN_EDIT_PLACES)
    errors, values = validate_place(data)
    with uow:
        check_place_unique(uow, values, errors, None)
        errors.raise_if_any()
        place = Place(**values)
        uow.session.add(place)
        _flush_unique(uow)
        uow.commit()
        return place.id


def update_place(
    uow: UnitOfWork, actor: Actor, place_id: int, data: PlaceInput, expected_version: int | None = None
) -> bool:
    """Save the changed fields (False: nothing changed). `expected_version` is the version the
    form was opened with (RecordChanged if the place was saved since). Moving a place drops
    the routing server's distances to and from it: they were measured from where it was."""
    actor.require(CAN_EDIT_PLACES)
    errors, values = validate_place(data)
    with uow:
        place = load_place(uow, place_id, lock=True)
        check_version(uow.session, place, expected_version)
        if place.archived_at is not None:
            raise DomainError(N_("This record is archived; restore it before editing."))
        check_place_unique(uow, values, errors, place_id)
        errors.raise_if_any()
        moved = (values["latitude"], values["longitude"]) != (place.latitude, place.longitude)
        changed = False
        for key, value in values.items():
            if getattr(place, key) != value:
                setattr(place, key, value)
                changed = True
        if not changed:
            return False
        _flush_unique(uow)
        if moved:
            uow.session.execute(
                delete(Distance).where(
                    Distance.source == "routing",
                    (Distance.from_place_id == place_id) | (Distance.to_place_id == place_id),
                )
            )
        uow.commit()
        return True


def set_place_archived(uow: UnitOfWork, actor: Actor, place_id: int, archived: bool) -> None:
    """Archive a place (gone from pickers, kept on the orders and trips that went there) or
    restore it."""
    actor.require(CAN_EDIT_PLACES)
    with uow:
        place = load_place(uow, place_id, lock=True)
        if archived == (place.archived_at is not None):
            return
        place.archived_at = now() if archived else None
        uow.commit()


def get_place(uow: UnitOfWork, actor: Actor, place_id: int) -> dict[str, Any]:
    actor.require(CAN_VIEW_PLACES)
    with uow:
        place = load_place(uow, place_id)
        out = {c.key: getattr(place, c.key) for c in Place.__mapper__.column_attrs if c.key != "search_text"}
        client = uow.session.get(Client, place.client_id) if place.client_id else None
        out["client"] = f"{client.name} · {client.code}" if client else ""
        return out


PLACE_COLUMNS: dict[str, Any] = {
    "id": Place.id,
    "name": Place.name,
    "kind": Place.kind,
    "country": Place.country,
    "region": Place.region,
    "latitude": Place.latitude,
    "longitude": Place.longitude,
    "client": Client.name,
    "archived": Place.archived_at.is_not(None),
}


def _place_select(q: ListQuery) -> Select[Any]:
    stmt = select(*[c.label(k) for k, c in PLACE_COLUMNS.items()]).outerjoin(Client, Client.id == Place.client_id)
    if q.search.strip():
        pattern = like_pattern(q.search)
        stmt = stmt.where(Place.search_text.like(pattern) | func.lower(func.coalesce(Client.name, "")).like(pattern))
    for key, column in (("kind", Place.kind), ("country", Place.country)):
        value = q.filter_value(key)
        if value:
            stmt = stmt.where(column == value)
    if not q.include_archived:
        stmt = stmt.where(Place.archived_at.is_(None))
    return stmt


def list_places(uow: UnitOfWork, actor: Actor, q: ListQuery) -> PageResult:
    actor.require(CAN_VIEW_PLACES)
    with uow:
        return run_page(uow.session, _place_select(q), q, PLACE_COLUMNS, "name", Place.id)


def export_places(uow: UnitOfWork, actor: Actor, q: ListQuery) -> list[dict[str, Any]]:
    actor.require(CAN_VIEW_PLACES)
    with uow:
        return [dict(r._mapping) for r in uow.session.execute(_place_select(q).order_by(Place.name, Place.id))]


def place_label(name: str, country: str) -> str:
    return f"{name} ({country})"


def place_choices(
    uow: UnitOfWork, actor: Actor, kinds: tuple[str, ...] = (), keep: tuple[int, ...] = ()
) -> list[tuple[int, str]]:
    """(id, "Kigali (RW)") of the places in use, for pickers; `kinds` narrows them (depots for
    a home depot), `keep` adds archived ones a record still points to."""
    actor.require(CAN_VIEW_PLACES)
    with uow:
        live = Place.archived_at.is_(None)
        stmt = select(Place.id, Place.name, Place.country).where(live | Place.id.in_(keep) if keep else live)
        if kinds:
            stmt = stmt.where(Place.kind.in_(kinds))
        return [(r.id, place_label(r.name, r.country)) for r in uow.session.execute(stmt.order_by(Place.name))]
