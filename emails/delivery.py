"""Deliver what waits in the outbox: each message at most once, safe from several workers.

Each message is claimed in a transaction of its own (status `sending`, committed) before
the provider is called, and settled in another after it answers; no transaction is open
while the provider is on the line. A worker that dies mid-way leaves at most the one
message it was sending in `sending`; a timeout leaves it `unknown`. Neither is resent
blindly: once the lease has passed, `reconcile` asks the provider whether it has the
message (by the key it was sent with) and marks it sent, queues it again (the provider has
none), or holds it for an administrator (the provider cannot tell).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from db.models.notify import EmailOutbox
from emails.port import DeliveryUnknown, EmailMessage, EmailSender, LookupUnavailable, SendFailed

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
LEASE = dt.timedelta(minutes=10)  # a claim older than this belongs to a worker that is gone
BUDGET_S = 45.0  # one run stops starting new sends after this; the next minute's run goes on
RECONCILE_BATCH = 100


def retry_delay(attempts: int) -> dt.timedelta:
    """Back off 1, 2, 4 ... minutes, at most an hour."""
    return dt.timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


def outbox_key(outbox_id: int) -> str:
    return f"twara-outbox-{outbox_id}"


@dataclass(frozen=True)
class _Claim:
    id: int
    attempts: int
    message: EmailMessage


def _claim(session_factory: Callable[[], Session], moment: dt.datetime) -> _Claim | None:
    """Take the next due message for this worker, in a committed transaction of its own."""
    due = (
        select(EmailOutbox.id)
        .where(
            EmailOutbox.status.in_(("queued", "failed")),
            EmailOutbox.attempts < MAX_ATTEMPTS,
            or_(EmailOutbox.next_attempt_at.is_(None), EmailOutbox.next_attempt_at <= moment),
        )
        .order_by(EmailOutbox.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    stmt = (
        update(EmailOutbox)
        .where(EmailOutbox.id == due)
        .values(status="sending", attempts=EmailOutbox.attempts + 1, claimed_at=moment)
        .returning(
            EmailOutbox.id,
            EmailOutbox.attempts,
            EmailOutbox.to_address,
            EmailOutbox.subject,
            EmailOutbox.body_text,
            EmailOutbox.body_html,
        )
    )
    with session_factory() as session:
        row = session.execute(stmt).one_or_none()
        session.commit()
    if row is None:
        return None
    message = EmailMessage(row.to_address, row.subject, row.body_text, row.body_html, key=outbox_key(row.id))
    return _Claim(row.id, row.attempts, message)


def _settle(session_factory: Callable[[], Session], outbox_id: int, held: tuple[str, ...], **values: object) -> None:
    """Record what happened to a claimed message (only while it is still in a `held` state)."""
    with session_factory() as session:
        session.execute(
            update(EmailOutbox).where(EmailOutbox.id == outbox_id, EmailOutbox.status.in_(held)).values(**values)
        )
        session.commit()


def deliver_pending(
    session_factory: Callable[[], Session],
    sender: EmailSender | None,
    now: dt.datetime | None = None,
    budget_s: float = BUDGET_S,
) -> int:
    """Reconcile what an earlier run left in doubt, then send queued and due-for-retry
    messages one by one until none is left or the time budget is spent; returns how many
    were sent. With no sender configured nothing is sent (messages stay `not_sent`)."""
    if sender is None:
        return 0
    moment = now or dt.datetime.now(dt.UTC)
    reconcile(session_factory, sender, moment)
    sent = 0
    deadline = time.monotonic() + budget_s
    while time.monotonic() < deadline:
        claim = _claim(session_factory, moment)
        if claim is None:
            break
        try:
            provider_id = sender.send(claim.message)
        except DeliveryUnknown as exc:
            _settle(session_factory, claim.id, ("sending",), status="unknown", last_error=str(exc)[:1000])
        except Exception as exc:  # SendFailed or anything unexpected: this one waits, the others go
            error = str(exc) if isinstance(exc, SendFailed) else f"{type(exc).__name__}: {exc}"
            _settle(
                session_factory,
                claim.id,
                ("sending",),
                status="failed",
                last_error=error[:1000],
                next_attempt_at=moment + retry_delay(claim.attempts),
            )
        else:
            _settle(
                session_factory,
                claim.id,
                ("sending",),
                status="sent",
                provider_message_id=provider_id[:200],
                sent_at=dt.datetime.now(dt.UTC),
                last_error=None,
            )
            sent += 1
    return sent


def reconcile(session_factory: Callable[[], Session], sender: EmailSender, now: dt.datetime | None = None) -> int:
    """Decide the messages whose fate is unknown (a worker died while sending, or the
    provider did not answer), once their lease has passed. Returns how many were decided."""
    moment = now or dt.datetime.now(dt.UTC)
    stale = moment - LEASE
    with session_factory() as session:
        ids = list(
            session.scalars(
                select(EmailOutbox.id)
                .where(EmailOutbox.status.in_(("sending", "unknown")), EmailOutbox.claimed_at <= stale)
                .order_by(EmailOutbox.id)
                .limit(RECONCILE_BATCH)
            )
        )
    decided = 0
    for outbox_id in ids:
        # take the lease again, so a second worker does not ask about the same message
        with session_factory() as session:
            mine = session.execute(
                update(EmailOutbox)
                .where(
                    EmailOutbox.id == outbox_id,
                    EmailOutbox.status.in_(("sending", "unknown")),
                    EmailOutbox.claimed_at <= stale,
                )
                .values(status="unknown", claimed_at=moment)
                .returning(EmailOutbox.id)
            ).scalar_one_or_none()
            session.commit()
        if mine is None:
            continue
        try:
            provider_id = sender.lookup(outbox_key(outbox_id))
        except LookupUnavailable as exc:
            log.warning("outbox %s: delivery unknown and the provider cannot tell (%s)", outbox_id, exc)
            _settle(
                session_factory,
                outbox_id,
                ("unknown",),
                status="held",
                last_error="Delivery unknown after an interruption; the provider cannot tell.",
            )
        else:
            if provider_id is not None:
                _settle(
                    session_factory,
                    outbox_id,
                    ("unknown",),
                    status="sent",
                    provider_message_id=provider_id[:200],
                    sent_at=moment,
                    last_error=None,
                )
            else:  # the provider never got it: safe to send
                _settle(
                    session_factory,
                    outbox_id,
                    ("unknown",),
                    status="queued",
                    next_attempt_at=None,
                    last_error="Not received by the provider after an interruption; sent again.",
                )
        decided += 1
    return decided
