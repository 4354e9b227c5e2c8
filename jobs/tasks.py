"""Background tasks, declared once here; `register` puts them on an app (app and workers).

Periodic tasks are deferred by every running worker, and the database keeps one job per
task and scheduled time, so each runs once per period however many workers exist.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from procrastinate import App

log = logging.getLogger(__name__)

# Daily scans that later features register (document expiry, low stock, follow-ups).
# Each gets the database location's session factory and returns how many notices it made.
DAILY_SCANS: dict[str, Callable[[], int]] = {}


def daily_scan(name: str) -> Callable[[Callable[[], int]], Callable[[], int]]:
    def register(fn: Callable[[], int]) -> Callable[[], int]:
        DAILY_SCANS[name] = fn
        return fn

    return register


def _company_today() -> dt.date:
    from core.services.settings import company_today
    from db.runtime import get_runtime

    with get_runtime().sessionmaker() as session:
        return company_today(session)


@daily_scan("fleet_documents")
def fleet_documents_scan() -> int:
    """SPEC F4: documents and licences reaching a reminder threshold."""
    from core.services.fleet_docs import expiry_scan
    from db.runtime import get_runtime

    runtime = get_runtime()
    with runtime.sessionmaker() as session:
        result = expiry_scan(session, _company_today(), runtime.email_configured)
        session.commit()
    return result.notices


@daily_scan("fleet_maintenance")
def fleet_maintenance_scan() -> int:
    from core.services.fleet_docs import maintenance_scan
    from db.runtime import get_runtime

    runtime = get_runtime()
    with runtime.sessionmaker() as session:
        posted = maintenance_scan(session, _company_today(), runtime.email_configured)
        session.commit()
    return posted


@daily_scan("stock_low_digest")
def stock_low_digest() -> int:
    """SPEC W4: the keepers' daily list of items below their reorder level."""
    from core.services.stock import low_stock_digest
    from db.runtime import get_runtime

    runtime = get_runtime()
    with runtime.sessionmaker() as session:
        posted = low_stock_digest(session, _company_today(), runtime.email_configured)
        session.commit()
    return posted


@daily_scan("crm_follow_ups")
def crm_follow_ups() -> int:
    """SPEC C4: due follow-ups onto the managers' plans (each cause once)."""
    from core.services.crm import follow_up_scan
    from db.runtime import get_runtime

    with get_runtime().sessionmaker() as session:
        made = follow_up_scan(session, _company_today())
        session.commit()
    return made


def crm_result_control(timestamp: int) -> int:
    """SPEC P2: reminders for appointments left without a result, then the director."""
    from core.services.crm import appointment_reminders
    from db.runtime import get_runtime

    runtime = get_runtime()
    with runtime.sessionmaker() as session:
        sent = appointment_reminders(session, dt.datetime.now(dt.UTC), runtime.email_configured)
        session.commit()
    return sent


def deliver_outbox() -> int:
    """Send the e-mails waiting in the outbox through the configured provider."""
    from db.runtime import get_runtime
    from emails.delivery import deliver_pending

    runtime = get_runtime()
    return deliver_pending(runtime.sessionmaker, runtime.sender)


def deliver_outbox_periodic(timestamp: int) -> int:
    return deliver_outbox()


def daily_scans(timestamp: int) -> dict[str, int]:
    """Run every registered daily scan; one failing scan does not stop the others."""
    results: dict[str, int] = {}
    for name, scan in DAILY_SCANS.items():
        try:
            results[name] = scan()
        except Exception:
            log.exception("daily scan %s failed", name)
            results[name] = -1
    return results


def register(app: App) -> App:
    """Declare every task (and its schedule) on `app`. Names are the same in every process,
    which is what lets the database keep one periodic job per period."""
    app.task(name="twara:deliver_outbox", queueing_lock="deliver_outbox")(deliver_outbox)
    periodic_outbox = app.task(name="twara:deliver_outbox_periodic", queueing_lock="deliver_outbox_periodic")(
        deliver_outbox_periodic
    )
    app.periodic(cron="* * * * *", periodic_id="every-minute")(periodic_outbox)
    control = app.task(name="twara:crm_result_control", queueing_lock="crm_result_control")(crm_result_control)
    app.periodic(cron="*/15 * * * *", periodic_id="quarter-hour")(control)
    scans = app.task(name="twara:daily_scans", queueing_lock="daily_scans")(daily_scans)
    app.periodic(cron="0 5 * * *", periodic_id="daily")(scans)
    return app
