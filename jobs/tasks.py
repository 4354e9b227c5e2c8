"""Background tasks, declared once here; `register` puts them on an app (app and workers).

Periodic tasks are deferred by every running worker, and the database keeps one job per
task and scheduled time, so each runs once per period however many workers exist.

A task is a thin call of a use case: it gets a unit of work from the process's context
(built by the composition root, `runtime.py`, and handed to `register`) and the use case
opens, commits and decides everything else, the company's day included.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from procrastinate import App
from sqlalchemy.orm import Session, sessionmaker

from core.services.crm import appointment_reminders, follow_up_scan
from core.services.fleet import expiry_scan, maintenance_scan
from core.services.stock import low_stock_digest
from db.session import UnitOfWork
from emails.delivery import deliver_pending
from emails.port import EmailSender

log = logging.getLogger(__name__)


class JobContext(Protocol):
    """What tasks need of the process: the composition root's Runtime is one."""

    sessionmaker: sessionmaker[Session]
    sender: EmailSender | None

    def uow(self) -> UnitOfWork: ...


Scan = Callable[[UnitOfWork], int]

# The daily scans: each is a use case that takes a (system) unit of work and returns how
# many notices or plan items it made. A later feature adds its own here.
DAILY_SCANS: dict[str, Scan] = {
    "fleet_documents": lambda uow: expiry_scan(uow).notices,  # SPEC F4: documents reaching a threshold
    "fleet_maintenance": maintenance_scan,  # F3: maintenance plans that became due
    "stock_low_digest": low_stock_digest,  # W4: the keepers' list of items to reorder
    "crm_follow_ups": follow_up_scan,  # C4: due follow-ups onto the managers' plans, each cause once
}


def run_daily_scans(context: JobContext) -> dict[str, int]:
    """Run every registered daily scan; one failing scan does not stop the others."""
    results: dict[str, int] = {}
    for name, scan in DAILY_SCANS.items():
        try:
            results[name] = scan(context.uow())
        except Exception:
            log.exception("daily scan %s failed", name)
            results[name] = -1
    return results


def register(app: App, context: JobContext | None) -> App:
    """Declare every task (and its schedule) on `app`. Names are the same in every process,
    which is what lets the database keep one periodic job per period. With no context the
    app can defer tasks but not run them (a screen asking a worker to send the outbox)."""

    def ctx() -> JobContext:
        if context is None:
            raise RuntimeError("this app was built to defer tasks, not to run them")
        return context

    def deliver_outbox() -> int:
        """Send the e-mails waiting in the outbox through the configured provider."""
        return deliver_pending(ctx().sessionmaker, ctx().sender)

    def deliver_outbox_periodic(timestamp: int) -> int:
        return deliver_outbox()

    def crm_result_control(timestamp: int) -> int:
        """SPEC P2: reminders for appointments left without a result, then the director."""
        return appointment_reminders(ctx().uow())

    def daily_scans(timestamp: int) -> dict[str, int]:
        return run_daily_scans(ctx())

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
