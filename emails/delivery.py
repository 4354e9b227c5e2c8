"""Deliver what waits in the outbox. Safe to run from several workers at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.models.notify import EmailOutbox
from emails.port import EmailMessage, EmailSender, SendFailed

MAX_ATTEMPTS = 8
BATCH = 50


def retry_delay(attempts: int) -> dt.timedelta:
    """Back off 1, 2, 4 ... minutes, at most an hour."""
    return dt.timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


def deliver_pending(
    session_factory: Callable[[], Session], sender: EmailSender | None, now: dt.datetime | None = None
) -> int:
    """Send queued and due-for-retry messages; returns how many were sent.

    Rows are claimed with FOR UPDATE SKIP LOCKED, so two workers never send one twice.
    With no sender configured nothing is sent (messages stay `not_sent` for the admin).
    """
    if sender is None:
        return 0
    sent = 0
    while True:
        with session_factory() as session:
            moment = now or dt.datetime.now(dt.UTC)
            rows = session.scalars(
                select(EmailOutbox)
                .where(
                    EmailOutbox.status.in_(("queued", "failed")),
                    EmailOutbox.attempts < MAX_ATTEMPTS,
                    or_(EmailOutbox.next_attempt_at.is_(None), EmailOutbox.next_attempt_at <= moment),
                )
                .order_by(EmailOutbox.id)
                .limit(BATCH)
                .with_for_update(skip_locked=True)
            ).all()
            if not rows:
                return sent
            for row in rows:
                row.attempts += 1
                try:
                    row.provider_message_id = sender.send(
                        EmailMessage(row.to_address, row.subject, row.body_text, row.body_html)
                    )
                except Exception as exc:  # SendFailed or anything unexpected: this row waits, others go
                    row.status = "failed"
                    row.last_error = str(exc) if isinstance(exc, SendFailed) else f"{type(exc).__name__}: {exc}"
                    row.next_attempt_at = moment + retry_delay(row.attempts)
                else:
                    row.status = "sent"
                    row.sent_at = dt.datetime.now(dt.UTC)
                    row.last_error = None
                    sent += 1
            session.commit()
            if len(rows) < BATCH:
                return sent
