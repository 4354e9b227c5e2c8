"""The activity log is written by the unit of work itself, in the same transaction.

Every insert, update and delete of an `Audited` model that a session flushes becomes a
row of `activity_log` with the actor, the record and its values before and after. A
service therefore cannot forget to log, and the log cannot disagree with the data.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session
from sqlalchemy.sql import ClauseElement

from db.base import Audited
from db.models.audit import ActivityLog


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"<{len(value)} bytes>"
    if isinstance(value, float):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def entity_id_of(obj: Any) -> str | None:
    """The `entity_id` the activity log gives a record: its primary key as text."""
    state = inspect(obj)
    key = state.mapper.primary_key_from_instance(obj)
    if not key or any(k is None for k in key):
        return None
    return ",".join(str(x) for x in key)


VERSION = "version"  # the optimistic-locking counter of every audited row (db.base.Audited)


def _derived(attr: Any) -> bool:
    """A computed column (search text) and the version counter are not changes anybody made."""
    return attr.key == VERSION or any(getattr(col, "computed", None) is not None for col in attr.columns)


def _snapshot(obj: Audited) -> dict[str, Any]:
    state = inspect(obj)
    out: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in obj.__audit_exclude__ or key in state.unloaded or _derived(attr):
            continue
        out[key] = _plain(getattr(obj, key))
    return out


def _changes(obj: Audited) -> dict[str, dict[str, Any]]:
    state = inspect(obj)
    changes: dict[str, dict[str, Any]] = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if _derived(attr) or key in obj.__audit_ignore__:
            continue
        hist = state.attrs[key].history
        if not hist.has_changes():
            continue
        before = hist.deleted[0] if hist.deleted else None
        after = hist.added[0] if hist.added else None
        if hist.deleted and not isinstance(after, ClauseElement) and before == after:
            continue  # (a SQL expression, such as now(), is a change whose value the flush decides)
        if key in obj.__audit_exclude__:
            changes[key] = {"before": "***", "after": "*** (changed)"}
        else:
            changes[key] = {"before": _plain(before), "after": _plain(after)}
    return changes


def _actor_fields(session: Session) -> dict[str, Any]:
    actor = session.info.get("actor")
    if actor is None:
        return {"user_id": None, "username": "system"}
    return {"user_id": actor.user_id, "username": actor.username}


@event.listens_for(Session, "before_flush")
def _raise_versions(session: Session, flush_context: Any, instances: Any) -> None:
    """A row with a change worth logging gets the next version; the UPDATE still checks the
    one it was loaded with (version_id_col), so a concurrent change fails the flush."""
    for obj in session.dirty:
        if isinstance(obj, Audited) and session.is_modified(obj, include_collections=False) and _changes(obj):
            obj.version = obj.version + 1


@event.listens_for(Session, "after_flush")
def _write_activity(session: Session, flush_context: Any) -> None:
    who = _actor_fields(session)
    rows: list[dict[str, Any]] = []
    for obj in session.new:
        if isinstance(obj, Audited):
            rows.append(
                {
                    **who,
                    "action": "create",
                    "entity_type": obj.__audit_type__,
                    "entity_id": entity_id_of(obj),
                    "changes": {"after": _snapshot(obj)},
                }
            )
    for obj in session.dirty:
        if not isinstance(obj, Audited) or not session.is_modified(obj, include_collections=False):
            continue
        changes = _changes(obj)
        if not changes:
            continue
        action = "update"
        archived = changes.get("archived_at")
        if archived is not None:
            action = "archive" if archived["after"] is not None else "restore"
        rows.append(
            {
                **who,
                "action": action,
                "entity_type": obj.__audit_type__,
                "entity_id": entity_id_of(obj),
                "changes": changes,
            }
        )
    for obj in session.deleted:
        if isinstance(obj, Audited):
            rows.append(
                {
                    **who,
                    "action": "delete",
                    "entity_type": obj.__audit_type__,
                    "entity_id": entity_id_of(obj),
                    "changes": {"before": _snapshot(obj)},
                }
            )
    if rows:
        session.connection().execute(insert(ActivityLog), rows)


def log_event(
    session: Session,
    action: str,
    entity_type: str,
    entity_id: object | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Record an action that is not a row change (a login, an export, a failed login)."""
    who = _actor_fields(session)
    session.add(
        ActivityLog(
            **who,
            action=action,
            entity_type=entity_type,
            entity_id=None if entity_id is None else str(entity_id),
            changes={k: _plain(v) for k, v in (details or {}).items()},
        )
    )
