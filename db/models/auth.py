from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from common.roles import ROLES
from db.base import Audited, Base, CreatedAt, IntPK

_ROLE_LIST = ", ".join(f"'{r}'" for r in ROLES)


class User(Audited, Base):
    __tablename__ = "app_user"
    __audit_type__ = "user"
    __audit_exclude__ = frozenset({"password_hash"})
    __audit_ignore__ = frozenset({"last_login_at", "failed_logins", "locked_until"})
    __table_args__ = (
        CheckConstraint(f"role IN ({_ROLE_LIST})", name="role_known"),
        CheckConstraint("language IN ('en', 'rw')", name="language_known"),
        CheckConstraint("failed_logins >= 0", name="failed_logins_not_negative"),
        Index("uq_app_user_username_lower", func.lower(text("username")), unique=True),
    )

    id: Mapped[IntPK]
    username: Mapped[str] = mapped_column(String(60))
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(30))
    language: Mapped[str] = mapped_column(String(5), server_default="en")
    password_hash: Mapped[str] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(server_default="true")
    failed_logins: Mapped[int] = mapped_column(server_default="0")
    locked_until: Mapped[dt.datetime | None]
    last_login_at: Mapped[dt.datetime | None]
    employee_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("employee.id", ondelete="RESTRICT"))
    created_at: Mapped[CreatedAt]
