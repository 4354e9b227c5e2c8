"""The daily scans (SPEC F4, F7): documents and driving licences reaching a reminder
threshold, and maintenance plans that became due. Each is a use case on a unit of work.

A notice is about a document, a licence or a maintenance plan (its cause): each reader has
one open notice on it, which the next threshold (30, 14, 7, 1 days, expired) updates and
e-mails again, and which the scan resolves once the cause is gone (renewed, archived, done).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from common.i18n import N_, Msg, N_n
from common.roles import DIRECTOR, DISPATCHER
from core.fleet import maintenance_state
from core.services.fleet.base import maintenance_leads
from core.services.notifications import Notice, notify, queue_emails, resolve_others, users_with_roles
from core.services.settings import company_today, get_param
from db.models.auth import User
from db.models.fleet import MaintenancePlan, Vehicle
from db.session import UnitOfWork

TITLE_SOON = N_("{doc} of {owner} ends on {date}")
TITLE_EXPIRED = N_("{doc} of {owner} expired on {date}")
BODY_SOON = N_n("Renew it in time: {n} day left.", "Renew it in time: {n} days left.")
BODY_EXPIRED = N_("It is no longer valid. Without it, {owner} cannot be sent on a trip.")
LICENCE_LABEL = N_("Driving licence")
MAINTENANCE_TITLE = N_("{plate}: {name} is due")
MAINTENANCE_BODY = N_("Next at {km} km or on {date}; the odometer shows {now} km.")
EXPIRY_CAUSE = "document_expiry:"
MAINTENANCE_CAUSE = "maintenance:plan:"


@dataclass(frozen=True)
class ScanResult:
    notices: int
    emails: int


def expiry_scan(uow: UnitOfWork, today: dt.date | None = None) -> ScanResult:
    """The daily document scan (SPEC F4), as one use case: see `_expiry_scan`."""
    with uow:
        result = _expiry_scan(uow.session, today or company_today(uow.session))
        uow.commit()
        return result


def _expiry_scan(session: Session, today: dt.date) -> ScanResult:
    """Notify the responsible people of documents (and driving licences) reaching a reminder
    threshold today; escalate expired required ones to the directors.

    Set-based: one statement finds the due documents and posts the notices, one per reader
    and document (or licence), stored as message ids and parameters and worded when read.
    Each occurrence carries a key of (document, its end date, threshold), so a second run, a
    restart or a second worker changes nothing; a new threshold updates the reader's open
    notice (unread again, e-mailed again). A second statement resolves the open notices on
    documents no longer due (renewed, archived, or no longer the reader's).
    """
    leads = get_param(session, "reminders.lead_days")
    lead_list = sorted(leads if isinstance(leads, tuple) else (30, 14, 7, 1), reverse=True)
    params = {
        "today": today,
        "max_lead": max(lead_list),
        "leads": lead_list,
        "soon": TITLE_SOON,
        "expired": TITLE_EXPIRED,
        "body_soon": BODY_SOON.singular,
        "body_soon_plural": BODY_SOON.plural,
        "body_expired": BODY_EXPIRED,
        "licence": LICENCE_LABEL,
        "dispatcher": DISPATCHER,
        "director": DIRECTOR,
        "cause": EXPIRY_CAUSE,
    }
    posted = [int(i) for i in session.execute(text(_SCAN_SQL), params).scalars()]
    session.execute(text(_RESOLVE_SQL), params)
    return ScanResult(notices=len(posted), emails=queue_emails(session, posted))


_DUE_SQL = """
WITH newest AS (
    -- the newest document of each type per owner: an older one that was renewed is not due
    SELECT d.*, row_number() OVER (PARTITION BY d.type_id, d.vehicle_id, d.employee_id
                                   ORDER BY d.valid_to DESC, d.id DESC) AS rank
    FROM fleet_document d
    WHERE d.archived_at IS NULL
),
docs AS (
    -- doc_key: the document's id, or licence-<employee>, as in the keys since the first scan
    SELECT d.id::text AS doc_key, 'document:' || d.id AS cause_key, t.name AS doc_name,
           t.required_for_dispatch AS required, d.valid_to, coalesce(v.plate, e.full_name) AS owner,
           CASE WHEN ru.is_active THEN v.responsible_user_id END AS responsible,  -- else the dispatchers
           CASE WHEN d.vehicle_id IS NULL THEN 'driver' WHEN v.unit_type = 'trailer' THEN 'trailer'
                ELSE 'vehicle' END AS entity,
           coalesce(d.vehicle_id, d.employee_id) AS entity_id
    FROM newest d
    JOIN document_type t ON t.id = d.type_id
    LEFT JOIN vehicle v ON v.id = d.vehicle_id
    LEFT JOIN app_user ru ON ru.id = v.responsible_user_id
    LEFT JOIN employee e ON e.id = d.employee_id
    WHERE d.rank = 1 AND t.archived_at IS NULL
      AND coalesce(v.archived_at, e.archived_at) IS NULL
      AND d.valid_to <= CAST(:today AS date) + :max_lead
    UNION ALL
    SELECT 'licence-' || dr.employee_id, 'licence:' || dr.employee_id, NULL, true, dr.licence_valid_to,
           e.full_name, NULL, 'driver', dr.employee_id
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
    SELECT due.*, u.id AS user_id, :cause || due.cause_key AS cause
    FROM due
    JOIN app_user u ON u.is_active AND (
            u.id = due.responsible
         OR (due.responsible IS NULL AND u.role = :dispatcher)
         OR (due.threshold = -1 AND due.required AND u.role = :director))
    WHERE due.threshold IS NOT NULL
)
"""

_SCAN_SQL = (
    _DUE_SQL
    + """,
notices AS (
    SELECT r.*, valid_to - CAST(:today AS date) AS days_left,
           coalesce(doc_name, :licence) AS doc_label, to_char(valid_to, 'YYYY-MM-DD') AS date_label,
           CASE WHEN threshold = -1 THEN :expired ELSE :soon END AS title_msgid
    FROM recipients r
)
INSERT INTO notification AS n (user_id, kind, title, body, title_msgid, body_msgid, body_plural, params,
                               entity_type, entity_id, dedupe_key, cause)
SELECT user_id, CASE WHEN threshold = -1 THEN 'document_expired' ELSE 'document_expiring' END,
       -- the English text of the time; readers see the message ids worded in their language
       left(replace(replace(replace(title_msgid, '{doc}', doc_label), '{owner}', owner), '{date}', date_label), 200),
       CASE WHEN threshold = -1 THEN replace(:body_expired, '{owner}', owner)
            ELSE replace(CASE WHEN days_left = 1 THEN :body_soon ELSE :body_soon_plural END,
                         '{n}', days_left::text) END,
       title_msgid,
       CASE WHEN threshold = -1 THEN :body_expired ELSE :body_soon END,
       CASE WHEN threshold = -1 THEN NULL ELSE :body_soon_plural END,
       jsonb_build_object('doc', jsonb_build_object('msg', doc_label), 'owner', owner,
                          'date', jsonb_build_object('date', date_label), 'n', days_left),
       entity, entity_id,
       'expiry:' || doc_key || ':' || valid_to || ':' || threshold,
       cause
FROM notices
ON CONFLICT (user_id, cause) WHERE resolved_at IS NULL DO UPDATE
    SET kind = excluded.kind, title = excluded.title, body = excluded.body, title_msgid = excluded.title_msgid,
        body_msgid = excluded.body_msgid, body_plural = excluded.body_plural, params = excluded.params,
        entity_type = excluded.entity_type, entity_id = excluded.entity_id, dedupe_key = excluded.dedupe_key,
        updated_at = now(), read_at = NULL, times = n.times + 1
    WHERE n.dedupe_key IS DISTINCT FROM excluded.dedupe_key
RETURNING n.id
"""
)

_RESOLVE_SQL = (
    _DUE_SQL
    + """
UPDATE notification n SET resolved_at = now()
WHERE n.resolved_at IS NULL AND n.cause LIKE :cause || '%'
  AND NOT EXISTS (SELECT 1 FROM recipients r WHERE r.user_id = n.user_id AND r.cause = n.cause)
"""
)


def maintenance_scan(uow: UnitOfWork, today: dt.date | None = None) -> int:
    """Post a notice for each maintenance plan that became due, once per due point."""
    with uow:
        posted = _maintenance_scan(uow.session, today or company_today(uow.session))
        uow.commit()
        return posted


def _maintenance_scan(session: Session, today: dt.date) -> int:
    lead_km, lead_days = maintenance_leads(session)
    dispatchers = users_with_roles(session, frozenset({DISPATCHER}))
    posted = 0
    due: set[str] = set()
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
        cause = f"{MAINTENANCE_CAUSE}{plan.id}"
        due.add(cause)
        notice = Notice(
            kind="maintenance_due",
            title=MAINTENANCE_TITLE,
            body=MAINTENANCE_BODY,
            params=(
                ("plate", unit.plate),
                ("name", Msg(plan.name)),
                ("km", state.next_km or "-"),
                ("date", state.next_date or "-"),
                ("now", unit.odometer_km),
            ),
            entity_type="trailer" if unit.unit_type == "trailer" else "vehicle",
            entity_id=unit.id,
            dedupe_key=f"maint:{plan.id}:{plan.last_done_km}:{plan.last_done_date}",
            cause=cause,
        )
        posted += len(notify(session, recipients, notice))
    resolve_others(session, MAINTENANCE_CAUSE, due)  # done since, archived, or no longer due
    return posted
