"""The procrastinate app on Twara's PostgreSQL, and the in-app worker thread."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from importlib import resources

from procrastinate import App, PsycopgConnector
from sqlalchemy import Connection, text

from jobs.tasks import JobContext, register

log = logging.getLogger(__name__)


def schema_sql() -> str:
    return (resources.files("procrastinate.sql") / "schema.sql").read_text(encoding="utf-8")


def install_schema(conn: Connection) -> bool:
    """Install procrastinate's tables if they are missing (called by the migration, under
    its advisory lock). Returns True when it installed them."""
    if conn.execute(text("SELECT to_regclass('public.procrastinate_jobs') IS NOT NULL")).scalar_one():
        return False
    # raw driver call: the schema holds literal '%' that a parameter style would read
    conn.connection.driver_connection.execute(schema_sql())  # type: ignore[union-attr]
    return True


def make_app(conninfo: str, context: JobContext | None = None) -> App:
    """The procrastinate app; a worker needs the `context` its tasks run in."""
    return register(App(connector=PsycopgConnector(conninfo=conninfo, min_size=1, max_size=4)), context)


class InAppWorker:
    """A worker running in a daemon thread of the app process (small offices)."""

    def __init__(self, conninfo: str, context: JobContext, delay_s: float = 0.0, concurrency: int = 3) -> None:
        self.conninfo = conninfo
        self.context = context
        self.concurrency = concurrency  # a slow provider holds one slot; the scans keep theirs
        self.delay_s = delay_s
        self.thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self.thread and self.thread.is_alive():
            return
        self.thread = threading.Thread(target=self._run, name="twara-worker", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        if self.delay_s:
            time.sleep(self.delay_s)  # let the first screen render before the worker starts

        async def main() -> None:
            app = make_app(self.conninfo, self.context)
            async with app.open_async():
                self._task = asyncio.current_task()
                await app.run_worker_async(
                    name="in-app",
                    concurrency=self.concurrency,
                    install_signal_handlers=False,
                    delete_jobs="successful",
                )

        self._loop = asyncio.new_event_loop()
        try:
            self._loop.run_until_complete(main())
        except asyncio.CancelledError:
            pass
        except Exception:
            log.exception("in-app worker stopped")
        finally:
            self._loop.close()

    def stop(self, timeout: float = 10.0) -> None:
        if self._loop and self._task and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._task.cancel)
        if self.thread:
            self.thread.join(timeout)


def defer_outbox_delivery(conninfo: str) -> None:
    """Ask a worker to send the outbox now (best effort; the periodic task catches up)."""
    from procrastinate import exceptions

    app = make_app(conninfo)
    with app.open():
        try:
            app.tasks["twara:deliver_outbox"].defer()
        except exceptions.AlreadyEnqueued:
            pass
