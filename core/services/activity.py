"""Reading the activity log (SPEC P3): the whole log with filters, and one record's history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from common.actor import Actor
from common.errors import PermissionDenied
from common.i18n import N_
from common.roles import CAN_VIEW_ACTIVITY, may_view_records
from core.services.listing import ListQuery, PageResult, run_page
from core.services.records import Key, RecordRef, describe_records, keys_in
from db.models.audit import ActivityLog
from db.session import UnitOfWork

COLUMNS: dict[str, Any] = {
    "id": ActivityLog.id,
    "at": ActivityLog.at,
    "username": ActivityLog.username,
    "action": ActivityLog.action,
    "entity_type": ActivityLog.entity_type,
    "entity_id": ActivityLog.entity_id,
    "changes": ActivityLog.changes,
}


def list_activity(
    uow: UnitOfWork,
    actor: Actor,
    q: ListQuery,
    date_from: dt.datetime | None = None,
    date_to: dt.datetime | None = None,
) -> PageResult:
    actor.require(CAN_VIEW_ACTIVITY)
    stmt = select(*[c.label(k) for k, c in COLUMNS.items()])
    user = q.filter_value("username")
    if user:
        stmt = stmt.where(ActivityLog.username == user)
    entity_type = q.filter_value("entity_type")
    if entity_type:
        stmt = stmt.where(ActivityLog.entity_type == entity_type)
    action = q.filter_value("action")
    if action:
        stmt = stmt.where(ActivityLog.action == action)
    if date_from:
        stmt = stmt.where(ActivityLog.at >= date_from)
    if date_to:
        stmt = stmt.where(ActivityLog.at < date_to)
    with uow:
        return run_page(uow.session, stmt, q, COLUMNS, "at", ActivityLog.id)


def activity_filter_options(uow: UnitOfWork, actor: Actor) -> dict[str, list[str]]:
    actor.require(CAN_VIEW_ACTIVITY)
    with uow:
        out = {}
        for key, col in (
            ("username", ActivityLog.username),
            ("entity_type", ActivityLog.entity_type),
            ("action", ActivityLog.action),
        ):
            out[key] = [v for v in uow.session.scalars(select(col).distinct().order_by(col)) if v]
        return out


def history(
    uow: UnitOfWork, actor: Actor, entity_type: str | tuple[str, ...], entity_id: object
) -> list[dict[str, Any]]:
    """A record's history; whoever may see records of its kind may see its history (the
    rule is `common.roles.RECORD_VIEWERS`, not the caller's word). Several entity types
    share one id when a record has parts (an employee and the driver card)."""
    types = (entity_type,) if isinstance(entity_type, str) else entity_type
    if not all(may_view_records(actor.role, kind) for kind in types):
        raise PermissionDenied(N_("Your role does not allow this action."))
    with uow:
        rows = uow.session.execute(
            select(*[c.label(k) for k, c in COLUMNS.items()])
            .where(ActivityLog.entity_type.in_(types), ActivityLog.entity_id == str(entity_id))
            .order_by(ActivityLog.at.desc(), ActivityLog.id.desc())
            .limit(500)
        )
        return [dict(r._mapping) for r in rows]


def log_references(uow: UnitOfWork, actor: Actor, rows: list[dict[str, Any]]) -> dict[Key, RecordRef]:
    """The records a page of log rows speaks of (each row's own and those its changes point
    to by id), named, with the record a screen opens for each: one query for the page."""
    return describe_records(uow, actor, keys_in(rows))
