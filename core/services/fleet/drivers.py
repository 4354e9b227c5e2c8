"""Driver cards: an employee's licence, its categories, qualifications and medical status,
the drivers' catalog and pickers (SPEC F5, F6)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from common.actor import Actor
from common.errors import DomainError, FieldErrors, NotFound
from common.i18n import N_
from common.roles import CAN_EDIT_FLEET, CAN_VIEW_FLEET
from core.fleet import QUALIFICATIONS, RuleError, document_status, parse_categories
from core.services.fleet.base import expiring_warn_days
from core.services.listing import ListQuery, PageResult, like_pattern, run_page
from core.services.settings import company_today
from core.services.versions import check_version
from db.models.fleet import Driver
from db.models.hr import Employee
from db.session import UnitOfWork


@dataclass(frozen=True)
class DriverInput:
    licence_number: str
    licence_categories: list[str] | str
    licence_valid_to: dt.date | None
    experience_since: dt.date | None = None
    qualifications: list[str] = field(default_factory=list)
    medical_status: str = "unknown"


def validate_driver(data: DriverInput, today: dt.date) -> tuple[FieldErrors, dict[str, Any]]:
    errors = FieldErrors()
    values: dict[str, Any] = {}
    number = "".join(data.licence_number.split()).upper()
    if not number:
        errors.add("licence_number", N_("Enter the licence number."))
    else:
        errors.too_long("licence_number", number, 30)
    values["licence_number"] = number
    try:
        values["licence_categories"] = parse_categories(data.licence_categories)
    except RuleError as exc:
        errors.add("licence_categories", exc.message, **exc.params)
    if data.licence_valid_to is None:
        errors.add("licence_valid_to", N_("Enter the date the licence is valid to."))
    values["licence_valid_to"] = data.licence_valid_to
    if data.experience_since and data.experience_since > today:
        errors.add("experience_since", N_("The date is in the future."))
    values["experience_since"] = data.experience_since
    unknown = [q for q in data.qualifications if q not in QUALIFICATIONS]
    if unknown:
        errors.add("qualifications", N_("Unknown qualification: {name}."), name=", ".join(unknown))
    values["qualifications"] = sorted(set(data.qualifications))
    if data.medical_status not in ("fit", "restricted", "unfit", "unknown"):
        errors.add("medical_status", N_("Choose the medical status."))
    values["medical_status"] = data.medical_status
    return errors, values


def save_driver(
    uow: UnitOfWork,
    actor: Actor,
    employee_id: int,
    data: DriverInput,
    today: dt.date | None = None,
    expected_version: int | None = None,
) -> None:
    """Create or update the driver card of an employee. `expected_version` is the version of
    the card the form was opened with (RecordChanged if it was saved since); a new card has
    none to check."""
    actor.require(CAN_EDIT_FLEET)
    with uow:
        errors, values = validate_driver(data, today or company_today(uow.session))
        employee = uow.session.get(Employee, employee_id)
        if employee is None:
            raise NotFound(N_("This employee does not exist."))
        if employee.archived_at is not None:
            raise DomainError(N_("This record is archived; restore it before editing."))
        if values.get("licence_number"):
            clash = uow.session.scalar(
                select(Employee.full_name)
                .join(Driver, Driver.employee_id == Employee.id)
                .where(func.upper(Driver.licence_number) == values["licence_number"], Driver.employee_id != employee_id)
            )
            if clash:
                errors.add("licence_number", N_("This licence number belongs to {name}."), name=clash)
        errors.raise_if_any()
        card = uow.session.get(Driver, employee_id, with_for_update=True)
        if card is None:
            uow.session.add(Driver(employee_id=employee_id, **values))
        else:
            check_version(uow.session, card, expected_version)
            for key, value in values.items():
                if getattr(card, key) != value:
                    setattr(card, key, value)
        uow.commit()


def get_driver(uow: UnitOfWork, actor: Actor, employee_id: int) -> dict[str, Any] | None:
    """The driver card of an employee (None if not a driver), with its licence's status."""
    actor.require(CAN_VIEW_FLEET)
    with uow:
        card = uow.session.get(Driver, employee_id)
        if card is None:
            return None
        return {
            "licence_state": document_status(
                card.licence_valid_to, company_today(uow.session), expiring_warn_days(uow.session)
            ),
            "employee_id": card.employee_id,
            "licence_number": card.licence_number,
            "licence_categories": list(card.licence_categories),
            "licence_valid_to": card.licence_valid_to,
            "experience_since": card.experience_since,
            "qualifications": list(card.qualifications),
            "medical_status": card.medical_status,
            "version": card.version,
        }


DRIVER_COLUMNS: dict[str, Any] = {
    "id": Employee.id,
    "code": Employee.code,
    "full_name": Employee.full_name,
    "phone": Employee.phone,
    "licence_number": Driver.licence_number,
    "licence_categories": func.array_to_string(Driver.licence_categories, ", "),
    "licence_valid_to": Driver.licence_valid_to,
    "medical_status": Driver.medical_status,
    "experience_since": Driver.experience_since,
    "archived": Employee.archived_at.is_not(None),
}


def _driver_select(q: ListQuery) -> Any:
    stmt = select(*[c.label(k) for k, c in DRIVER_COLUMNS.items()]).join(Driver, Driver.employee_id == Employee.id)
    if q.search.strip():
        pattern = like_pattern(q.search)
        stmt = stmt.where(Employee.search_text.like(pattern) | func.lower(Driver.licence_number).like(pattern))
    category = q.filter_value("category")
    if category:
        stmt = stmt.where(Driver.licence_categories.contains([category]))
    qualification = q.filter_value("qualification")
    if qualification:
        stmt = stmt.where(Driver.qualifications.contains([qualification]))
    if not q.include_archived:
        stmt = stmt.where(Employee.archived_at.is_(None))
    return stmt


def _with_licence_state(uow: UnitOfWork, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each row's `licence_state`: the status of the driving licence on the company's day."""
    today, warn = company_today(uow.session), expiring_warn_days(uow.session)
    for row in rows:
        row["licence_state"] = document_status(row["licence_valid_to"], today, warn)
    return rows


def list_drivers(uow: UnitOfWork, actor: Actor, q: ListQuery) -> PageResult:
    """One page of drivers, each with the status of the driving licence."""
    actor.require(CAN_VIEW_FLEET)
    with uow:
        page = run_page(uow.session, _driver_select(q), q, DRIVER_COLUMNS, "full_name", Employee.id)
        _with_licence_state(uow, page.rows)
        return page


def export_drivers(uow: UnitOfWork, actor: Actor, q: ListQuery) -> list[dict[str, Any]]:
    actor.require(CAN_VIEW_FLEET)
    with uow:
        rows = [dict(r._mapping) for r in uow.session.execute(_driver_select(q).order_by(Employee.full_name))]
        return _with_licence_state(uow, rows)


def driver_choices(uow: UnitOfWork, actor: Actor) -> list[tuple[int, str]]:
    actor.require(CAN_VIEW_FLEET)
    with uow:
        return [
            (r.id, f"{r.full_name} ({r.code})")
            for r in uow.session.execute(
                select(Employee.id, Employee.full_name, Employee.code)
                .join(Driver, Driver.employee_id == Employee.id)
                .where(Employee.archived_at.is_(None))
                .order_by(Employee.full_name)
            )
        ]


def employees_without_card(uow: UnitOfWork, actor: Actor, search: str = "", limit: int = 50) -> list[tuple[int, str]]:
    actor.require(CAN_VIEW_FLEET)
    with uow:
        stmt = (
            select(Employee.id, Employee.full_name, Employee.code)
            .where(
                Employee.archived_at.is_(None),
                ~select(Driver.employee_id).where(Driver.employee_id == Employee.id).exists(),
            )
            .order_by(Employee.full_name)
            .limit(limit)
        )
        if search.strip():
            stmt = stmt.where(Employee.search_text.like(like_pattern(search)))
        return [(r.id, f"{r.full_name} ({r.code})") for r in uow.session.execute(stmt)]
