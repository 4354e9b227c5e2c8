from __future__ import annotations

import datetime as dt
from typing import Any

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
    """One notice in a user's inbox, worded when it is read, in the reader's language.

    `title_msgid`/`body_msgid` are English message ids (with `*_plural` when the message has
    a count, `params["n"]`), `params` their parameters as common.i18n.encode_params keeps
    them; `title`/`body` hold the English text at the time, shown only for a notice stored
    before message ids were (migration 0014).

    `dedupe_key` names one occurrence: posting it again adds nothing. `cause` names what the
    notice is about (`low_stock:item:42:store:3`): a notice is *open* until its cause is
    resolved (`resolved_at`, set by the scan or use case that sees the cause end: stock back
    at its level, a document renewed, an appointment's result entered), read or not. A user
    has at most one open notice per cause (`uq_notification_open_cause`); a new occurrence
    updates it (new parameters, `updated_at`, unread again, `times` + 1) instead of adding
    another. Notices without a cause are deduplicated by their key alone.
    """

    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_unread", "user_id", postgresql_where=text("read_at IS NULL")),
        Index("ix_notification_user_updated", "user_id", "updated_at"),
        Index(
            "uq_notification_user_dedupe", "user_id", "dedupe_key", unique=True, postgresql_where=text("cause IS NULL")
        ),
        Index(
            "uq_notification_open_cause", "user_id", "cause", unique=True, postgresql_where=text("resolved_at IS NULL")
        ),
        Index(
            "ix_notification_open_causes",
            "cause",
            postgresql_where=text("resolved_at IS NULL AND cause IS NOT NULL"),
            postgresql_ops={"cause": "text_pattern_ops"},
        ),
        CheckConstraint("times >= 1", name="times_positive"),
    )

    id: Mapped[IntPK]
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("app_user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, server_default="")
    title_msgid: Mapped[str | None] = mapped_column(Text)
    title_plural: Mapped[str | None] = mapped_column(Text)
    body_msgid: Mapped[str | None] = mapped_column(Text)
    body_plural: Mapped[str | None] = mapped_column(Text)
    params: Mapped[dict[str, Any]] = mapped_column(server_default="{}")
    entity_type: Mapped[str | None] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(BigInteger)
    dedupe_key: Mapped[str | None] = mapped_column(String(200))
    cause: Mapped[str | None] = mapped_column(String(200))
    times: Mapped[int] = mapped_column(Integer, server_default="1")
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[CreatedAt]  # the latest occurrence; the inbox is in this order
    read_at: Mapped[dt.datetime | None]
    resolved_at: Mapped[dt.datetime | None]


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
