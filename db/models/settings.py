from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, DateTime, LargeBinary, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from common.calendar import DEFAULT_ZONE
from db.base import Audited, Base


class CompanyProfile(Audited, Base):
    """The one row describing the company that runs this Twara."""

    __tablename__ = "company_profile"
    __audit_type__ = "company_profile"
    __audit_exclude__ = frozenset({"logo"})
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint("default_language IN ('en', 'rw')", name="language_known"),
        CheckConstraint("length(currency) = 3", name="currency_iso"),
        CheckConstraint("country ~ '^[A-Z]{2}$'", name="country_iso"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(300))
    tax_id: Mapped[str | None] = mapped_column(String(30))
    # ISO 3166 code: a client with no country of its own is in this one (its TIN rule)
    country: Mapped[str] = mapped_column(String(2), server_default="RW")
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    currency: Mapped[str] = mapped_column(String(3), server_default="RWF")
    timezone: Mapped[str] = mapped_column(String(60), server_default=DEFAULT_ZONE)
    default_language: Mapped[str] = mapped_column(String(5), server_default="en")
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)


class Parameter(Audited, Base):
    """A typed business parameter (fuel price, toll rate, reminder lead times...)."""

    __tablename__ = "parameter"
    __audit_type__ = "parameter"
    __table_args__ = (CheckConstraint("kind IN ('decimal', 'int', 'text', 'bool', 'int_list')", name="kind_known"),)

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(String(30))
    group_name: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(String(300))
    min_value: Mapped[str | None] = mapped_column(String(40))  # a number's least value, a text's least length
    max_value: Mapped[str | None] = mapped_column(String(40))
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
