"""Each integration test runs inside a transaction that is rolled back at the end.

Services commit as usual; their commits release savepoints of the outer transaction
(SQLAlchemy's "joining a session into an external transaction" recipe).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Connection
from sqlalchemy.orm import Session, sessionmaker

from common.actor import Actor
from db.session import UnitOfWork


@pytest.fixture
def connection(engine) -> Iterator[Connection]:  # type: ignore[no-untyped-def]
    conn = engine.connect()
    outer = conn.begin()
    try:
        yield conn
    finally:
        outer.rollback()
        conn.close()


@pytest.fixture
def session_factory(connection: Connection) -> sessionmaker[Session]:
    return sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)


@pytest.fixture
def uow(session_factory: sessionmaker[Session]) -> Callable[[Actor | None], UnitOfWork]:
    def make(actor: Actor | None = None) -> UnitOfWork:
        return UnitOfWork(session_factory, actor)

    return make


@pytest.fixture
def admin(uow) -> Actor:  # type: ignore[no-untyped-def]
    from core.services.users import create_first_admin

    user_id = create_first_admin(uow(None), "admin", "Alice Uwase", "Secret-pass-1", email="alice@example.rw")
    return Actor(user_id=user_id, username="admin", role="administrator")


def make_user(uow, admin: Actor, username: str, role: str, email: str = "") -> Actor:  # type: ignore[no-untyped-def]
    from core.services.users import UserInput, create_user

    uid = create_user(
        uow(admin),
        admin,
        UserInput(username=username, full_name=username.title() + " Test", role=role, email=email),
        "Good-pass-123",
    )
    return Actor(user_id=uid, username=username, role=role)
