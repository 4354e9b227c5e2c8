"""Engine, sessions and the unit of work. One engine and sessionmaker per process."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import psycopg
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

import db.audit
import db.lengths  # noqa: F401  (registers the text-length check)
from common.actor import Actor
from common.errors import RecordChanged
from common.outbound import Outbound

_lock = threading.Lock()
_engines: dict[str, tuple[Engine, sessionmaker[Session]]] = {}


def engine_for(sqlalchemy_url: str) -> tuple[Engine, sessionmaker[Session]]:
    with _lock:
        if sqlalchemy_url not in _engines:
            engine = create_engine(
                sqlalchemy_url,
                pool_size=5,
                max_overflow=10,
                pool_recycle=1800,
                hide_parameters=True,  # a logged database error never shows the values (a password hash)
            )
            _ping_when_idle(engine)
            _engines[sqlalchemy_url] = (engine, sessionmaker(engine, expire_on_commit=False))
        return _engines[sqlalchemy_url]


IDLE_PING_SECONDS = 10.0


def _ping_when_idle(engine: Engine) -> None:
    """A pooled connection idle for a while is pinged before use (a restarted or failed-over
    server has closed it); one used a moment ago is not, which saves a round trip on every
    unit of work under load. A failed ping makes the pool open a fresh connection."""

    @event.listens_for(engine, "checkin")
    def _checkin(dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_conn: Any, record: Any, proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < IDLE_PING_SECONDS:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_conn)
        except Exception as exc:
            raise DisconnectionError("stale pooled connection") from exc
        if not alive:
            raise DisconnectionError("stale pooled connection")


class UnitOfWork:
    """One business transaction. Services commit once; leaving without commit rolls back.

    A unit of work entered while it is already open joins its transaction: one use case
    may call another with the same unit of work, the inner `commit()` only flushes (so its
    errors surface where it can name them), and the outermost commit commits both, or the
    outermost exit rolls both back. The session opens on first use, and carries the actor
    (the activity log signs with it) and what notices need to know of the outside world
    (`outbound`: is e-mail configured, the address people open). A use case that is one
    statement can instead run it `alone`: a transaction of its own on a pooled driver
    connection, one round trip.

    A flush that meets a row another transaction changed since it was loaded (the version
    counter of an audited row, db.base.Audited) leaves as `RecordChanged`: nothing saved."""

    def __init__(
        self, session_factory: Callable[[], Session], actor: Actor | None, outbound: Outbound | None = None
    ) -> None:
        self._factory = session_factory
        self.actor = actor
        self.outbound = outbound or Outbound()
        self._after_commit: list[Callable[[], Any]] = []
        self._session: Session | None = None
        self._depth = 0

    def __enter__(self) -> UnitOfWork:
        if self._depth == 0:
            self._session = None
            self._after_commit = []
        self._depth += 1
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self._depth -= 1
        if self._depth == 0 and self._session is not None:
            session, self._session = self._session, None
            try:
                session.rollback()
            finally:
                session.close()
        if isinstance(exc, StaleDataError):  # two saves of one record met in the same instant
            raise RecordChanged() from exc

    @classmethod
    def joining(cls, session: Session, actor: Actor | None = None) -> UnitOfWork:
        """A unit of work inside a transaction someone else holds open on `session` (a loader
        writing many things in one transaction): its commits only flush, and the session
        stays the owner's to commit or roll back."""
        uow = cls(lambda: session, actor if actor is not None else session.info.get("actor"))
        uow._session = session
        uow._depth = 1
        return uow

    @property
    def session(self) -> Session:
        if self._session is None:
            self._session = self._factory()
            self._session.info["actor"] = self.actor
            self._session.info["outbound"] = self.outbound
        return self._session

    def run_alone(self, statement: str, params: dict[str, Any]) -> tuple[Any, ...] | None:
        """Run one driver-level statement as a transaction of its own (autocommit: no BEGIN
        and COMMIT round trips, no session) and return its first row. Returns None, having
        run nothing, when the unit of work cannot: its session is in use, or it is joined to
        an outer transaction (the tests' rolled-back connection); the caller then takes the
        usual way. Errors are the driver's (psycopg.Error)."""
        bind = getattr(self._factory, "kw", {}).get("bind")
        if self._session is not None or self._depth > 1 or not isinstance(bind, Engine):
            return None
        pooled = bind.raw_connection()
        try:
            driver = pooled.driver_connection
            assert driver is not None
            driver.autocommit = True
            try:
                cursor = pooled.cursor()
                cursor.execute(statement, params)
                row = cursor.fetchone()
                cursor.close()
            finally:
                if not driver.closed:
                    driver.autocommit = False
        except psycopg.OperationalError:
            pooled.invalidate()  # a lost connection is not given to the next user
            raise
        finally:
            pooled.close()
        return tuple(row) if row is not None else None

    def commit(self) -> None:
        if self._depth > 1:  # joined: the outer use case commits, or rolls back, for both
            if self._session is not None:
                self._session.flush()
            return
        if self._session is not None:
            self._session.commit()
        hooks, self._after_commit = self._after_commit, []
        for hook in hooks:
            try:
                hook()
            except Exception:  # after-commit work is best effort; periodic jobs catch up
                pass

    def after_commit(self, hook: Callable[[], Any]) -> None:
        self._after_commit.append(hook)
