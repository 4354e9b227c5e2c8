"""The odometer log of a unit: readings that fit between their neighbours in time (SPEC F2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from common.actor import Actor
from common.errors import FieldErrors
from common.i18n import N_
from common.roles import CAN_EDIT_FLEET, CAN_EDIT_STOCK, CAN_VIEW_FLEET
from core.fleet import odometer_problem
from core.services.fleet.base import load_unit, now
from db.models.auth import User
from db.models.fleet import OdometerReading, Vehicle
from db.session import UnitOfWork


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
    moment = read_at or now()
    with uow:
        unit = load_unit(uow, unit_id, lock=True)  # serialises readings of one unit
        reading_id = record_reading(uow, actor, unit, km, moment, note, source)
        uow.commit()
        return reading_id


def record_reading(
    uow: UnitOfWork, actor: Actor, unit: Vehicle, km: int, moment: dt.datetime, note: str, source: str
) -> int:
    """Add a reading of a unit already loaded and locked, inside the caller's unit of work
    (a repair's odometer goes through here); the unit's odometer follows the latest reading."""
    if moment > now() + dt.timedelta(minutes=5):
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
