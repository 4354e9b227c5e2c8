"""AppTest runs the real pages against a database of their own on the test server."""

from __future__ import annotations

import os

import pytest

from common.actor import Actor
from common.roles import ROLES
from tests.conftest import fresh_database


@pytest.fixture(scope="session")
def app_db(database):  # type: ignore[no-untyped-def]
    location = fresh_database(database, "twara_apptest")
    import config
    import runtime as runtime_module

    os.environ["DATABASE_URL"] = location.conninfo
    os.environ["TWARA_IN_APP_WORKER"] = "0"
    config.get_config.cache_clear()
    runtime_module.reset_runtime()
    from db.session import engine_for
    from demo.load import load_demo

    _, factory = engine_for(location.sqlalchemy_url)
    load_demo(factory, "small")
    yield location
    runtime_module.reset_runtime()
    os.environ.pop("DATABASE_URL", None)
    config.get_config.cache_clear()


@pytest.fixture(scope="session")
def actors(app_db) -> dict[str, Actor]:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from core.services.sessions import authenticate
    from db.models.auth import User
    from db.session import UnitOfWork, engine_for
    from demo.load import DEMO_PASSWORD

    _, factory = engine_for(app_db.sqlalchemy_url)
    with factory() as s:
        users = {u.role: u for u in s.scalars(select(User))}
    assert set(users) == set(ROLES)
    # each role logged in for real: the shell checks the session on every run
    return {
        role: authenticate(UnitOfWork(factory, None), u.username, DEMO_PASSWORD, source="apptest")
        for role, u in users.items()
    }
