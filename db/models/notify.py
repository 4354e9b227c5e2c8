from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, CreatedAt, IntPK


class Notification(Base):
    """One message in a user's in-app inbox."""

    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_unread", "user_id", postgresql_where=text("read_at IS NULL")),
        Index("ix_notification_user_created", "user_id", "created_at"),
        Index("uq_notification_user_dedupe", "user_id", "dedupe_key", unique=True),
    )

    id: Mapped[IntPK]
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("app_user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, server_default="")
    entity_type: Mapped[str | None] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(BigInteger)
    dedupe_key: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[CreatedAt]
    read_at: Mapped[dt.datetime | None]


class EmailOutbox(Base):
    """Every e-mail Twara produces, written in the transaction that caused it.

    status: queued (a provider is configured, waiting for the worker), sending (claimed by a
    worker, the provider is being called), sent, failed (refused or unreachable: retried),
    unknown (no answer, or the worker died: the provider is asked before anything is resent),
    held (the provider cannot tell: an administrator resends it or leaves it), not_sent (no
    provider configured: kept for an administrator).
    """

    __tablename__ = "email_outbox"
    __table_args__ = (
        CheckConstraint(
            "status IN ('queued', 'sending', 'sent', 'failed', 'unknown', 'held', 'not_sent')", name="status_known"
        ),
        Index("ix_email_outbox_pending", "id", postgresql_where=text("status IN ('queued', 'failed')")),
        Index("ix_email_outbox_in_doubt", "claimed_at", postgresql_where=text("status IN ('sending', 'unknown')")),
    )

    id: Mapped[IntPK]
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)
    provider_message_id: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[CreatedAt]
    sent_at: Mapped[dt.datetime | None]
    next_attempt_at: Mapped[dt.datetime | None]
    claimed_at: Mapped[dt.datetime | None]  # when a worker took it to send, or to ask the provider about it
