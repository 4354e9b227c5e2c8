"""Optimistic versioning of edited records: a save made from a form opened on an older
version of the record is refused, with who changed it since and when.

Every audited row has a `version` (db.base.Audited) that the unit of work raises with each
change worth a log row. A get-for-edit service returns it; the form keeps the one it was
opened with and the save passes it back as `expected_version`. Code that is not a form (demo
loaders, imports) passes None, and only then is the check skipped.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.errors import RecordChanged
from core.services.company_day import company_zone
from db.audit import entity_id_of
from db.base import Audited
from db.models.audit import ActivityLog
from db.models.auth import User


def _when(at: dt.datetime, now: dt.datetime, session: Session) -> str:
    """A moment as the company's clock shows it: the time alone today, with the date before."""
    zone = company_zone(session)
    local = at.astimezone(zone)
    if local.date() == now.astimezone(zone).date():
        return local.strftime("%H:%M")
    return local.strftime("%Y-%m-%d %H:%M")


def last_change(session: Session, record: Audited) -> tuple[str, dt.datetime] | None:
    """Who made the newest activity-log row of `record`, and when (None if it has none)."""
    row = session.execute(
        select(ActivityLog.username, User.full_name, ActivityLog.at)
        .outerjoin(User, User.id == ActivityLog.user_id)
        .where(ActivityLog.entity_type == record.__audit_type__, ActivityLog.entity_id == entity_id_of(record))
        .order_by(ActivityLog.at.desc(), ActivityLog.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return (row.full_name or row.username or "system"), row.at


def check_version(session: Session, record: Audited, expected_version: int | None) -> None:
    """Refuse (RecordChanged) a save of `record` when it is no longer at `expected_version`,
    the version the form was opened with. None (not a form) skips the check. Call it with the
    row locked (with_for_update) and before changing anything: nothing is written."""
    if expected_version is None or record.version == expected_version:
        return
    found = last_change(session, record)
    if found is None:
        raise RecordChanged()
    who, at = found
    raise RecordChanged(who=who, when=_when(at, dt.datetime.now(dt.UTC), session))
