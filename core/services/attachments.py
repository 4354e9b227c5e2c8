"""Files attached to any record (SPEC C3, F6), stored in PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, undefer

from common.actor import Actor
from common.errors import DomainError, FieldErrors, NotFound, PermissionDenied
from common.i18n import N_
from common.roles import (
    ADMIN,
    CAN_EDIT_CRM,
    CAN_EDIT_EMPLOYEES,
    CAN_EDIT_FLEET,
    CAN_MANAGE_USERS,
    CAN_VIEW_CRM,
    CAN_VIEW_EMPLOYEES,
    CAN_VIEW_FLEET,
)
from core.files import FileRejected, check_file, thumbnail
from core.services.listing import like_pattern
from core.services.settings import get_decimal
from db.models.auth import User
from db.models.crm import Client
from db.models.files import Attachment
from db.models.fleet import Document, Vehicle
from db.models.hr import Employee
from db.session import UnitOfWork

# Which model owns each entity type, and who may see / change its files.
# Later catalogs register theirs with `register_owner`.
OWNERS: dict[str, tuple[type, frozenset[str], frozenset[str]]] = {
    "employee": (Employee, CAN_VIEW_EMPLOYEES, CAN_EDIT_EMPLOYEES),
    "user": (User, CAN_MANAGE_USERS, CAN_MANAGE_USERS),
    "vehicle": (Vehicle, CAN_VIEW_FLEET, CAN_EDIT_FLEET),
    "document": (Document, CAN_VIEW_FLEET, CAN_EDIT_FLEET),
    "client": (Client, CAN_VIEW_CRM, CAN_EDIT_CRM),
}


def register_owner(entity_type: str, model: type, view: frozenset[str], edit: frozenset[str]) -> None:
    OWNERS[entity_type] = (model, view, edit)


def _owner(entity_type: str) -> tuple[type, frozenset[str], frozenset[str]]:
    if entity_type not in OWNERS:
        raise NotFound(N_("Files cannot be attached to this kind of record."))
    return OWNERS[entity_type]


def _require(actor: Actor, entity_type: str, edit: bool) -> type:
    model, view_roles, edit_roles = _owner(entity_type)
    roles = edit_roles if edit else view_roles
    if actor.role not in roles and actor.role != ADMIN:
        raise PermissionDenied(N_("Your role does not allow this action."))
    return model


def store_file(
    session: Session,
    actor: Actor,
    entity_type: str,
    entity_id: int,
    filename: str,
    content: bytes,
    kind: str = "document",
    description: str = "",
) -> Attachment:
    """Check a file by its content and store it, in the caller's transaction."""
    limit = get_decimal(session, "attachments.max_size_mb")
    try:
        checked = check_file(filename, content, limit)
    except FileRejected as exc:
        errors = FieldErrors()
        errors.add("file", exc.message, **exc.params)
        errors.raise_if_any()
        raise
    if kind == "photo" and not checked.is_image:
        errors = FieldErrors()
        errors.add("file", N_("A photo must be a JPEG, PNG or WebP picture."))
        errors.raise_if_any()
    att = Attachment(
        entity_type=entity_type,
        entity_id=entity_id,
        kind=kind,
        filename=checked.filename,
        mime_type=checked.mime_type,
        size_bytes=checked.size_bytes,
        sha256=checked.sha256,
        description=description.strip()[:300] or None,
        content=content,
        thumbnail=thumbnail(content) if checked.is_image else None,
        uploaded_by=actor.user_id,
    )
    session.add(att)
    session.flush()
    return att


def add_attachment(
    uow: UnitOfWork,
    actor: Actor,
    entity_type: str,
    entity_id: int,
    filename: str,
    content: bytes,
    kind: str = "document",
    description: str = "",
) -> int:
    model = _require(actor, entity_type, edit=True)
    if kind not in ("document", "photo"):
        raise DomainError(N_("Unknown kind of file."))
    with uow:
        if uow.session.get(model, entity_id) is None:
            raise NotFound(N_("The record to attach to does not exist."))
        att = store_file(uow.session, actor, entity_type, entity_id, filename, content, kind, description)
        if kind == "photo" and hasattr(model, "photo_id"):
            owner = uow.session.get(model, entity_id, with_for_update=True)
            assert owner is not None
            owner.photo_id = att.id
        uow.commit()
        return att.id


def list_attachments(
    uow: UnitOfWork, actor: Actor, entity_type: str, entity_id: int, search: str = "", kind: str | None = None
) -> list[dict[str, Any]]:
    """A record's files, newest first; `search` looks in the file name and description."""
    _require(actor, entity_type, edit=False)
    with uow:
        stmt = (
            select(Attachment)
            .options(undefer(Attachment.thumbnail))
            .where(
                Attachment.entity_type == entity_type,
                Attachment.entity_id == entity_id,
                Attachment.archived_at.is_(None),
            )
            .order_by(Attachment.created_at.desc(), Attachment.id.desc())
        )
        if search.strip():
            pattern = like_pattern(search)
            stmt = stmt.where(
                func.lower(Attachment.filename).like(pattern)
                | func.lower(func.coalesce(Attachment.description, "")).like(pattern)
            )
        if kind:
            stmt = stmt.where(Attachment.kind == kind)
        rows = uow.session.scalars(stmt).all()
        return [
            {
                "id": a.id,
                "filename": a.filename,
                "kind": a.kind,
                "mime_type": a.mime_type,
                "size_bytes": a.size_bytes,
                "description": a.description or "",
                "created_at": a.created_at,
                "thumbnail": a.thumbnail,
            }
            for a in rows
        ]


def get_content(uow: UnitOfWork, actor: Actor, attachment_id: int) -> tuple[str, str, bytes]:
    with uow:
        att = uow.session.get(Attachment, attachment_id, options=[undefer(Attachment.content)])
        if att is None or att.archived_at is not None:
            raise NotFound(N_("This file does not exist."))
        _require(actor, att.entity_type, edit=False)
        return att.filename, att.mime_type, att.content


def get_thumbnail(uow: UnitOfWork, actor: Actor, attachment_id: int) -> bytes | None:
    with uow:
        att = uow.session.get(Attachment, attachment_id, options=[undefer(Attachment.thumbnail)])
        if att is None:
            return None
        _require(actor, att.entity_type, edit=False)
        return att.thumbnail


def archive_attachment(uow: UnitOfWork, actor: Actor, attachment_id: int) -> None:
    """Files are archived, not deleted: what was attached stays findable in the log."""
    with uow:
        att = uow.session.get(Attachment, attachment_id, with_for_update=True)
        if att is None:
            raise NotFound(N_("This file does not exist."))
        _require(actor, att.entity_type, edit=True)
        if att.archived_at is None:
            att.archived_at = dt.datetime.now(dt.UTC)
            model = OWNERS[att.entity_type][0] if att.entity_type in OWNERS else None
            if model is not None and hasattr(model, "photo_id"):
                owner = uow.session.get(model, att.entity_id, with_for_update=True)
                if owner is not None and owner.photo_id == att.id:
                    owner.photo_id = None
            uow.commit()
