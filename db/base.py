"""Declarative base shared by every model: naming convention and money/quantity types."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from sqlalchemy import BigInteger, DateTime, Integer, MetaData, Numeric, String, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Money = Annotated[Decimal, mapped_column(Numeric(14, 2))]
Quantity = Annotated[Decimal, mapped_column(Numeric(14, 3))]
Str80 = Annotated[str, mapped_column(String(80))]
Str200 = Annotated[str, mapped_column(String(200))]
IntPK = Annotated[int, mapped_column(BigInteger, primary_key=True, autoincrement=True)]
CreatedAt = Annotated[dt.datetime, mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)]


def in_list(column: str, values: tuple[str, ...]) -> str:
    """The SQL of a CHECK that a column holds one of `values`."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        Decimal: Numeric(14, 2),
        dt.datetime: DateTime(timezone=True),
        dict[str, Any]: JSONB,
        str: String(200),
    }


class Audited:
    """Mixin: inserts, updates and archives of this model are written to the activity log,
    and each row carries a `version` for optimistic locking.

    `version` is SQLAlchemy's `version_id_col`: every UPDATE of the row says
    `WHERE version = <the one loaded>`, so a flush that meets a row someone else changed
    meanwhile fails (StaleDataError) instead of overwriting it. The number is raised by the
    unit of work (db.audit) when a change worth a log row is flushed, and not for
    bookkeeping columns (`__audit_ignore__`, a login time), so an edit form refused for a
    newer version always has a log row that says who changed the record and when.

    `__audit_exclude__` names columns whose values must never be copied into the log
    (a password hash is logged as changed, never shown); `__audit_ignore__` names
    bookkeeping columns (last login time) that are recorded by their own events.
    """

    __audit_exclude__: frozenset[str] = frozenset()
    # bookkeeping columns whose changes are not worth a log row of their own
    __audit_ignore__: frozenset[str] = frozenset()
    __audit_type__: str = ""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default=text("1"))

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        # the counter is raised by db.audit (version_id_generator=False): only real changes count
        return {"version_id_col": cls.__table__.c.version, "version_id_generator": False}  # type: ignore[attr-defined]
