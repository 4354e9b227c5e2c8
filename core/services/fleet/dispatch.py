"""The dispatch compliance check: may this vehicle, trailer and driver go out together on
these dates? Facts from the database, the decision by `core.fleet.dispatch_problems` (SPEC F5)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.actor import Actor
from common.errors import NotFound
from common.i18n import N_
from common.roles import CAN_VIEW_FLEET
from core.fleet import DocFacts, DriverFacts, Problem, UnitFacts, dispatch_problems
from core.services.settings import get_int
from db.models.fleet import Document, DocumentType, Driver, Vehicle
from db.models.hr import Employee
from db.session import UnitOfWork


def _unit_facts(session: Session, unit_id: int) -> tuple[UnitFacts, list[DocFacts]]:
    unit = session.get(Vehicle, unit_id)
    if unit is None:
        raise NotFound(N_("This vehicle does not exist."))
    facts = UnitFacts(
        unit.id,
        unit.plate,
        unit.unit_type,
        unit.status,
        unit.archived_at is not None,
        unit.required_licence,
        unit.payload_kg,
    )
    return facts, _docs(session, Document.vehicle_id == unit_id)


def _docs(session: Session, owner: Any) -> list[DocFacts]:
    rows = session.execute(
        select(Document.type_id, DocumentType.name, Document.valid_from, Document.valid_to)
        .join(DocumentType, DocumentType.id == Document.type_id)
        .where(owner, Document.archived_at.is_(None))
    )
    return [DocFacts(r.type_id, r.name, r.valid_from, r.valid_to) for r in rows]


def _required_types(session: Session) -> dict[str, dict[int, str]]:
    out: dict[str, dict[int, str]] = {"vehicle": {}, "trailer": {}, "driver": {}}
    for r in session.execute(
        select(DocumentType.id, DocumentType.name, DocumentType.applies_to).where(
            DocumentType.required_for_dispatch, DocumentType.archived_at.is_(None)
        )
    ):
        out[r.applies_to][r.id] = r.name
    return out


def check_dispatch(
    uow: UnitOfWork, actor: Actor, vehicle_id: int, trailer_id: int | None, driver_id: int, start: dt.date, end: dt.date
) -> list[Problem]:
    """Every reason this vehicle, trailer and driver may not go out together on these
    dates; an empty list means the assignment is allowed. Transport calls this."""
    actor.require(CAN_VIEW_FLEET)
    with uow:
        return _problems(uow.session, vehicle_id, trailer_id, driver_id, start, end)


def _problems(
    session: Session, vehicle_id: int, trailer_id: int | None, driver_id: int, start: dt.date, end: dt.date
) -> list[Problem]:
    unit, unit_docs = _unit_facts(session, vehicle_id)
    trailer, trailer_docs = (None, []) if trailer_id is None else _unit_facts(session, trailer_id)
    row = session.execute(
        select(Employee, Driver).join(Driver, Driver.employee_id == Employee.id).where(Employee.id == driver_id)
    ).first()
    if row is None:
        raise NotFound(N_("This driver does not exist."))
    employee, card = row
    driver = DriverFacts(
        employee.id,
        employee.full_name,
        employee.archived_at is not None,
        tuple(card.licence_categories),
        card.licence_valid_to,
        card.medical_status,
    )
    heavy = get_int(session, "fleet.heavy_trailer_kg")
    return dispatch_problems(
        unit,
        unit_docs,
        trailer,
        trailer_docs,
        driver,
        _docs(session, Document.employee_id == driver_id),
        _required_types(session),
        start,
        end,
        heavy,
    )
