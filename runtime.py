"""The composition root: everything a process needs, built once per process.

It finds (or starts) the database and migrates it, picks the e-mail sender from the
configuration, and starts the in-app worker. Nothing below it (db/, core/, emails/, jobs/)
builds any of these itself; they are handed what they need: a unit of work carrying the
actor and the `Outbound` facts, a sender, a job context.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from common.actor import Actor
from common.outbound import Outbound
from config import Config, get_config
from db.migrate import upgrade_to_head
from db.server import DatabaseLocation, locate
from db.session import UnitOfWork, engine_for
from emails.port import EmailSender
from emails.sendgrid_sender import SendGridSender
from jobs.app import InAppWorker, install_schema, make_app

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    config: Config
    location: DatabaseLocation
    engine: Engine
    sessionmaker: sessionmaker[Session]
    sender: EmailSender | None
    worker: Any = None

    @property
    def email_configured(self) -> bool:
        return self.sender is not None

    @property
    def outbound(self) -> Outbound:
        return Outbound(
            email_configured=self.email_configured, base_url=self.config.app_base_url, routing=self.config.routing
        )

    def uow(self, actor: Actor | None = None) -> UnitOfWork:
        """A unit of work of this process (no actor: the system, as the scans run)."""
        return UnitOfWork(self.sessionmaker, actor, self.outbound)

    def job_app(self) -> Any:
        """The job queue's app, able to run Twara's tasks in this process (`manage.py worker`)."""
        return make_app(self.location.conninfo, self)


_runtime: Runtime | None = None
_lock = threading.Lock()


def make_sender(config: Config) -> EmailSender | None:
    if config.sendgrid_api_key:
        return SendGridSender(config.sendgrid_api_key, config.mail_from, config.sendgrid_host)
    return None


def migrate(engine: Engine) -> bool:
    """Twara's schema and the job queue's tables, under one advisory lock."""
    return upgrade_to_head(engine, also=install_schema)


def init_runtime(config: Config | None = None, *, start_worker: bool | None = None) -> Runtime:
    """Find or start the database, migrate it, and (by default) start the in-app worker.

    Raises db.server.DatabaseUnavailable with a message meant for a person.
    """
    global _runtime
    with _lock:
        if _runtime is not None:
            return _runtime
        cfg = config or get_config()
        location = locate(cfg.database_url, cfg.data_dir)
        engine, factory = engine_for(location.sqlalchemy_url)
        migrate(engine)
        runtime = Runtime(cfg, location, engine, factory, make_sender(cfg))
        if cfg.in_app_worker if start_worker is None else start_worker:
            runtime.worker = InAppWorker(location.conninfo, runtime, delay_s=3.0)
            runtime.worker.start()
        _runtime = runtime
        return runtime


def get_runtime() -> Runtime:
    return _runtime if _runtime is not None else init_runtime(start_worker=False)


def reset_runtime() -> None:
    """Forget this process's runtime (tests and benchmarks that switch databases)."""
    global _runtime
    with _lock:
        _runtime = None
