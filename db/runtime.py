"""Everything a process needs to talk to its database, built once per process."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from config import Config, get_config
from db.migrate import upgrade_to_head
from db.server import DatabaseLocation, locate
from db.session import engine_for
from emails.port import EmailSender

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


_runtime: Runtime | None = None
_lock = threading.Lock()


def make_sender(config: Config) -> EmailSender | None:
    if config.sendgrid_api_key:
        from emails.sendgrid_sender import SendGridSender

        return SendGridSender(config.sendgrid_api_key, config.mail_from, config.sendgrid_host)
    return None


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
        upgrade_to_head(engine)
        runtime = Runtime(cfg, location, engine, factory, make_sender(cfg))
        if cfg.in_app_worker if start_worker is None else start_worker:
            from jobs.app import InAppWorker

            runtime.worker = InAppWorker(location.conninfo, delay_s=3.0)
            runtime.worker.start()
        _runtime = runtime
        return runtime


def get_runtime() -> Runtime:
    return _runtime if _runtime is not None else init_runtime(start_worker=False)
