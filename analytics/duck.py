"""DuckDB over the live PostgreSQL (read side). The postgres extension ships in a wheel,
so this works offline. Reports attach the database read-only: analytics never writes."""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import duckdb_extension_postgres_scanner
from psycopg.conninfo import conninfo_to_dict

EXTENSION = (
    Path(duckdb_extension_postgres_scanner.__file__).resolve().parent
    / "extensions"
    / f"v{duckdb.__version__}"
    / "postgres_scanner.duckdb_extension"
)
SQL_DIR = Path(__file__).resolve().parent / "sql"
_local = threading.local()


def _libpq_value(value: object) -> str:
    text = str(value)
    if text and not any(c in text for c in " '\\"):
        return text
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _keywords(conninfo: str) -> str:
    """The URI as a libpq keyword string, quoted for a SQL string literal."""
    params = conninfo_to_dict(conninfo)
    keywords = " ".join(f"{k}={_libpq_value(v)}" for k, v in params.items() if v is not None)
    return keywords.replace("'", "''")


def connect(conninfo: str) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection per thread with the PostgreSQL database attached as `pg`."""
    cache: dict[str, duckdb.DuckDBPyConnection] = getattr(_local, "connections", {})
    _local.connections = cache
    if conninfo not in cache:
        con = duckdb.connect()
        con.execute(f"LOAD '{EXTENSION}'")
        con.execute(f"ATTACH '{_keywords(conninfo)}' AS pg (TYPE postgres, READ_ONLY)")
        cache[conninfo] = con
    return cache[conninfo]


def sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
