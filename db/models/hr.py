from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Computed,
    ForeignKey,
    Index,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Audited, Base, CreatedAt, IntPK, in_list

STAFF_CATALOGS = ("position", "department")


class StaffCatalogEntry(Audited, Base):
    """A position or a department: catalogs the company edits (on the Staff catalogs
    screen), so an employee's position and department are chosen, never typed."""

    __tablename__ = "staff_catalog"
    __audit_type__ = "staff_catalog"
    __table_args__ = (
        CheckConstraint(in_list("kind", STAFF_CATALOGS), name="kind_known"),
        CheckConstraint("length(trim(name)) > 0", name="name_not_blank"),
        Index("uq_staff_catalog_kind_name", "kind", text("lower(name)"), unique=True),
    )

    id: Mapped[IntPK]
    kind: Mapped[str] = mapped_column(String(12))
    name: Mapped[str] = mapped_column(String(120))
    archived_at: Mapped[dt.datetime | None]


class Employee(Audited, Base):
    """An employee's personal card (SPEC F6); drivers get a driver card on top of it."""

    __tablename__ = "employee"
    __audit_type__ = "employee"
    __table_args__ = (
        CheckConstraint("length(trim(full_name)) > 0", name="full_name_not_blank"),
        Index(
            "ix_employee_search_trgm",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
        Index("ix_employee_full_name", "full_name", "id"),
        Index("ix_employee_department_id", "department_id"),
        Index("ix_employee_position_id", "position_id"),
    )

    id: Mapped[IntPK]
    code: Mapped[str] = mapped_column(String(20), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    position_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("staff_catalog.id"))
    department_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("staff_catalog.id"))
    phone: Mapped[str | None] = mapped_column(String(20))
    phone_alt: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    address: Mapped[str | None] = mapped_column(String(300))
    national_id: Mapped[str | None] = mapped_column(String(30))
    birth_date: Mapped[dt.date | None]
    hire_date: Mapped[dt.date | None]
    photo_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("attachment.id", ondelete="SET NULL", use_alter=True)
    )
    notes: Mapped[str | None] = mapped_column(Text)
    archived_at: Mapped[dt.datetime | None]
    # one lower-cased text of the searchable fields, indexed with trigrams for fast search (the
    # position's and department's names are searched in their catalog: core.services.employees)
    search_text: Mapped[str] = mapped_column(
        Text,
        Computed(
            "lower(code || ' ' || full_name || ' ' || coalesce(phone, '') || ' ' "
            "|| coalesce(phone_alt, '') || ' ' || coalesce(email, ''))",
            persisted=True,
        ),
    )
    created_at: Mapped[CreatedAt]
