"""Background tasks, declared once on a blueprint. The app and every worker load them.

Periodic tasks are deferred by every running worker, and the database keeps one job per
task and scheduled time, so each runs once per period however many workers exist.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from procrastinate import Blueprint

log = logging.getLogger(__name__)

blueprint = Blueprint()

# Daily scans that later features register (document expiry, low stock, follow-ups).
# Each gets the database location's session factory and returns how many notices it made.
DAILY_SCANS: dict[str, Callable[[], int]] = {}


def daily_scan(name: str) -> Callable[[Callable[[], int]], Callable[[], int]]:
    def register(fn: Callable[[], int]) -> Callable[[], int]:
        DAILY_SCANS[name] = fn
        return fn

    return register


@blueprint.task(name="deliver_outbox", queueing_lock="deliver_outbox", retry=False)
def deliver_outbox() -> int:
    """Send the e-mails waiting in the outbox through the configured provider."""
    from db.runtime import get_runtime
    from emails.delivery import deliver_pending

    runtime = get_runtime()
    return deliver_pending(runtime.sessionmaker, runtime.sender)


@blueprint.periodic(cron="* * * * *", periodic_id="every-minute")
@blueprint.task(name="deliver_outbox_periodic", queueing_lock="deliver_outbox_periodic")
def deliver_outbox_periodic(timestamp: int) -> int:
    return deliver_outbox()


@blueprint.periodic(cron="0 5 * * *", periodic_id="daily")
@blueprint.task(name="daily_scans", queueing_lock="daily_scans")
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
