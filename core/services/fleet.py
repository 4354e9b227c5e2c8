"""Fleet use cases: units (vehicles and trailers), categories, odometer, couplings,
repairs and maintenance plans (SPEC F1, F2, F7)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError

from common.actor import Actor
from common.errors import DomainError, FieldErrors, NotFound
from common.i18n import N_
from common.roles import CAN_EDIT_FLEET, CAN_EDIT_STOCK, CAN_VIEW_FLEET
from core.fleet import (
    DEFAULT_LICENCE,
    LICENCE_CATEGORIES,
    RuleError,
    maintenance_state,
    normalize_plate,
    normalize_vin,
    odometer_problem,
    plate_key,
)
from core.services.listing import ListQuery, PageResult, like_pattern, run_page
from core.services.settings import get_int, get_param
from db.models.auth import User
from db.models.fleet import (
    FUEL_TYPES,
    STATUSES,
    Coupling,
    MaintenancePlan,
    OdometerReading,
    Repair,
    RepairPart,
    Vehicle,
    VehicleCategory,
)
from db.session import UnitOfWork

POWER_UNITS = ("tractor", "truck", "van")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


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
        cat.archived_at = _now() if archived else None
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


def _decimal(
    raw: str | Decimal | None, errors: FieldErrors, field_name: str, low: Decimal, high: Decimal
) -> Decimal | None:
    if raw is None or str(raw).strip() == "":
        return None
    try:
        value = Decimal(str(raw).replace(",", "").strip())
    except InvalidOperation:
        errors.add(field_name, N_("Enter a number."))
        return None
    if not value.is_finite() or value < low or value > high:
        errors.add(field_name, N_("Enter a number between {low} and {high}."), low=low, high=high)
        return None
    return value


def _int(raw: int | str | None, errors: FieldErrors, field_name: str, low: int, high: int) -> int | None:
    if raw is None or str(raw).strip() == "":
        return None
    try:
        value = int(str(raw).strip())
    except ValueError:
        errors.add(field_name, N_("Enter a whole number."))
        return None
    if value < low or value > high:
        errors.add(field_name, N_("Enter a number between {low} and {high}."), low=low, high=high)
        return None
    return value


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
    values["year"] = _int(data.year, errors, "year", 1950, today.year + 1)
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
    values["fuel_norm_l_100km"] = _decimal(
        data.fuel_norm_l_100km, errors, "fuel_norm_l_100km", Decimal(0), Decimal(150)
    )
    values["norm_per_tonne_100km"] = _decimal(
        data.norm_per_tonne_100km, errors, "norm_per_tonne_100km", Decimal(0), Decimal(10)
    )
    for name in ("trailer_pct", "winter_pct", "city_pct"):
        values[name] = _decimal(getattr(data, name), errors, name, Decimal(0), Decimal(100))
    values["hvac_l_per_hour"] = _decimal(data.hvac_l_per_hour, errors, "hvac_l_per_hour", Decimal(0), Decimal(20))
    if data.unit_type == "trailer":
        for name in ("fuel_norm_l_100km", "norm_per_tonne_100km", "trailer_pct", "winter_pct", "city_pct"):
            values[name] = None
    values["max_speed_kmh"] = _int(data.max_speed_kmh, errors, "max_speed_kmh", 10, 200)
    values["payload_kg"] = _int(data.payload_kg, errors, "payload_kg", 0, 100_000)
    values["volume_m3"] = _decimal(data.volume_m3, errors, "volume_m3", Decimal(0), Decimal(200))
    values["pallets"] = _int(data.pallets, errors, "pallets", 0, 60)
    values["axles"] = _int(data.axles, errors, "axles", 1, 12)
    if data.status not in STATUSES:
        errors.add("status", N_("Choose a status."))
    values["status"] = data.status
    if data.purchase_date and data.purchase_date > today:
        errors.add("purchase_date", N_("The purchase date is in the future."))
    values["purchase_date"] = data.purchase_date
    values["purchase_price"] = _decimal(
        data.purchase_price, errors, "purchase_price", Decimal(0), Decimal("999999999999")
    )
    values["responsible_user_id"] = data.responsible_user_id
    values["notes"] = data.notes.strip() or None
    return errors, values


def _check_unique(uow: UnitOfWork, values: dict[str, Any], errors: FieldErrors, unit_id: int | None) -> None:
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
    errors, values = validate_unit(data, today or dt.date.today())
    if odometer_km is not None and (odometer_km < 0 or odometer_km > 5_000_000):
        errors.add("odometer_km", N_("Enter a number between {low} and {high}."), low=0, high=5_000_000)
    with uow:
        _check_unique(uow, values, errors, None)
        errors.raise_if_any()
        unit = Vehicle(**values, odometer_km=odometer_km or 0)
        uow.session.add(unit)
        _flush_unique(uow)
        if odometer_km:
            uow.session.add(
                OdometerReading(
                    vehicle_id=unit.id, read_at=_now(), km=odometer_km, source="initial", created_by=actor.user_id
                )
            )
        uow.commit()
        return unit.id


def _unit(uow: UnitOfWork, unit_id: int, lock: bool = False) -> Vehicle:
    unit = uow.session.get(Vehicle, unit_id, with_for_update=lock)
    if unit is None:
        raise NotFound(N_("This vehicle does not exist."))
    return unit


def update_unit(uow: UnitOfWork, actor: Actor, unit_id: int, data: UnitInput, today: dt.date | None = None) -> bool:
    actor.require(CAN_EDIT_FLEET)
    errors, values = validate_unit(data, today or dt.date.today())
    with uow:
        unit = _unit(uow, unit_id, lock=True)
        if unit.archived_at is not None:
            raise DomainError(N_("This record is archived; restore it before editing."))
        if (unit.unit_type == "trailer") != (values["unit_type"] == "trailer"):
            errors.add("unit_type", N_("A trailer stays a trailer; register a new unit instead."))
        _check_unique(uow, values, errors, unit_id)
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
        unit = _unit(uow, unit_id, lock=True)
        if archived and unit.archived_at is None:
            unit.archived_at = _now()
            for coupling in uow.session.scalars(
                select(Coupling).where(
                    Coupling.uncoupled_at.is_(None), (Coupling.tractor_id == unit_id) | (Coupling.trailer_id == unit_id)
                )
            ):
                coupling.uncoupled_at = _now()
        elif not archived and unit.archived_at is not None:
            unit.archived_at = None
        else:
            return
        uow.commit()


def get_unit(uow: UnitOfWork, actor: Actor, unit_id: int) -> dict[str, Any]:
    actor.require(CAN_VIEW_FLEET)
    with uow:
        u = _unit(uow, unit_id)
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
    from db.models.fleet import Document

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


def list_units(uow: UnitOfWork, actor: Actor, kind: str, q: ListQuery) -> PageResult:
    actor.require(CAN_VIEW_FLEET)
    with uow:
        sortable = {**UNIT_COLUMNS}
        return run_page(uow.session, _unit_select(kind, q), q, sortable, "plate", Vehicle.id)


def export_units(uow: UnitOfWork, actor: Actor, kind: str, q: ListQuery) -> list[dict[str, Any]]:
    actor.require(CAN_VIEW_FLEET)
    with uow:
        return [dict(r._mapping) for r in uow.session.execute(_unit_select(kind, q).order_by(Vehicle.plate))]


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


# ---- odometer -------------------------------------------------------------------------


def add_reading(
    uow: UnitOfWork,
    actor: Actor,
    unit_id: int,
    km: int,
    read_at: dt.datetime | None = None,
    note: str = "",
    source: str = "manual",
) -> int:
    """Log an odometer reading. It must fit between its neighbours in time. A keeper issuing
    fuel records the reading at the pump (source "fuel"), inside the posting's unit of work."""
    actor.require(CAN_EDIT_FLEET | CAN_EDIT_STOCK if source == "fuel" else CAN_EDIT_FLEET)
    moment = read_at or _now()
    with uow:
        unit = _unit(uow, unit_id, lock=True)  # serialises readings of one unit
        reading_id = _add_reading(uow, actor, unit, km, moment, note, source)
        uow.commit()
        return reading_id


def _add_reading(
    uow: UnitOfWork, actor: Actor, unit: Vehicle, km: int, moment: dt.datetime, note: str, source: str
) -> int:
    if moment > _now() + dt.timedelta(minutes=5):
        errors = FieldErrors()
        errors.add("read_at", N_("A reading cannot be in the future."))
        errors.raise_if_any()
    previous = uow.session.scalar(
        select(func.max(OdometerReading.km)).where(
            OdometerReading.vehicle_id == unit.id, OdometerReading.read_at <= moment
        )
    )
    following = uow.session.scalar(
        select(func.min(OdometerReading.km)).where(
            OdometerReading.vehicle_id == unit.id, OdometerReading.read_at > moment
        )
    )
    problem = odometer_problem(km, previous, following)
    if problem:
        errors = FieldErrors()
        errors.add("km", problem, km=previous if "earlier" in problem else following)
        errors.raise_if_any()
    reading = OdometerReading(
        vehicle_id=unit.id, read_at=moment, km=km, source=source, note=note.strip() or None, created_by=actor.user_id
    )
    uow.session.add(reading)
    uow.session.flush()
    latest = uow.session.scalar(
        select(OdometerReading.km)
        .where(OdometerReading.vehicle_id == unit.id)
        .order_by(OdometerReading.read_at.desc(), OdometerReading.id.desc())
        .limit(1)
    )
    if latest is not None and unit.odometer_km != latest:
        unit.odometer_km = latest
    return reading.id


def list_readings(uow: UnitOfWork, actor: Actor, unit_id: int, limit: int = 200) -> list[dict[str, Any]]:
    actor.require(CAN_VIEW_FLEET)
    with uow:
        rows = uow.session.execute(
            select(
                OdometerReading.id,
                OdometerReading.read_at,
                OdometerReading.km,
                OdometerReading.source,
                OdometerReading.note,
                User.username,
            )
            .outerjoin(User, User.id == OdometerReading.created_by)
            .where(OdometerReading.vehicle_id == unit_id)
            .order_by(OdometerReading.read_at.desc(), OdometerReading.id.desc())
            .limit(limit)
        )
        return [dict(r._mapping) for r in rows]


# ---- couplings ------------------------------------------------------------------------


def couple(
    uow: UnitOfWork, actor: Actor, tractor_id: int, trailer_id: int, at: dt.datetime | None = None, note: str = ""
) -> int:
    """Hitch a trailer to a tractor or truck; either one's current coupling ends now."""
    actor.require(CAN_EDIT_FLEET)
    moment = at or _now()
    with uow:
        tractor = _unit(uow, tractor_id, lock=True)
        trailer = _unit(uow, trailer_id, lock=True)
        errors = FieldErrors()
        if tractor.unit_type not in ("tractor", "truck"):
            errors.add("tractor_id", N_("Only a tractor or a truck pulls a trailer."))
        if trailer.unit_type != "trailer":
            errors.add("trailer_id", N_("Choose a trailer."))
        if tractor.archived_at or trailer.archived_at:
            errors.add("trailer_id", N_("Archived units cannot be coupled."))
        errors.raise_if_any()
        current = uow.session.scalars(
            select(Coupling).where(
                Coupling.uncoupled_at.is_(None),
                (Coupling.tractor_id == tractor_id) | (Coupling.trailer_id == trailer_id),
            )
        ).all()
        for c in current:
            if c.tractor_id == tractor_id and c.trailer_id == trailer_id:
                return c.id
            c.uncoupled_at = max(moment, c.coupled_at)
        uow.session.flush()
        coupling = Coupling(tractor_id=tractor_id, trailer_id=trailer_id, coupled_at=moment, note=note.strip() or None)
        uow.session.add(coupling)
        uow.session.flush()
        uow.commit()
        return coupling.id


def uncouple(uow: UnitOfWork, actor: Actor, coupling_id: int, at: dt.datetime | None = None) -> None:
    actor.require(CAN_EDIT_FLEET)
    with uow:
        c = uow.session.get(Coupling, coupling_id, with_for_update=True)
        if c is None:
            raise NotFound(N_("This coupling does not exist."))
        if c.uncoupled_at is None:
            c.uncoupled_at = max(at or _now(), c.coupled_at)
            uow.commit()


def list_couplings(uow: UnitOfWork, actor: Actor, unit_id: int) -> list[dict[str, Any]]:
    actor.require(CAN_VIEW_FLEET)
    tractor = Vehicle.__table__.alias("tractor")
    trailer = Vehicle.__table__.alias("trailer")
    with uow:
        rows = uow.session.execute(
            select(
                Coupling.id,
                Coupling.coupled_at,
                Coupling.uncoupled_at,
                Coupling.note,
                tractor.c.plate.label("tractor"),
                trailer.c.plate.label("trailer"),
                Coupling.tractor_id,
                Coupling.trailer_id,
            )
            .join(tractor, tractor.c.id == Coupling.tractor_id)
            .join(trailer, trailer.c.id == Coupling.trailer_id)
            .where((Coupling.tractor_id == unit_id) | (Coupling.trailer_id == unit_id))
            .order_by(Coupling.coupled_at.desc())
        )
        return [dict(r._mapping) for r in rows]


def current_partner(uow: UnitOfWork, actor: Actor, unit_id: int) -> int | None:
    """The trailer a tractor pulls now (or the tractor pulling a trailer)."""
    actor.require(CAN_VIEW_FLEET)
    with uow:
        c = uow.session.scalar(
            select(Coupling).where(
                Coupling.uncoupled_at.is_(None), (Coupling.tractor_id == unit_id) | (Coupling.trailer_id == unit_id)
            )
        )
        if c is None:
            return None
        return c.trailer_id if c.tractor_id == unit_id else c.tractor_id


# ---- repairs and maintenance ----------------------------------------------------------


@dataclass(frozen=True)
class PartLine:
    item_name: str
    quantity: str
    unit_price: str


@dataclass(frozen=True)
class RepairInput:
    work_date: dt.date
    work_done: str
    odometer_km: int | None = None
    place: str = ""
    labour_cost: str = "0"
    plan_id: int | None = None
    parts: list[PartLine] = field(default_factory=list)


def add_repair(uow: UnitOfWork, actor: Actor, unit_id: int, data: RepairInput, today: dt.date | None = None) -> int:
    """Record work done; its odometer goes to the log and a linked plan restarts from it."""
    actor.require(CAN_EDIT_FLEET)
    day = today or dt.date.today()
    errors = FieldErrors()
    if not data.work_done.strip():
        errors.add("work_done", N_("Describe the work done."))
    if data.work_date > day:
        errors.add("work_date", N_("The date is in the future."))
    labour = _decimal(data.labour_cost or "0", errors, "labour_cost", Decimal(0), Decimal("999999999")) or Decimal(0)
    parts = []
    for i, line in enumerate(data.parts, start=1):
        if not line.item_name.strip():
            if line.quantity.strip() or line.unit_price.strip():
                errors.add(f"part_{i}", N_("Line {n}: name the part."), n=i)
            continue
        qty = _decimal(line.quantity, errors, f"part_{i}", Decimal("0.001"), Decimal(100000))
        price = _decimal(line.unit_price or "0", errors, f"part_{i}", Decimal(0), Decimal("999999999"))
        if qty is None:
            errors.add(f"part_{i}", N_("Line {n}: the quantity must be more than zero."), n=i)
        parts.append((line.item_name.strip(), qty, price or Decimal(0)))
    errors.raise_if_any()
    with uow:
        unit = _unit(uow, unit_id, lock=True)
        if data.plan_id is not None:
            plan = uow.session.get(MaintenancePlan, data.plan_id, with_for_update=True)
            if plan is None or plan.vehicle_id != unit_id:
                errors.add("plan_id", N_("This plan is not of this unit."))
                errors.raise_if_any()
        if data.odometer_km is not None:
            # work of today is read now; earlier work at the end of its day
            moment = (
                _now()
                if data.work_date >= _now().date()
                else dt.datetime.combine(data.work_date, dt.time(23, 59), tzinfo=dt.UTC)
            )
            _add_reading(uow, actor, unit, data.odometer_km, moment, "", "repair")
        repair = Repair(
            vehicle_id=unit_id,
            work_date=data.work_date,
            odometer_km=data.odometer_km,
            work_done=data.work_done.strip(),
            place=data.place.strip() or None,
            labour_cost=labour,
            plan_id=data.plan_id,
        )
        uow.session.add(repair)
        uow.session.flush()
        for name, qty, price in parts:
            uow.session.add(RepairPart(repair_id=repair.id, item_name=name, quantity=qty, unit_price=price))
        if data.plan_id is not None:
            plan = uow.session.get(MaintenancePlan, data.plan_id)
            assert plan is not None
            plan.last_done_date = data.work_date
            plan.last_done_km = data.odometer_km if data.odometer_km is not None else unit.odometer_km
        uow.commit()
        return repair.id


def list_repairs(uow: UnitOfWork, actor: Actor, unit_id: int) -> list[dict[str, Any]]:
    actor.require(CAN_VIEW_FLEET)
    parts_cost = (
        select(func.coalesce(func.sum(RepairPart.quantity * RepairPart.unit_price), 0))
        .where(RepairPart.repair_id == Repair.id)
        .scalar_subquery()
    )
    with uow:
        rows = uow.session.execute(
            select(
                Repair.id,
                Repair.work_date,
                Repair.odometer_km,
                Repair.work_done,
                Repair.place,
                Repair.labour_cost,
                parts_cost.label("parts_cost"),
                MaintenancePlan.name.label("plan"),
            )
            .outerjoin(MaintenancePlan, MaintenancePlan.id == Repair.plan_id)
            .where(Repair.vehicle_id == unit_id, Repair.archived_at.is_(None))
            .order_by(Repair.work_date.desc(), Repair.id.desc())
        )
        out = []
        for r in rows:
            row = dict(r._mapping)
            row["parts_cost"] = Decimal(row["parts_cost"]).quantize(Decimal("0.01"))
            row["total_cost"] = row["parts_cost"] + row["labour_cost"]
            out.append(row)
        return out


def add_plan(
    uow: UnitOfWork,
    actor: Actor,
    unit_id: int,
    name: str,
    every_km: int | None,
    every_months: int | None,
    last_done_date: dt.date | None = None,
    last_done_km: int | None = None,
) -> int:
    actor.require(CAN_EDIT_FLEET)
    errors = FieldErrors()
    if not name.strip():
        errors.add("name", N_("Name the maintenance (for example: oil change)."))
    if not every_km and not every_months:
        errors.add("every_km", N_("Give an interval in kilometres, in months, or both."))
    if every_km is not None and every_km <= 0:
        errors.add("every_km", N_("Enter a whole number that is more than zero."))
    if every_months is not None and every_months <= 0:
        errors.add("every_months", N_("Enter a whole number that is more than zero."))
    errors.raise_if_any()
    with uow:
        unit = _unit(uow, unit_id)
        plan = MaintenancePlan(
            vehicle_id=unit_id,
            name=name.strip(),
            every_km=every_km or None,
            every_months=every_months or None,
            last_done_date=last_done_date or dt.date.today(),
            last_done_km=last_done_km if last_done_km is not None else unit.odometer_km,
        )
        uow.session.add(plan)
        uow.session.flush()
        uow.commit()
        return plan.id


def archive_plan(uow: UnitOfWork, actor: Actor, plan_id: int) -> None:
    actor.require(CAN_EDIT_FLEET)
    with uow:
        plan = uow.session.get(MaintenancePlan, plan_id, with_for_update=True)
        if plan is None:
            raise NotFound(N_("This plan does not exist."))
        if plan.archived_at is None:
            plan.archived_at = _now()
            uow.commit()


def list_plans(uow: UnitOfWork, actor: Actor, unit_id: int, today: dt.date | None = None) -> list[dict[str, Any]]:
    actor.require(CAN_VIEW_FLEET)
    day = today or dt.date.today()
    with uow:
        unit = _unit(uow, unit_id)
        lead_km = get_int(uow.session, "fleet.maintenance_lead_km")
        leads = get_param(uow.session, "reminders.lead_days")
        lead_days = max(leads) if isinstance(leads, tuple) and leads else 14
        out = []
        for p in uow.session.scalars(
            select(MaintenancePlan)
            .where(MaintenancePlan.vehicle_id == unit_id, MaintenancePlan.archived_at.is_(None))
            .order_by(MaintenancePlan.name)
        ):
            state = maintenance_state(
                p.every_km,
                p.every_months,
                p.last_done_km,
                p.last_done_date,
                unit.odometer_km,
                day,
                lead_km,
                min(lead_days, 30),
            )
            out.append(
                {
                    "id": p.id,
                    "name": p.name,
                    "every_km": p.every_km,
                    "every_months": p.every_months,
                    "last_done_date": p.last_done_date,
                    "last_done_km": p.last_done_km,
                    "next_km": state.next_km,
                    "next_date": state.next_date,
                    "state": "overdue" if state.overdue else "due" if state.due else "ok",
                }
            )
        return out


def responsible_choices(uow: UnitOfWork, actor: Actor) -> list[tuple[int, str]]:
    actor.require(CAN_VIEW_FLEET)
    with uow:
        return [
            (r.id, f"{r.full_name} ({r.username})")
            for r in uow.session.execute(
                select(User.id, User.full_name, User.username).where(User.is_active).order_by(User.full_name)
            )
        ]
