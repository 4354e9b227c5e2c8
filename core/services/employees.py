"""Employees: the personal card of everyone who works for the company (SPEC F6)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select, text
from sqlalchemy.orm import aliased

from common.actor import Actor
from common.errors import DomainError, FieldErrors, NotFound
from common.i18n import N_
from common.roles import CAN_EDIT_EMPLOYEES, CAN_VIEW_EMPLOYEES
from core.contacts import email_field, phone_field
from core.services.listing import ListQuery, PageResult, like_pattern, run_page
from core.services.settings import company_today
from core.services.staff_catalogs import check_entry, entry_names
from core.services.versions import check_version
from db.models.files import Attachment
from db.models.hr import Employee, StaffCatalogEntry
from db.session import UnitOfWork

ENTITY = "employee"


@dataclass(frozen=True)
class EmployeeInput:
    full_name: str
    position_id: int | None = None  # an entry of the positions' catalog (core.services.staff_catalogs)
    department_id: int | None = None
    phone: str = ""
    phone_alt: str = ""
    email: str = ""
    address: str = ""
    national_id: str = ""
    birth_date: dt.date | None = None
    hire_date: dt.date | None = None
    notes: str = ""


def _clean(text_value: str) -> str | None:
    value = " ".join(text_value.split())
    return value or None


def validate_employee(data: EmployeeInput, today: dt.date) -> tuple[FieldErrors, dict[str, Any]]:
    """Check every field and return the cleaned values (pure: no database)."""
    errors = FieldErrors()
    full_name = _clean(data.full_name)
    if not full_name:
        errors.add("full_name", N_("Enter the employee's full name."))
    elif len(full_name) > 200:
        errors.add("full_name", N_("The name is too long (at most {n} characters)."), n=200)
    values: dict[str, Any] = {"full_name": full_name}
    for field_name in ("phone", "phone_alt"):
        values[field_name] = phone_field(getattr(data, field_name), errors, field_name)
    values["email"] = email_field(data.email, errors, "email")
    if data.hire_date and data.hire_date > today + dt.timedelta(days=366):
        errors.add("hire_date", N_("The hire date is more than a year ahead."))
    if data.birth_date:
        age_years = (today - data.birth_date).days / 365.25
        if age_years < 16 or age_years > 100:
            errors.add("birth_date", N_("The birth date gives an age under 16 or over 100."))
        elif data.hire_date and data.hire_date < data.birth_date:
            errors.add("hire_date", N_("The hire date is before the birth date."))
    for field_name, limit in (("address", 300), ("national_id", 30)):
        value = _clean(getattr(data, field_name))
        errors.too_long(field_name, value or "", limit)
        values[field_name] = value
    values["position_id"] = data.position_id
    values["department_id"] = data.department_id
    values["birth_date"] = data.birth_date
    values["hire_date"] = data.hire_date
    values["notes"] = data.notes.strip() or None
    return errors, values


def _check_catalogs(uow: UnitOfWork, data: EmployeeInput, errors: FieldErrors, current: Employee | None) -> None:
    """The position and the department are entries of their catalogs (an archived one only
    when the card has it already)."""
    check_entry(uow.session, "position", data.position_id, current.position_id if current else None, errors)
    check_entry(uow.session, "department", data.department_id, current.department_id if current else None, errors)


def _next_code(uow: UnitOfWork) -> str:
    uow.session.execute(text("SELECT pg_advisory_xact_lock(hashtext('twara-employee-code'))"))
    last = uow.session.scalar(select(func.max(Employee.id)))
    return f"E{(last or 0) + 1:06d}"


def create_employee(uow: UnitOfWork, actor: Actor, data: EmployeeInput, today: dt.date | None = None) -> int:
    actor.require(CAN_EDIT_EMPLOYEES)
    with uow:
        errors, values = validate_employee(data, today or company_today(uow.session))
        _check_catalogs(uow, data, errors, None)
        errors.raise_if_any()
        employee = Employee(code=_next_code(uow), **values)
        uow.session.add(employee)
        uow.session.flush()
        uow.commit()
        return employee.id


def _get(uow: UnitOfWork, employee_id: int, lock: bool = False) -> Employee:
    employee = uow.session.get(Employee, employee_id, with_for_update=lock)
    if employee is None:
        raise NotFound(N_("This employee does not exist."))
    return employee


def update_employee(
    uow: UnitOfWork,
    actor: Actor,
    employee_id: int,
    data: EmployeeInput,
    today: dt.date | None = None,
    expected_version: int | None = None,
) -> bool:
    """Save the changed fields; returns False when nothing changed. `expected_version` is the
    version the form was opened with (RecordChanged if the card was saved since)."""
    actor.require(CAN_EDIT_EMPLOYEES)
    with uow:
        errors, values = validate_employee(data, today or company_today(uow.session))
        employee = _get(uow, employee_id, lock=True)
        _check_catalogs(uow, data, errors, employee)
        errors.raise_if_any()
        check_version(uow.session, employee, expected_version)
        if employee.archived_at is not None:
            raise DomainError(N_("This record is archived; restore it before editing."))
        changed = False
        for key, value in values.items():
            if getattr(employee, key) != value:
                setattr(employee, key, value)
                changed = True
        if changed:
            uow.commit()
        return changed


def set_archived(uow: UnitOfWork, actor: Actor, employee_id: int, archived: bool) -> None:
    """Archive (or restore) instead of deleting: other records may point to an employee."""
    actor.require(CAN_EDIT_EMPLOYEES)
    with uow:
        employee = _get(uow, employee_id, lock=True)
        if archived and employee.archived_at is None:
            employee.archived_at = dt.datetime.now(dt.UTC)
        elif not archived and employee.archived_at is not None:
            employee.archived_at = None
        else:
            return
        uow.commit()


def set_photo(uow: UnitOfWork, actor: Actor, employee_id: int, attachment_id: int | None) -> None:
    actor.require(CAN_EDIT_EMPLOYEES)
    with uow:
        employee = _get(uow, employee_id, lock=True)
        if attachment_id is not None:
            att = uow.session.get(Attachment, attachment_id)
            if att is None or att.entity_type != ENTITY or att.entity_id != employee_id or att.kind != "photo":
                raise DomainError(N_("This photo does not belong to this employee."))
        employee.photo_id = attachment_id
        uow.commit()


_POSITION = aliased(StaffCatalogEntry, name="position_entry")
_DEPARTMENT = aliased(StaffCatalogEntry, name="department_entry")
EMPLOYEE_COLUMNS: dict[str, Any] = {
    "id": Employee.id,
    "code": Employee.code,
    "full_name": Employee.full_name,
    "position": _POSITION.name,
    "department": _DEPARTMENT.name,
    "phone": Employee.phone,
    "email": Employee.email,
    "hire_date": Employee.hire_date,
    "archived": Employee.archived_at.is_not(None),
}


def _entry_id(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return -1  # a filter value that names no entry matches no one


def _employee_select(q: ListQuery) -> Select[Any]:
    """The list: the position's and department's names from their catalog; the search looks
    in the card's search text and in those names; the filters hold entries' ids."""
    stmt = (
        select(*[c.label(k) for k, c in EMPLOYEE_COLUMNS.items()])
        .outerjoin(_POSITION, _POSITION.id == Employee.position_id)
        .outerjoin(_DEPARTMENT, _DEPARTMENT.id == Employee.department_id)
    )
    if q.search.strip():
        pattern = like_pattern(q.search)
        named = select(StaffCatalogEntry.id).where(func.lower(StaffCatalogEntry.name).like(pattern))
        stmt = stmt.where(
            or_(
                Employee.search_text.like(pattern),
                Employee.position_id.in_(named.where(StaffCatalogEntry.kind == "position")),
                Employee.department_id.in_(named.where(StaffCatalogEntry.kind == "department")),
            )
        )
    department = _entry_id(q.filter_value("department"))
    if department is not None:
        stmt = stmt.where(Employee.department_id == department)
    position = _entry_id(q.filter_value("position"))
    if position is not None:
        stmt = stmt.where(Employee.position_id == position)
    if not q.include_archived:
        stmt = stmt.where(Employee.archived_at.is_(None))
    return stmt


def list_employees(uow: UnitOfWork, actor: Actor, q: ListQuery) -> PageResult:
    actor.require(CAN_VIEW_EMPLOYEES)
    with uow:
        return run_page(uow.session, _employee_select(q), q, dict(EMPLOYEE_COLUMNS), "full_name", Employee.id)


def export_employees(uow: UnitOfWork, actor: Actor, q: ListQuery) -> list[dict[str, Any]]:
    actor.require(CAN_VIEW_EMPLOYEES)
    with uow:
        result = uow.session.execute(_employee_select(q).order_by(Employee.full_name, Employee.id))
        return [dict(r._mapping) for r in result]


def filter_options(uow: UnitOfWork, actor: Actor) -> dict[str, list[tuple[int, str]]]:
    """The filters' choices: every entry of the two catalogs, archived ones too (employees may
    still carry them), by name."""
    actor.require(CAN_VIEW_EMPLOYEES)
    with uow:
        out: dict[str, list[tuple[int, str]]] = {"department": [], "position": []}
        rows = uow.session.execute(
            select(StaffCatalogEntry.kind, StaffCatalogEntry.id, StaffCatalogEntry.name).order_by(
                func.lower(StaffCatalogEntry.name), StaffCatalogEntry.id
            )
        )
        for kind, entry_id, name in rows:
            out[kind].append((entry_id, name))
        return out


def get_employee(uow: UnitOfWork, actor: Actor, employee_id: int) -> dict[str, Any]:
    actor.require(CAN_VIEW_EMPLOYEES)
    with uow:
        e = _get(uow, employee_id)
        names = entry_names(uow.session, [e.position_id, e.department_id])
        return {
            "id": e.id,
            "code": e.code,
            "full_name": e.full_name,
            "position_id": e.position_id,
            "department_id": e.department_id,
            "position": names.get(e.position_id or 0, ""),
            "department": names.get(e.department_id or 0, ""),
            "phone": e.phone or "",
            "phone_alt": e.phone_alt or "",
            "email": e.email or "",
            "address": e.address or "",
            "national_id": e.national_id or "",
            "birth_date": e.birth_date,
            "hire_date": e.hire_date,
            "notes": e.notes or "",
            "photo_id": e.photo_id,
            "archived_at": e.archived_at,
            "created_at": e.created_at,
            "version": e.version,
        }
