"""Background jobs on PostgreSQL: periodic tasks run once per period however many workers,
and the in-app worker runs what is deferred."""

from __future__ import annotations

import asyncio
import time

from procrastinate.periodic import PeriodicDeferrer
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import sessionmaker

from config import get_config
from jobs.app import InAppWorker, make_app
from jobs.tasks import DAILY_SCANS
from runtime import Runtime
from tests.conftest import fresh_database


def test_a_periodic_task_is_deferred_once_per_period_by_any_number_of_workers(database):
    location = fresh_database(database, "twara_jobs_periodic")

    async def one_worker_tick(at: float) -> None:
        app = make_app(location.conninfo)
        async with app.open_async():
            deferrer = PeriodicDeferrer(registry=app.periodic_registry)
            await deferrer.defer_jobs(deferrer.get_previous_tasks(at=at))

    at = time.time()

    async def three_workers() -> None:
        await asyncio.gather(*(one_worker_tick(at) for _ in range(3)))

    asyncio.run(three_workers())
    asyncio.run(one_worker_tick(at))  # a restarted worker in the same period
    engine = create_engine(location.sqlalchemy_url)
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT task_name, count(*) FROM procrastinate_jobs GROUP BY task_name ORDER BY task_name")
        ).all()
    engine.dispose()
    assert ("twara:deliver_outbox_periodic", 1) in rows
    assert all(count == 1 for _, count in rows)


def _daily_period_already_taken(app, location) -> None:  # type: ignore[no-untyped-def]
    """Mark this hour's daily scan as deferred, so a test run at 05:00 sees only its own job:
    the worker's periodic deferrer would otherwise (rightly) add the scheduled one."""
    deferrer = PeriodicDeferrer(registry=app.periodic_registry)
    now = time.time()
    engine = create_engine(location.sqlalchemy_url)
    with engine.begin() as conn:
        for periodic_task in app.periodic_registry.periodic_tasks.values():
            if periodic_task.task.name != "twara:daily_scans":
                continue
            for timestamp in deferrer.get_timestamps(
                periodic_task=periodic_task, since=int(now) - 3600, until=now + 3600
            ):
                conn.execute(
                    text(
                        "INSERT INTO procrastinate_periodic_defers (task_name, periodic_id, defer_timestamp)"
                        " VALUES (:task, :periodic_id, :ts) ON CONFLICT DO NOTHING"
                    ),
                    {"task": periodic_task.task.name, "periodic_id": periodic_task.periodic_id, "ts": timestamp},
                )
    engine.dispose()


def test_the_in_app_worker_runs_a_deferred_job(database):
    location = fresh_database(database, "twara_jobs_worker")
    engine = create_engine(location.sqlalchemy_url)
    ran: list[int] = []

    def scan(uow) -> int:  # type: ignore[no-untyped-def]
        with uow:
            uow.session.execute(
                text("INSERT INTO activity_log (action, entity_type, username) VALUES ('scan', 'job', 'system')")
            )
            uow.commit()
        ran.append(1)
        return 1

    DAILY_SCANS["test_scan"] = scan
    factory = sessionmaker(engine, expire_on_commit=False)
    context = Runtime(get_config(), location, engine, factory, sender=None)
    worker = InAppWorker(location.conninfo, context)
    try:
        app = make_app(location.conninfo)
        _daily_period_already_taken(app, location)
        with app.open():
            app.tasks["twara:daily_scans"].defer(timestamp=0)
        worker.start()
        deadline = time.time() + 30
        while not ran and time.time() < deadline:
            time.sleep(0.2)
    finally:
        worker.stop()
        DAILY_SCANS.pop("test_scan", None)
    assert ran == [1]
    with engine.connect() as conn:
        assert (
            conn.execute(
                select(text("count(*)")).select_from(text("activity_log")).where(text("action = 'scan'"))
            ).scalar()
            == 1
        )
    engine.dispose()


class _StalledSender:
    """A provider that takes its time over every message."""

    name = "stalled"

    def __init__(self) -> None:
        self.finished_at: float | None = None

    def send(self, message) -> str:  # type: ignore[no-untyped-def]
        time.sleep(4.0)
        self.finished_at = time.time()
        return "late"

    def lookup(self, key: str) -> str | None:
        return None


def test_a_stalled_provider_does_not_hold_up_the_daily_scans(database):
    location = fresh_database(database, "twara_jobs_stalled")
    engine = create_engine(location.sqlalchemy_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO email_outbox (to_address, subject, body_text, status)"
                " VALUES ('a@example.rw', 'Hello', 'x', 'queued')"
            )
        )
    scanned: list[float] = []
    DAILY_SCANS["test_scan"] = lambda uow: scanned.append(time.time()) or 0
    sender = _StalledSender()
    factory = sessionmaker(engine, expire_on_commit=False)
    context = Runtime(get_config(), location, engine, factory, sender=sender)
    worker = InAppWorker(location.conninfo, context)
    try:
        app = make_app(location.conninfo)
        with app.open():
            app.tasks["twara:deliver_outbox"].defer()
            app.tasks["twara:daily_scans"].defer(timestamp=0)
        worker.start()
        deadline = time.time() + 30
        while (not scanned or sender.finished_at is None) and time.time() < deadline:
            time.sleep(0.1)
    finally:
        worker.stop()
        DAILY_SCANS.pop("test_scan", None)
        engine.dispose()
    assert scanned and sender.finished_at is not None
    assert scanned[0] < sender.finished_at  # the scans ran while the provider was still stalling
