"""The daily scans (SPEC F4, F7): documents and driving licences reaching a reminder
threshold, and maintenance plans that became due. Each is a use case on a unit of work."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from common.i18n import N_, catalog
from common.roles import DIRECTOR, DISPATCHER
from core.fleet import maintenance_state
from core.services.fleet.base import maintenance_leads
from core.services.notifications import Notice, notify, outbound_of, users_with_roles
from core.services.settings import company_today, get_param
from db.models.auth import User
from db.models.fleet import MaintenancePlan, Vehicle
from db.session import UnitOfWork

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
    lead_km, lead_days = maintenance_leads(session)
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
