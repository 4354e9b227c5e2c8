"""Shared fixtures. Integration tests run on a real embedded PostgreSQL, started once."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("TWARA_IN_APP_WORKER", "0")


@pytest.fixture(scope="session")
def pg_data_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="twara-test-") as tmp:
        yield Path(tmp)


@pytest.fixture(scope="session")
def database(pg_data_dir: Path):  # type: ignore[no-untyped-def]
    """The test database: embedded server (or TEST_DATABASE_URL), migrated to head."""
    from db.server import locate
    from db.session import engine_for
    from runtime import migrate

    url = os.environ.get("TEST_DATABASE_URL")
    location = locate(url, pg_data_dir)
    engine, _ = engine_for(location.sqlalchemy_url)
    migrate(engine)
    return location


@pytest.fixture(scope="session")
def engine(database):  # type: ignore[no-untyped-def]
    from db.session import engine_for

    return engine_for(database.sqlalchemy_url)[0]


def fresh_database(database, name: str):  # type: ignore[no-untyped-def]
    """A new, empty, migrated database on the test server (for tests that commit)."""
    import psycopg

    from db.server import DatabaseLocation
    from db.session import engine_for
    from runtime import migrate

    base = database.conninfo
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    head, _, tail = base.partition("?")
    prefix = head.rsplit("/", 1)[0]
    conninfo = f"{prefix}/{name}" + (f"?{tail}" if tail else "")
    location = DatabaseLocation(conninfo=conninfo, embedded=database.embedded, bin_dir=database.bin_dir)
    engine, _ = engine_for(location.sqlalchemy_url)
    migrate(engine)
    return location
