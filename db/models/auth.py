from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
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
    __audit_ignore__ = frozenset({"last_login_at"})
    __table_args__ = (
        CheckConstraint(f"role IN ({_ROLE_LIST})", name="role_known"),
        CheckConstraint("language IN ('en', 'rw')", name="language_known"),
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
    is_demo: Mapped[bool] = mapped_column(server_default="false")  # made by `manage.py demo`, published password
    last_login_at: Mapped[dt.datetime | None]
    employee_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("employee.id", ondelete="RESTRICT"))
    created_at: Mapped[CreatedAt]


class LoginThrottle(Base):
    """Failed logins under one key: an account from one source ("acct:7|src:10.0.0.5"), or a
    source on any account ("src:10.0.0.5"). Not audited: failures are in the activity log."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(server_default="0")
    last_failure_at: Mapped[dt.datetime]
    blocked_until: Mapped[dt.datetime | None]


class UserSession(Base):
    """One login, on whichever app server: it ends on log-out, when the password or the role
    changes, when the account is disabled, or after being idle too long."""

    __tablename__ = "user_session"
    __table_args__ = (Index("ix_user_session_open", "user_id", postgresql_where=text("ended_at IS NULL")),)

    id: Mapped[IntPK]
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("app_user.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[CreatedAt]
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    ended_at: Mapped[dt.datetime | None]
    end_reason: Mapped[str | None] = mapped_column(String(30))
