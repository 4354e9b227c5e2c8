"""Repairs with their parts, and maintenance plans by kilometres or months (SPEC F7)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from common.actor import Actor
from common.errors import FieldErrors, NotFound
from common.i18n import N_
from common.roles import CAN_EDIT_FLEET, CAN_VIEW_FLEET
from core.fleet import maintenance_state
from core.services.fleet.base import load_unit, maintenance_leads, now, parse_decimal
from core.services.fleet.odometer import record_reading
from core.services.settings import company_today
from db.models.fleet import MaintenancePlan, Repair, RepairPart
from db.session import UnitOfWork


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


def _checked_work(data: RepairInput, day: dt.date) -> tuple[Decimal, list[tuple[str, Decimal | None, Decimal]]]:
    """The labour cost and the part lines of a repair, or every field's error at once."""
    errors = FieldErrors()
    if not data.work_done.strip():
        errors.add("work_done", N_("Describe the work done."))
    if data.work_date > day:
        errors.add("work_date", N_("The date is in the future."))
    labour = parse_decimal(data.labour_cost or "0", errors, "labour_cost", Decimal(0), Decimal("999999999"))
    parts = []
    for i, line in enumerate(data.parts, start=1):
        if not line.item_name.strip():
            if line.quantity.strip() or line.unit_price.strip():
                errors.add(f"part_{i}", N_("Line {n}: name the part."), n=i)
            continue
        qty = parse_decimal(line.quantity, errors, f"part_{i}", Decimal("0.001"), Decimal(100000))
        price = parse_decimal(line.unit_price or "0", errors, f"part_{i}", Decimal(0), Decimal("999999999"))
        if qty is None:
            errors.add(f"part_{i}", N_("Line {n}: the quantity must be more than zero."), n=i)
        parts.append((line.item_name.strip(), qty, price or Decimal(0)))
    errors.raise_if_any()
    return labour or Decimal(0), parts


def add_repair(uow: UnitOfWork, actor: Actor, unit_id: int, data: RepairInput, today: dt.date | None = None) -> int:
    """Record work done; its odometer goes to the log and a linked plan restarts from it."""
    actor.require(CAN_EDIT_FLEET)
    with uow:
        labour, parts = _checked_work(data, today or company_today(uow.session))
        unit = load_unit(uow, unit_id, lock=True)
        errors = FieldErrors()
        if data.plan_id is not None:
            plan = uow.session.get(MaintenancePlan, data.plan_id, with_for_update=True)
            if plan is None or plan.vehicle_id != unit_id:
                errors.add("plan_id", N_("This plan is not of this unit."))
                errors.raise_if_any()
        if data.odometer_km is not None:
            # work of today is read now; earlier work at the end of its day
            moment = (
                now()
                if data.work_date >= now().date()
                else dt.datetime.combine(data.work_date, dt.time(23, 59), tzinfo=dt.UTC)
            )
            record_reading(uow, actor, unit, data.odometer_km, moment, "", "repair")
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
        unit = load_unit(uow, unit_id)
        plan = MaintenancePlan(
            vehicle_id=unit_id,
            name=name.strip(),
            every_km=every_km or None,
            every_months=every_months or None,
            last_done_date=last_done_date or company_today(uow.session),
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
            plan.archived_at = now()
            uow.commit()


def list_plans(uow: UnitOfWork, actor: Actor, unit_id: int, today: dt.date | None = None) -> list[dict[str, Any]]:
    actor.require(CAN_VIEW_FLEET)
    with uow:
        day = today or company_today(uow.session)
        unit = load_unit(uow, unit_id)
        lead_km, lead_days = maintenance_leads(uow.session)
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
                lead_days,
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
