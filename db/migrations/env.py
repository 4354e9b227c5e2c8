"""Alembic environment. The app passes an open connection (under its advisory lock);
from the command line the URL comes from the same place the app finds it."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

import db.models  # noqa: F401
from db.base import Base

target_metadata = Base.metadata


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    # procrastinate's tables are managed by procrastinate's own schema
    return not (type_ == "table" and reflected and compare_to is None and name and name.startswith("procrastinate"))


def _configure(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=include_object,
        compare_type=True,
    )


connection = context.config.attributes.get("connection")
if connection is not None:
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()
else:
    from config import get_config
    from db.server import locate

    cfg = get_config()
    location = locate(cfg.database_url, cfg.data_dir)
    engine = create_engine(location.sqlalchemy_url)
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()
