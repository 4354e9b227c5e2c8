from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, DateTime, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class ActivityLog(Base):
    """SPEC P3: who did what, when, to which record, with the values before and after.

    Append-only: the application never updates or deletes a row here.
    """

    __tablename__ = "activity_log"
    __table_args__ = (
        Index("ix_activity_log_entity", "entity_type", "entity_id", "at"),
        Index("ix_activity_log_user_at", "user_id", "at"),
        Index("ix_activity_log_at", "at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.clock_timestamp())
    user_id: Mapped[int | None] = mapped_column(BigInteger)
    username: Mapped[str | None] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(40))
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(40))
    changes: Mapped[dict[str, Any]] = mapped_column(server_default="{}")
