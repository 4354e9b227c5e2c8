"""Units: vehicles (tractors, trucks, vans) and trailers, their categories, the unit
catalog with its documents' state, and the pickers (SPEC F1, F2)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError

from common.actor import Actor
from common.errors import DomainError, FieldErrors, NotFound
from common.i18n import N_
from common.roles import CAN_EDIT_FLEET, CAN_VIEW_FLEET
from core.fleet import (
    DEFAULT_LICENCE,
    LICENCE_CATEGORIES,
    RuleError,
    document_status,
    normalize_plate,
    normalize_vin,
    plate_key,
)
from core.services.fleet.base import POWER_UNITS, expiring_warn_days, load_unit, now, parse_decimal, parse_int
from core.services.listing import ListQuery, PageResult, like_pattern, run_page
from core.services.settings import company_today
from core.services.versions import check_version
from db.models.auth import User
from db.models.fleet import FUEL_TYPES, STATUSES, Coupling, Document, OdometerReading, Vehicle, VehicleCategory
from db.session import UnitOfWork

# ---- categories -----------------------------------------------------------------------


def list_categories(uow: UnitOfWork, actor: Actor, kind: str, include_archived: bool = False) -> list[dict[str, Any]]:
    actor.require(CAN_VIEW_FLEET)
    with uow:
        stmt = select(VehicleCategory).where(VehicleCategory.kind == kind).order_by(VehicleCategory.name)
        if not include_archived:
            stmt = stmt.where(VehicleCategory.archived_at.is_(None))
        return [{"id": c.id, "name": c.name, "archived": c.archived_at is not None} for c in uow.session.scalars(stmt)]


def save_category(uow: UnitOfWork, actor: Actor, kind: str, name: str, category_id: int | None = None) -> int:
    actor.require(CAN_EDIT_FLEET)
    clean = " ".join(name.split())
    errors = FieldErrors()
    if not clean:
        errors.add("name", N_("Enter a name."))
    if kind not in ("vehicle", "trailer"):
        errors.add("kind", N_("Unknown kind."))
    errors.raise_if_any()
    with uow:
        clash = uow.session.scalar(
            select(VehicleCategory.id).where(
                VehicleCategory.kind == kind,
                func.lower(VehicleCategory.name) == clean.lower(),
                VehicleCategory.id != (category_id or -1),
            )
        )
        if clash:
            errors.add("name", N_("This category exists already."))
            errors.raise_if_any()
        if category_id is None:
            cat = VehicleCategory(kind=kind, name=clean)
            uow.session.add(cat)
        else:
            found = uow.session.get(VehicleCategory, category_id, with_for_update=True)
            if found is None:
                raise NotFound(N_("This category does not exist."))
            cat = found
            cat.name = clean
        uow.session.flush()
        uow.commit()
        return cat.id


def set_category_archived(uow: UnitOfWork, actor: Actor, category_id: int, archived: bool) -> None:
    actor.require(CAN_EDIT_FLEET)
    with uow:
        cat = uow.session.get(VehicleCategory, category_id, with_for_update=True)
        if cat is None:
            raise NotFound(N_("This category does not exist."))
        cat.archived_at = now() if archived else None
        uow.commit()


# ---- units ----------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitInput:
    unit_type: str
    plate: str
    vin: str = ""
    make: str = ""
    model: str = ""
    year: int | str | None = None
    category_id: int | None = None
    body_type: str = ""
    fuel_type: str = "diesel"
    required_licence: str = ""
    fuel_norm_l_100km: str = ""
    norm_per_tonne_100km: str = ""
    trailer_pct: str = ""
    winter_pct: str = ""
    city_pct: str = ""
    hvac_l_per_hour: str = ""
    max_speed_kmh: int | str | None = None
    payload_kg: int | str | None = None
    volume_m3: str = ""
    pallets: int | str | None = None
    axles: int | str | None = None
    status: str = "active"
    purchase_date: dt.date | None = None
    purchase_price: str = ""
    responsible_user_id: int | None = None
    notes: str = ""


def validate_unit(data: UnitInput, today: dt.date) -> tuple[FieldErrors, dict[str, Any]]:
    """Check every field of a unit (pure). Duplicates are checked by the service."""
    errors = FieldErrors()
    values: dict[str, Any] = {}
    if data.unit_type not in (*POWER_UNITS, "trailer"):
        errors.add("unit_type", N_("Choose the type of unit."))
    values["unit_type"] = data.unit_type
    try:
        values["plate"] = normalize_plate(data.plate)
    except RuleError as exc:
        errors.add("plate", exc.message, **exc.params)
    values["vin"] = None
    if data.vin.strip():
        try:
            values["vin"] = normalize_vin(data.vin)
        except RuleError as exc:
            errors.add("vin", exc.message, **exc.params)
    for name in ("make", "model", "body_type"):
        values[name] = " ".join(getattr(data, name).split()) or None
    values["year"] = parse_int(data.year, errors, "year", 1950, today.year + 1)
    values["category_id"] = data.category_id
    fuel = "none" if data.unit_type == "trailer" else data.fuel_type
    if fuel not in FUEL_TYPES or (data.unit_type != "trailer" and fuel == "none"):
        errors.add("fuel_type", N_("Choose the fuel type."))
    values["fuel_type"] = fuel
    licence = data.required_licence.strip().upper() or DEFAULT_LICENCE.get(data.unit_type)
    if licence and licence not in LICENCE_CATEGORIES:
        errors.add(
            "required_licence",
            N_("{code} is not a licence category. Known: {known}."),
            code=licence,
            known=", ".join(LICENCE_CATEGORIES),
        )
    values["required_licence"] = None if data.unit_type == "trailer" else licence
    values["fuel_norm_l_100km"] = parse_decimal(
        data.fuel_norm_l_100km, errors, "fuel_norm_l_100km", Decimal(0), Decimal(150)
    )
    values["norm_per_tonne_100km"] = parse_decimal(
        data.norm_per_tonne_100km, errors, "norm_per_tonne_100km", Decimal(0), Decimal(10)
    )
    for name in ("trailer_pct", "winter_pct", "city_pct"):
        values[name] = parse_decimal(getattr(data, name), errors, name, Decimal(0), Decimal(100))
    values["hvac_l_per_hour"] = parse_decimal(data.hvac_l_per_hour, errors, "hvac_l_per_hour", Decimal(0), Decimal(20))
    if data.unit_type == "trailer":
        for name in ("fuel_norm_l_100km", "norm_per_tonne_100km", "trailer_pct", "winter_pct", "city_pct"):
            values[name] = None
    values["max_speed_kmh"] = parse_int(data.max_speed_kmh, errors, "max_speed_kmh", 10, 200)
    values["payload_kg"] = parse_int(data.payload_kg, errors, "payload_kg", 0, 100_000)
    values["volume_m3"] = parse_decimal(data.volume_m3, errors, "volume_m3", Decimal(0), Decimal(200))
    values["pallets"] = parse_int(data.pallets, errors, "pallets", 0, 60)
    values["axles"] = parse_int(data.axles, errors, "axles", 1, 12)
    if data.status not in STATUSES:
        errors.add("status", N_("Choose a status."))
    values["status"] = data.status
    if data.purchase_date and data.purchase_date > today:
        errors.add("purchase_date", N_("The purchase date is in the future."))
    values["purchase_date"] = data.purchase_date
    values["purchase_price"] = parse_decimal(
        data.purchase_price, errors, "purchase_price", Decimal(0), Decimal("999999999999")
    )
    values["responsible_user_id"] = data.responsible_user_id
    values["notes"] = data.notes.strip() or None
    return errors, values


def check_unit_unique(uow: UnitOfWork, values: dict[str, Any], errors: FieldErrors, unit_id: int | None) -> None:
    other = Vehicle.id != (unit_id or -1)
    if "plate" in values:
        clash = uow.session.scalar(select(Vehicle.plate).where(Vehicle.plate_key == plate_key(values["plate"]), other))
        if clash:
            errors.add("plate", N_("The plate {plate} is already registered."), plate=clash)
    if values.get("vin"):
        clash = uow.session.scalar(select(Vehicle.plate).where(Vehicle.vin == values["vin"], other))
        if clash:
            errors.add("vin", N_("This VIN is already registered on {plate}."), plate=clash)
    if values.get("category_id") is not None:
        cat = uow.session.get(VehicleCategory, values["category_id"])
        kind = "trailer" if values["unit_type"] == "trailer" else "vehicle"
        if cat is None or cat.kind != kind:
            errors.add("category_id", N_("Choose a category of this kind of unit."))
    if values.get("responsible_user_id") is not None:
        user = uow.session.get(User, values["responsible_user_id"])
        if user is None or not user.is_active:
            errors.add("responsible_user_id", N_("Choose an active user."))


def _flush_unique(uow: UnitOfWork) -> None:
    try:
        uow.session.flush()
    except IntegrityError as exc:  # a concurrent insert of the same plate or VIN
        uow.session.rollback()
        errors = FieldErrors()
        errors.add("plate", N_("The plate or VIN was just registered by someone else."))
        errors.raise_if_any()
        raise AssertionError from exc


def create_unit(
    uow: UnitOfWork, actor: Actor, data: UnitInput, odometer_km: int | None = None, today: dt.date | None = None
) -> int:
    actor.require(CAN_EDIT_FLEET)
    with uow:
        errors, values = validate_unit(data, today or company_today(uow.session))
        if odometer_km is not None and (odometer_km < 0 or odometer_km > 5_000_000):
            errors.add("odometer_km", N_("Enter a number between {low} and {high}."), low=0, high=5_000_000)
        check_unit_unique(uow, values, errors, None)
        errors.raise_if_any()
        unit = Vehicle(**values, odometer_km=odometer_km or 0)
        uow.session.add(unit)
        _flush_unique(uow)
        if odometer_km:
            uow.session.add(
                OdometerReading(
                    vehicle_id=unit.id, read_at=now(), km=odometer_km, source="initial", created_by=actor.user_id
                )
            )
        uow.commit()
        return unit.id


def update_unit(
    uow: UnitOfWork,
    actor: Actor,
    unit_id: int,
    data: UnitInput,
    today: dt.date | None = None,
    expected_version: int | None = None,
) -> bool:
    """Save the changed fields (False: nothing changed); `expected_version` is the version the
    form was opened with (RecordChanged if the unit was saved since)."""
    actor.require(CAN_EDIT_FLEET)
    with uow:
        errors, values = validate_unit(data, today or company_today(uow.session))
        unit = load_unit(uow, unit_id, lock=True)
        check_version(uow.session, unit, expected_version)
        if unit.archived_at is not None:
            raise DomainError(N_("This record is archived; restore it before editing."))
        if (unit.unit_type == "trailer") != (values["unit_type"] == "trailer"):
            errors.add("unit_type", N_("A trailer stays a trailer; register a new unit instead."))
        check_unit_unique(uow, values, errors, unit_id)
        errors.raise_if_any()
        changed = False
        for key, value in values.items():
            if getattr(unit, key) != value:
                setattr(unit, key, value)
                changed = True
        if changed:
            _flush_unique(uow)
            uow.commit()
        return changed


def set_unit_archived(uow: UnitOfWork, actor: Actor, unit_id: int, archived: bool) -> None:
    actor.require(CAN_EDIT_FLEET)
    with uow:
        unit = load_unit(uow, unit_id, lock=True)
        if archived and unit.archived_at is None:
            unit.archived_at = now()
            for coupling in uow.session.scalars(
                select(Coupling).where(
                    Coupling.uncoupled_at.is_(None), (Coupling.tractor_id == unit_id) | (Coupling.trailer_id == unit_id)
                )
            ):
                coupling.uncoupled_at = now()
        elif not archived and unit.archived_at is not None:
            unit.archived_at = None
        else:
            return
        uow.commit()


def get_unit(uow: UnitOfWork, actor: Actor, unit_id: int) -> dict[str, Any]:
    actor.require(CAN_VIEW_FLEET)
    with uow:
        u = load_unit(uow, unit_id)
        out = {c.key: getattr(u, c.key) for c in Vehicle.__mapper__.column_attrs if c.key != "search_text"}
        cat = uow.session.get(VehicleCategory, u.category_id) if u.category_id else None
        out["category"] = cat.name if cat else ""
        return out


UNIT_COLUMNS: dict[str, Any] = {
    "id": Vehicle.id,
    "plate": Vehicle.plate,
    "unit_type": Vehicle.unit_type,
    "make": Vehicle.make,
    "model": Vehicle.model,
    "year": Vehicle.year,
    "category": VehicleCategory.name,
    "status": Vehicle.status,
    "odometer_km": Vehicle.odometer_km,
    "payload_kg": Vehicle.payload_kg,
    "archived": Vehicle.archived_at.is_not(None),
}


def _unit_select(kind: str, q: ListQuery) -> Select[Any]:
    # docs_until: the earliest end among the newest document of each type, so that the
    # status of that one date is the worst of the unit's documents (worst_document_status)
    latest = (
        select(Document.vehicle_id, Document.type_id, func.max(Document.valid_to).label("valid_to"))
        .where(Document.archived_at.is_(None), Document.vehicle_id.is_not(None))
        .group_by(Document.vehicle_id, Document.type_id)
        .subquery()
    )
    docs_until = select(func.min(latest.c.valid_to)).where(latest.c.vehicle_id == Vehicle.id).scalar_subquery()
    stmt = select(*[c.label(k) for k, c in UNIT_COLUMNS.items()], docs_until.label("docs_until")).outerjoin(
        VehicleCategory, VehicleCategory.id == Vehicle.category_id
    )
    if kind == "trailer":
        stmt = stmt.where(Vehicle.unit_type == "trailer")
    else:
        stmt = stmt.where(Vehicle.unit_type.in_(POWER_UNITS))
    if q.search.strip():
        stmt = stmt.where(Vehicle.search_text.like(like_pattern(q.search)))
    for key, col in (("unit_type", Vehicle.unit_type), ("status", Vehicle.status), ("category", VehicleCategory.name)):
        value = q.filter_value(key)
        if value:
            stmt = stmt.where(col == value)
    if not q.include_archived:
        stmt = stmt.where(Vehicle.archived_at.is_(None))
    return stmt


def _with_documents_state(uow: UnitOfWork, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each row's `documents_state`: the status of its `docs_until` on the company's day."""
    today, warn = company_today(uow.session), expiring_warn_days(uow.session)
    for row in rows:
        row["documents_state"] = document_status(row["docs_until"], today, warn)
    return rows


def list_units(uow: UnitOfWork, actor: Actor, kind: str, q: ListQuery) -> PageResult:
    """One page of vehicles or trailers, each with its documents' state."""
    actor.require(CAN_VIEW_FLEET)
    with uow:
        sortable = {**UNIT_COLUMNS}
        page = run_page(uow.session, _unit_select(kind, q), q, sortable, "plate", Vehicle.id)
        _with_documents_state(uow, page.rows)
        return page


def export_units(uow: UnitOfWork, actor: Actor, kind: str, q: ListQuery) -> list[dict[str, Any]]:
    actor.require(CAN_VIEW_FLEET)
    with uow:
        rows = [dict(r._mapping) for r in uow.session.execute(_unit_select(kind, q).order_by(Vehicle.plate))]
        return _with_documents_state(uow, rows)


def unit_choices(uow: UnitOfWork, actor: Actor, kind: str) -> list[tuple[int, str]]:
    """(id, 'RAB 123 A · Volvo FH') of active units, for pickers."""
    actor.require(CAN_VIEW_FLEET)
    types = ("trailer",) if kind == "trailer" else POWER_UNITS
    with uow:
        rows = uow.session.execute(
            select(Vehicle.id, Vehicle.plate, Vehicle.make, Vehicle.model)
            .where(Vehicle.unit_type.in_(types), Vehicle.archived_at.is_(None))
            .order_by(Vehicle.plate)
        )
        return [(r.id, " · ".join(x for x in (r.plate, " ".join(filter(None, (r.make, r.model)))) if x)) for r in rows]


def responsible_choices(uow: UnitOfWork, actor: Actor) -> list[tuple[int, str]]:
    actor.require(CAN_VIEW_FLEET)
    with uow:
        return [
            (r.id, f"{r.full_name} ({r.username})")
            for r in uow.session.execute(
                select(User.id, User.full_name, User.username).where(User.is_active).order_by(User.full_name)
            )
        ]
