"""Engine, sessions and the unit of work. One engine and sessionmaker per process."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

import db.audit  # noqa: F401  (registers the activity-log listener)
from core.actor import Actor

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
    """One business transaction. Services commit once; leaving without commit rolls back."""

    def __init__(self, session_factory: Callable[[], Session], actor: Actor | None) -> None:
        self._factory = session_factory
        self.actor = actor
        self._after_commit: list[Callable[[], Any]] = []

    def __enter__(self) -> UnitOfWork:
        self.session = self._factory()
        self.session.info["actor"] = self.actor
        self._after_commit = []
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.session.rollback()
        finally:
            self.session.close()

    def commit(self) -> None:
        self.session.commit()
        hooks, self._after_commit = self._after_commit, []
        for hook in hooks:
            try:
                hook()
            except Exception:  # after-commit work is best effort; periodic jobs catch up
                pass

    def after_commit(self, hook: Callable[[], Any]) -> None:
        self._after_commit.append(hook)
