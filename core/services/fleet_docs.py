"""Documents with validity, driver cards, the documents-due list, the daily expiry scan
and the dispatch compliance check (SPEC F3, F4, F5, F6)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from common.actor import Actor
from common.errors import DomainError, FieldErrors, NotFound
from common.i18n import N_, catalog
from common.roles import CAN_EDIT_FLEET, CAN_VIEW_FLEET, DIRECTOR, DISPATCHER
from core.fleet import (
    QUALIFICATIONS,
    DocFacts,
    DriverFacts,
    Problem,
    RuleError,
    UnitFacts,
    dispatch_problems,
    document_status,
    parse_categories,
)
from core.services.listing import ListQuery, PageResult, like_pattern, run_page
from core.services.notifications import outbound_of
from core.services.settings import company_today, get_int, get_param
from db.models.auth import User
from db.models.fleet import Document, DocumentType, Driver, Vehicle
from db.models.hr import Employee
from db.session import UnitOfWork


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def warn_days(uow: UnitOfWork, actor: Actor) -> int:
    """How many days before its end a document shows as expiring."""
    actor.require(CAN_VIEW_FLEET)
    with uow:
        return get_int(uow.session, "fleet.expiring_warn_days")


# ---- document types -------------------------------------------------------------------


def list_document_types(
    uow: UnitOfWork, actor: Actor, applies_to: str | None = None, include_archived: bool = False
) -> list[dict[str, Any]]:
    actor.require(CAN_VIEW_FLEET)
    with uow:
        stmt = select(DocumentType).order_by(DocumentType.applies_to, DocumentType.name)
        if applies_to:
            stmt = stmt.where(DocumentType.applies_to == applies_to)
        if not include_archived:
            stmt = stmt.where(DocumentType.archived_at.is_(None))
        return [
            {
                "id": d.id,
                "name": d.name,
                "applies_to": d.applies_to,
                "required": d.required_for_dispatch,
                "archived": d.archived_at is not None,
            }
            for d in uow.session.scalars(stmt)
        ]


def save_document_type(
    uow: UnitOfWork, actor: Actor, name: str, applies_to: str, required: bool, type_id: int | None = None
) -> int:
    actor.require(CAN_EDIT_FLEET)
    clean = " ".join(name.split())
    errors = FieldErrors()
    if not clean:
        errors.add("name", N_("Enter a name."))
    if applies_to not in ("vehicle", "trailer", "driver"):
        errors.add("applies_to", N_("Choose what the document is for."))
    errors.raise_if_any()
    with uow:
        clash = uow.session.scalar(
            select(DocumentType.id).where(
                DocumentType.applies_to == applies_to,
                func.lower(DocumentType.name) == clean.lower(),
                DocumentType.id != (type_id or -1),
            )
        )
        if clash:
            errors.add("name", N_("This document type exists already."))
            errors.raise_if_any()
        if type_id is None:
            doc_type = DocumentType(name=clean, applies_to=applies_to, required_for_dispatch=required)
            uow.session.add(doc_type)
        else:
            found = uow.session.get(DocumentType, type_id, with_for_update=True)
            if found is None:
                raise NotFound(N_("This document type does not exist."))
            doc_type = found
            doc_type.name, doc_type.applies_to, doc_type.required_for_dispatch = clean, applies_to, required
        uow.session.flush()
        uow.commit()
        return doc_type.id


def set_document_type_archived(uow: UnitOfWork, actor: Actor, type_id: int, archived: bool) -> None:
    actor.require(CAN_EDIT_FLEET)
    with uow:
        found = uow.session.get(DocumentType, type_id, with_for_update=True)
        if found is None:
            raise NotFound(N_("This document type does not exist."))
        found.archived_at = _now() if archived else None
        uow.commit()


# ---- documents ------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentInput:
    type_id: int | None
    valid_to: dt.date | None
    number: str = ""
    issuer: str = ""
    valid_from: dt.date | None = None
    notes: str = ""


def _owner_kind(uow: UnitOfWork, vehicle_id: int | None, employee_id: int | None) -> str:
    if vehicle_id is not None:
        unit = uow.session.get(Vehicle, vehicle_id)
        if unit is None:
            raise NotFound(N_("This vehicle does not exist."))
        return "trailer" if unit.unit_type == "trailer" else "vehicle"
    if employee_id is None or uow.session.get(Driver, employee_id) is None:
        raise NotFound(N_("This driver does not exist."))
    return "driver"


def _validate_document(uow: UnitOfWork, data: DocumentInput, kind: str) -> FieldErrors:
    errors = FieldErrors()
    doc_type = uow.session.get(DocumentType, data.type_id) if data.type_id else None
    if doc_type is None or doc_type.archived_at is not None:
        errors.add("type_id", N_("Choose the type of document."))
    elif doc_type.applies_to != kind:
        errors.add("type_id", N_("This type of document is not for this kind of record."))
    if data.valid_to is None:
        errors.add("valid_to", N_("Enter the date the document is valid to."))
    elif data.valid_from is not None and data.valid_to < data.valid_from:
        errors.add("valid_to", N_("Valid to is before valid from."))
    return errors


def save_document(
    uow: UnitOfWork,
    actor: Actor,
    data: DocumentInput,
    *,
    vehicle_id: int | None = None,
    employee_id: int | None = None,
    document_id: int | None = None,
) -> int:
    """Add a document to a unit or a driver, or correct one."""
    actor.require(CAN_EDIT_FLEET)
    with uow:
        if document_id is not None:
            found = uow.session.get(Document, document_id, with_for_update=True)
            if found is None:
                raise NotFound(N_("This document does not exist."))
            vehicle_id, employee_id = found.vehicle_id, found.employee_id
        kind = _owner_kind(uow, vehicle_id, employee_id)
        errors = _validate_document(uow, data, kind)
        errors.raise_if_any()
        values = dict(
            type_id=data.type_id,
            number=data.number.strip() or None,
            issuer=data.issuer.strip() or None,
            valid_from=data.valid_from,
            valid_to=data.valid_to,
            notes=data.notes.strip() or None,
        )
        if document_id is None:
            doc = Document(vehicle_id=vehicle_id, employee_id=employee_id, **values)
            uow.session.add(doc)
        else:
            assert found is not None
            doc = found
            for key, value in values.items():
                if getattr(doc, key) != value:
                    setattr(doc, key, value)
        uow.session.flush()
        uow.commit()
        return doc.id


def archive_document(uow: UnitOfWork, actor: Actor, document_id: int) -> None:
    actor.require(CAN_EDIT_FLEET)
    with uow:
        doc = uow.session.get(Document, document_id, with_for_update=True)
        if doc is None:
            raise NotFound(N_("This document does not exist."))
        if doc.archived_at is None:
            doc.archived_at = _now()
            uow.commit()


def list_documents(
    uow: UnitOfWork,
    actor: Actor,
    *,
    vehicle_id: int | None = None,
    employee_id: int | None = None,
    today: dt.date | None = None,
) -> list[dict[str, Any]]:
    actor.require(CAN_VIEW_FLEET)
    day = today or dt.date.today()
    with uow:
        warn = get_int(uow.session, "fleet.expiring_warn_days")
        stmt = (
            select(Document, DocumentType.name, DocumentType.required_for_dispatch)
            .join(DocumentType, DocumentType.id == Document.type_id)
            .where(Document.archived_at.is_(None))
            .order_by(DocumentType.name, Document.valid_to.desc())
        )
        stmt = (
            stmt.where(Document.vehicle_id == vehicle_id)
            if vehicle_id is not None
            else stmt.where(Document.employee_id == employee_id)
        )
        out = []
        for doc, type_name, required in uow.session.execute(stmt):
            out.append(
                {
                    "id": doc.id,
                    "type_id": doc.type_id,
                    "type": type_name,
                    "required": required,
                    "number": doc.number or "",
                    "issuer": doc.issuer or "",
                    "valid_from": doc.valid_from,
                    "valid_to": doc.valid_to,
                    "notes": doc.notes or "",
                    "status": document_status(doc.valid_to, day, warn),
                }
            )
        return out


def missing_required(
    uow: UnitOfWork, actor: Actor, *, vehicle_id: int | None = None, employee_id: int | None = None
) -> list[str]:
    """Names of required document types with no document on file."""
    actor.require(CAN_VIEW_FLEET)
    with uow:
        kind = _owner_kind(uow, vehicle_id, employee_id)
        owner = Document.vehicle_id == vehicle_id if vehicle_id is not None else Document.employee_id == employee_id
        have = select(Document.type_id).where(owner, Document.archived_at.is_(None))
        return list(
            uow.session.scalars(
                select(DocumentType.name)
                .where(
                    DocumentType.applies_to == kind,
                    DocumentType.required_for_dispatch,
                    DocumentType.archived_at.is_(None),
                    DocumentType.id.not_in(have),
                )
                .order_by(DocumentType.name)
            )
        )


def documents_due(
    uow: UnitOfWork, actor: Actor, within_days: int, q: ListQuery, today: dt.date | None = None
) -> PageResult:
    """Everything expired or ending within N days, across units and drivers, with who is
    responsible; the newest document of each type only (an old one replaced is not due)."""
    actor.require(CAN_VIEW_FLEET)
    day = today or dt.date.today()
    with uow:
        sql = _due_sql(within_days, q)
        params = {
            "today": day,
            "until": day + dt.timedelta(days=within_days),
            "search": like_pattern(q.search) if q.search.strip() else None,
            "kind": q.filter_value("kind") or None,
        }
        total = uow.session.execute(text(f"SELECT count(*) FROM ({sql}) s"), params).scalar_one()
        size = max(1, min(q.page_size, 500))
        pages = max(1, -(-total // size))
        page = min(max(1, q.page), pages)
        rows = uow.session.execute(
            text(sql + " ORDER BY valid_to, owner, type, kind, owner_id LIMIT :limit OFFSET :offset"),
            {**params, "limit": size, "offset": (page - 1) * size},
        )
        out = [dict(r._mapping) for r in rows]
        for r in out:
            r["status"] = "expired" if r["valid_to"] < day else "expiring"
        return PageResult(rows=out, total=total, page=page, page_size=size)


def _due_sql(within_days: int, q: ListQuery) -> str:
    return """
        WITH newest AS (
            SELECT d.*, row_number() OVER (PARTITION BY d.type_id, d.vehicle_id, d.employee_id
                                           ORDER BY d.valid_to DESC, d.id DESC) AS rank
            FROM fleet_document d WHERE d.archived_at IS NULL
        )
        SELECT d.id, t.name AS type, t.required_for_dispatch AS required, d.number, d.valid_to,
               CASE WHEN d.vehicle_id IS NOT NULL THEN
                    CASE WHEN v.unit_type = 'trailer' THEN 'trailer' ELSE 'vehicle' END
                    ELSE 'driver' END AS kind,
               coalesce(v.plate, e.full_name) AS owner,
               coalesce(d.vehicle_id, d.employee_id) AS owner_id,
               coalesce(u.full_name, '') AS responsible
        FROM newest d
        JOIN document_type t ON t.id = d.type_id
        LEFT JOIN vehicle v ON v.id = d.vehicle_id
        LEFT JOIN employee e ON e.id = d.employee_id
        LEFT JOIN app_user u ON u.id = v.responsible_user_id
        WHERE d.rank = 1 AND d.valid_to <= :until AND t.archived_at IS NULL
          AND coalesce(v.archived_at, e.archived_at) IS NULL
          AND (CAST(:search AS text) IS NULL OR lower(coalesce(v.plate, e.full_name) || ' ' || t.name) LIKE :search)
          AND (CAST(:kind AS text) IS NULL OR CASE WHEN d.vehicle_id IS NOT NULL THEN
                    CASE WHEN v.unit_type = 'trailer' THEN 'trailer' ELSE 'vehicle' END
                    ELSE 'driver' END = :kind)
        UNION ALL
        SELECT NULL, 'Driving licence', true, dr.licence_number, dr.licence_valid_to, 'driver',
               e.full_name, e.id, ''
        FROM driver dr JOIN employee e ON e.id = dr.employee_id
        WHERE dr.licence_valid_to <= :until AND e.archived_at IS NULL
          AND (CAST(:search AS text) IS NULL OR lower(e.full_name || ' driving licence') LIKE :search)
          AND (CAST(:kind AS text) IS NULL OR :kind = 'driver')
    """


# ---- drivers --------------------------------------------------------------------------


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
    uow: UnitOfWork, actor: Actor, employee_id: int, data: DriverInput, today: dt.date | None = None
) -> None:
    """Create or update the driver card of an employee."""
    actor.require(CAN_EDIT_FLEET)
    errors, values = validate_driver(data, today or dt.date.today())
    with uow:
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
            for key, value in values.items():
                if getattr(card, key) != value:
                    setattr(card, key, value)
        uow.commit()


def get_driver(uow: UnitOfWork, actor: Actor, employee_id: int) -> dict[str, Any] | None:
    actor.require(CAN_VIEW_FLEET)
    with uow:
        card = uow.session.get(Driver, employee_id)
        if card is None:
            return None
        return {
            "employee_id": card.employee_id,
            "licence_number": card.licence_number,
            "licence_categories": list(card.licence_categories),
            "licence_valid_to": card.licence_valid_to,
            "experience_since": card.experience_since,
            "qualifications": list(card.qualifications),
            "medical_status": card.medical_status,
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


def list_drivers(uow: UnitOfWork, actor: Actor, q: ListQuery) -> PageResult:
    actor.require(CAN_VIEW_FLEET)
    with uow:
        return run_page(uow.session, _driver_select(q), q, DRIVER_COLUMNS, "full_name", Employee.id)


def export_drivers(uow: UnitOfWork, actor: Actor, q: ListQuery) -> list[dict[str, Any]]:
    actor.require(CAN_VIEW_FLEET)
    with uow:
        return [dict(r._mapping) for r in uow.session.execute(_driver_select(q).order_by(Employee.full_name))]


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


# ---- the dispatch compliance check ----------------------------------------------------


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


def required_types(session: Session) -> dict[str, dict[int, str]]:
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
        return compliance_problems(uow.session, vehicle_id, trailer_id, driver_id, start, end)


def compliance_problems(
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
        required_types(session),
        start,
        end,
        heavy,
    )


# ---- the daily expiry scan ------------------------------------------------------------

TITLE_SOON = N_("{doc} of {owner} ends on {date}")
TITLE_EXPIRED = N_("{doc} of {owner} expired on {date}")
BODY_SOON = N_("Renew it in time: {days} days left.")
BODY_EXPIRED = N_("It is no longer valid. Without it, {owner} cannot be sent on a trip.")
LICENCE_LABEL = N_("Driving licence")
MAINTENANCE_TITLE = N_("{plate}: {name} is due")
MAINTENANCE_BODY = N_("Next at {km} km or on {date}; the odometer shows {now} km.")


@dataclass(frozen=True)
class ScanResult:
    notices: int
    emails: int


def _sql_template(message: str) -> tuple[str, str]:
    """The English and Kinyarwanda texts with {x} turned into %x% markers for SQL replace()."""
    rw = catalog("rw").get(message, message)
    return message.replace("{", "%").replace("}", "%"), rw.replace("{", "%").replace("}", "%")


def expiry_scan(uow: UnitOfWork, today: dt.date | None = None) -> ScanResult:
    """The daily document scan (SPEC F4), as one use case: see `_expiry_scan`."""
    with uow:
        result = _expiry_scan(uow.session, today or company_today(uow.session))
        uow.commit()
        return result


def _expiry_scan(session: Session, today: dt.date) -> ScanResult:
    """Notify the responsible people of documents (and driving licences) reaching a reminder
    threshold today; escalate expired required ones to the directors.

    Set-based: one statement finds the due documents and inserts the notices. Each notice
    carries a key of (document, its end date, threshold), so a second run, a restart or a
    second worker adds nothing, and a renewed document starts afresh.
    """
    leads = get_param(session, "reminders.lead_days")
    lead_list = sorted(leads if isinstance(leads, tuple) else (30, 14, 7, 1), reverse=True)
    soon_en, soon_rw = _sql_template(TITLE_SOON)
    exp_en, exp_rw = _sql_template(TITLE_EXPIRED)
    body_soon_en, body_soon_rw = _sql_template(BODY_SOON)
    body_exp_en, body_exp_rw = _sql_template(BODY_EXPIRED)
    licence_en = LICENCE_LABEL
    licence_rw = catalog("rw").get(licence_en, licence_en)
    email_on = get_param(session, "notifications.email_enabled") is True
    params = {
        "today": today,
        "max_lead": max(lead_list),
        "leads": lead_list,
        "soon_en": soon_en,
        "soon_rw": soon_rw,
        "exp_en": exp_en,
        "exp_rw": exp_rw,
        "body_soon_en": body_soon_en,
        "body_soon_rw": body_soon_rw,
        "body_exp_en": body_exp_en,
        "body_exp_rw": body_exp_rw,
        "licence_en": licence_en,
        "licence_rw": licence_rw,
        "dispatcher": DISPATCHER,
        "director": DIRECTOR,
        "status": "queued" if outbound_of(session).email_configured else "not_sent",
        "email_on": email_on,
    }
    row = session.execute(text(_SCAN_SQL), params).one()
    return ScanResult(notices=int(row.notices or 0), emails=int(row.emails or 0))


_SCAN_SQL = """
WITH newest AS (
    -- the newest document of each type per owner: an older one that was renewed is not due
    SELECT d.*, row_number() OVER (PARTITION BY d.type_id, d.vehicle_id, d.employee_id
                                   ORDER BY d.valid_to DESC, d.id DESC) AS rank
    FROM fleet_document d
    WHERE d.archived_at IS NULL
),
docs AS (
    SELECT d.id::text AS doc_key, t.name AS doc_name, t.required_for_dispatch AS required, d.valid_to,
           coalesce(v.plate, e.full_name) AS owner,
           CASE WHEN ru.is_active THEN v.responsible_user_id END AS responsible,  -- else the dispatchers
           'document' AS entity, d.id AS entity_id
    FROM newest d
    JOIN document_type t ON t.id = d.type_id
    LEFT JOIN vehicle v ON v.id = d.vehicle_id
    LEFT JOIN app_user ru ON ru.id = v.responsible_user_id
    LEFT JOIN employee e ON e.id = d.employee_id
    WHERE d.rank = 1 AND t.archived_at IS NULL
      AND coalesce(v.archived_at, e.archived_at) IS NULL
      AND d.valid_to <= CAST(:today AS date) + :max_lead
    UNION ALL
    SELECT 'licence-' || dr.employee_id, NULL, true, dr.licence_valid_to, e.full_name, NULL, 'employee',
           dr.employee_id
    FROM driver dr JOIN employee e ON e.id = dr.employee_id
    WHERE e.archived_at IS NULL AND dr.licence_valid_to <= CAST(:today AS date) + :max_lead
),
due AS (
    SELECT docs.*, CASE WHEN valid_to < :today THEN -1 ELSE (
               SELECT min(l) FROM unnest(CAST(:leads AS int[])) AS l WHERE valid_to - CAST(:today AS date) <= l)
           END AS threshold
    FROM docs
),
recipients AS (
    SELECT due.*, u.id AS user_id, u.language, u.email
    FROM due
    JOIN app_user u ON u.is_active AND (
            u.id = due.responsible
         OR (due.responsible IS NULL AND u.role = :dispatcher)
         OR (due.threshold = -1 AND due.required AND u.role = :director))
    WHERE due.threshold IS NOT NULL
),
texts AS (
    SELECT r.*,
           CASE WHEN r.language = 'rw' THEN coalesce(r.doc_name, :licence_rw) ELSE coalesce(r.doc_name, :licence_en)
           END AS doc_label,
           to_char(r.valid_to, 'DD.MM.YYYY') AS date_label
    FROM recipients r
),
inserted AS (
    INSERT INTO notification (user_id, kind, title, body, entity_type, entity_id, dedupe_key)
    SELECT user_id, CASE WHEN threshold = -1 THEN 'document_expired' ELSE 'document_expiring' END,
           left(replace(replace(replace(
               CASE WHEN threshold = -1 THEN CASE WHEN language = 'rw' THEN :exp_rw ELSE :exp_en END
                    ELSE CASE WHEN language = 'rw' THEN :soon_rw ELSE :soon_en END END,
               '%doc%', doc_label), '%owner%', owner), '%date%', date_label), 200),
           replace(replace(
               CASE WHEN threshold = -1 THEN CASE WHEN language = 'rw' THEN :body_exp_rw ELSE :body_exp_en END
                    ELSE CASE WHEN language = 'rw' THEN :body_soon_rw ELSE :body_soon_en END END,
               '%owner%', owner), '%days%', (valid_to - CAST(:today AS date))::text),
           entity, entity_id,
           'expiry:' || doc_key || ':' || valid_to || ':' || threshold
    FROM texts
    ON CONFLICT (user_id, dedupe_key) DO NOTHING
    RETURNING user_id, title, body
),
mailed AS (
    INSERT INTO email_outbox (to_address, subject, body_text, status)
    SELECT u.email, i.title, i.title || E'\\n\\n' || i.body, :status
    FROM inserted i JOIN app_user u ON u.id = i.user_id
    WHERE :email_on AND u.email IS NOT NULL
    RETURNING id
)
SELECT (SELECT count(*) FROM inserted) AS notices, (SELECT count(*) FROM mailed) AS emails
"""


def maintenance_scan(uow: UnitOfWork, today: dt.date | None = None) -> int:
    """Post a notice for each maintenance plan that became due, once per due point."""
    with uow:
        posted = _maintenance_scan(uow.session, today or company_today(uow.session))
        uow.commit()
        return posted


def _maintenance_scan(session: Session, today: dt.date) -> int:
    from core.fleet import maintenance_state
    from core.services.notifications import Notice, notify, users_with_roles
    from db.models.fleet import MaintenancePlan

    lead_km = get_int(session, "fleet.maintenance_lead_km")
    leads = get_param(session, "reminders.lead_days")
    lead_days = min(max(leads) if isinstance(leads, tuple) and leads else 14, 30)
    dispatchers = users_with_roles(session, frozenset({DISPATCHER}))
    posted = 0
    rows = session.execute(
        select(MaintenancePlan, Vehicle)
        .join(Vehicle, Vehicle.id == MaintenancePlan.vehicle_id)
        .where(MaintenancePlan.archived_at.is_(None), Vehicle.archived_at.is_(None))
    )
    for plan, unit in rows:
        state = maintenance_state(
            plan.every_km,
            plan.every_months,
            plan.last_done_km,
            plan.last_done_date,
            unit.odometer_km,
            today,
            lead_km,
            lead_days,
        )
        if not state.due:
            continue
        responsible = session.get(User, unit.responsible_user_id) if unit.responsible_user_id else None
        recipients = [responsible.id] if responsible is not None and responsible.is_active else dispatchers
        notice = Notice(
            kind="maintenance_due",
            title=MAINTENANCE_TITLE,
            body=MAINTENANCE_BODY,
            params=(
                ("plate", unit.plate),
                ("name", plan.name),
                ("km", state.next_km or "-"),
                ("date", state.next_date.isoformat() if state.next_date else "-"),
                ("now", unit.odometer_km),
            ),
            entity_type="vehicle",
            entity_id=unit.id,
            dedupe_key=f"maint:{plan.id}:{plan.last_done_km}:{plan.last_done_date}",
        )
        posted += len(notify(session, recipients, notice))
    return posted
