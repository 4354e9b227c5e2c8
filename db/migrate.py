"""Bring the database to the current schema, once, however many processes start together."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

ROOT = Path(__file__).resolve().parent.parent
LOCK_KEY = "twara-migrate"


def alembic_config() -> AlembicConfig:
    return AlembicConfig(str(ROOT / "alembic.ini"))


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_to_head(engine: Engine, also: Callable[[Connection], bool] | None = None) -> bool:
    """Upgrade under a PostgreSQL advisory lock. Returns True when this call migrated.

    A second process waits on the lock, then finds the schema already at head. `also`
    installs what lives beside Twara's schema under the same lock (the composition root
    passes the job queue's tables); it returns True when it changed something.
    """
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(hashtext(:k))"), {"k": LOCK_KEY})
        conn.commit()
        try:
            migrated = False
            current = MigrationContext.configure(conn).get_current_revision()
            if current != head_revision():
                cfg = alembic_config()
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                conn.commit()
                migrated = True
            if also is not None and also(conn):
                conn.commit()
                migrated = True
            return migrated
        finally:
            conn.rollback()
            conn.execute(text("SELECT pg_advisory_unlock(hashtext(:k))"), {"k": LOCK_KEY})
            conn.commit()
