"""Fleet documents with their validity (insurance, inspection, a driver's medical
certificate...), their types and which dispatch requires, a record's documents' status, and
the documents-due list across units and drivers (SPEC F3, F4)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, text

from common.actor import Actor
from common.errors import FieldErrors, NotFound
from common.i18n import N_
from common.roles import CAN_EDIT_FLEET, CAN_VIEW_FLEET
from core.fleet import document_status, renewal_period, worst_document_status
from core.services.fleet.base import expiring_warn_days, now
from core.services.listing import ListQuery, PageResult, like_pattern
from core.services.settings import company_today
from core.services.versions import check_version
from db.models.fleet import Document, DocumentType, Driver, Vehicle
from db.session import UnitOfWork


def warn_days(uow: UnitOfWork, actor: Actor) -> int:
    """How many days before its end a document shows as expiring."""
    actor.require(CAN_VIEW_FLEET)
    with uow:
        return expiring_warn_days(uow.session)


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
                "version": d.version,
            }
            for d in uow.session.scalars(stmt)
        ]


def save_document_type(
    uow: UnitOfWork,
    actor: Actor,
    name: str,
    applies_to: str,
    required: bool,
    type_id: int | None = None,
    expected_version: int | None = None,
) -> int:
    """Add a document type, or change one (`type_id`, with the version the form showed)."""
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
            check_version(uow.session, found, expected_version)
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
        found.archived_at = now() if archived else None
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
    expected_version: int | None = None,
) -> int:
    """Add a document to a unit or a driver, or correct one (`document_id`, with the version
    the form was opened with: RecordChanged if it was saved since)."""
    actor.require(CAN_EDIT_FLEET)
    with uow:
        if document_id is not None:
            found = uow.session.get(Document, document_id, with_for_update=True)
            if found is None:
                raise NotFound(N_("This document does not exist."))
            check_version(uow.session, found, expected_version)
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


def renew_document(uow: UnitOfWork, actor: Actor, document_id: int, data: DocumentInput) -> int:
    """A renewal: a new document of the same type for the same unit or driver (the type is
    the old one's whatever `data` says), ending after the old one; the old document stays,
    with its scans, as history (the newest of a type is the one that counts). The screen
    offers the old one's issuer and `renewal_period` dates; the number is the new one's."""
    actor.require(CAN_EDIT_FLEET)
    with uow:
        old = uow.session.get(Document, document_id)
        if old is None or old.archived_at is not None:
            raise NotFound(N_("This document does not exist."))
        renewal = DocumentInput(
            type_id=old.type_id,
            valid_to=data.valid_to,
            number=data.number,
            issuer=data.issuer,
            valid_from=data.valid_from,
            notes=data.notes,
        )
        errors = _validate_document(uow, renewal, _owner_kind(uow, old.vehicle_id, old.employee_id))
        if data.valid_to is not None and data.valid_to <= old.valid_to:
            errors.add("valid_to", N_("A renewal ends after the document it renews ({date})."), date=old.valid_to)
        errors.raise_if_any()
        new_id = save_document(uow, actor, renewal, vehicle_id=old.vehicle_id, employee_id=old.employee_id)
        uow.commit()
        return new_id


def archive_document(uow: UnitOfWork, actor: Actor, document_id: int) -> None:
    actor.require(CAN_EDIT_FLEET)
    with uow:
        doc = uow.session.get(Document, document_id, with_for_update=True)
        if doc is None:
            raise NotFound(N_("This document does not exist."))
        if doc.archived_at is None:
            doc.archived_at = now()
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
    with uow:
        day = today or company_today(uow.session)
        warn = expiring_warn_days(uow.session)
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
        newest: dict[int, tuple[dt.date, int]] = {}  # the document of each type that counts
        rows = uow.session.execute(stmt).all()
        for doc, _, _ in rows:
            if doc.type_id not in newest or (doc.valid_to, doc.id) > newest[doc.type_id]:
                newest[doc.type_id] = (doc.valid_to, doc.id)
        for doc, type_name, required in rows:
            renew_from, renew_to = renewal_period(doc.valid_from, doc.valid_to)
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
                    # a newer document of its type replaced it: history, not to renew again
                    "replaced": newest[doc.type_id][1] != doc.id,
                    "renew_from": renew_from,
                    "renew_to": renew_to,
                    "version": doc.version,
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


def documents_state(
    uow: UnitOfWork,
    actor: Actor,
    *,
    vehicle_id: int | None = None,
    employee_id: int | None = None,
    today: dt.date | None = None,
) -> str:
    """The status of a unit's or a driver's documents together (worst_document_status):
    "expired", "expiring", "valid", or "none" without documents."""
    actor.require(CAN_VIEW_FLEET)
    with uow:
        day = today or company_today(uow.session)
        owner = Document.vehicle_id == vehicle_id if vehicle_id is not None else Document.employee_id == employee_id
        rows = uow.session.execute(
            select(Document.type_id, Document.valid_to).where(owner, Document.archived_at.is_(None))
        ).all()
        return worst_document_status([(r.type_id, r.valid_to) for r in rows], day, expiring_warn_days(uow.session))


def documents_due(
    uow: UnitOfWork, actor: Actor, within_days: int, q: ListQuery, today: dt.date | None = None
) -> PageResult:
    """Everything expired or ending within N days, across units and drivers, with who is
    responsible; the newest document of each type only (an old one replaced is not due)."""
    actor.require(CAN_VIEW_FLEET)
    with uow:
        day = today or company_today(uow.session)
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
        for r in out:  # the list's horizon is the warning: every row is expired or expiring
            r["status"] = document_status(r["valid_to"], day, within_days)
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
