"""The in-app inbox, and e-mail of the same notice through the outbox."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from common.actor import Actor
from common.errors import DomainError, NotFound
from common.i18n import N_, translate
from common.outbound import Outbound
from common.roles import ADMIN
from core.services.listing import ListQuery, PageResult, run_page
from db.audit import log_event
from db.models.auth import User
from db.models.notify import EmailOutbox, Notification
from db.models.settings import CompanyProfile, Parameter
from db.session import UnitOfWork
from emails.render import render


@dataclass(frozen=True)
class Notice:
    kind: str
    title: str  # English message id, translated per reader
    body: str = ""
    params: tuple[tuple[str, object], ...] = ()
    entity_type: str | None = None
    entity_id: int | None = None
    dedupe_key: str | None = None


def outbound_of(session: Session) -> Outbound:
    """What the unit of work that opened `session` knows of e-mail and the app's address."""
    found = session.info.get("outbound")
    return found if isinstance(found, Outbound) else Outbound()


def notify(session: Session, user_ids: list[int], notice: Notice) -> list[int]:
    """Post a notice to users' inboxes, in the caller's transaction.

    A `dedupe_key` makes the notice idempotent per user: posting it again (a restart, a
    second worker) adds nothing. Users with an e-mail address also get it by e-mail
    (queued in the outbox when the unit of work says a provider is configured, or kept
    there as not sent), with a link to the address people open (TWARA_BASE_URL).
    Returns the ids of the users who got a new notice.
    """
    outbound = outbound_of(session)
    if not user_ids:
        return []
    users = session.execute(
        select(User.id, User.language, User.email).where(User.id.in_(user_ids), User.is_active)
    ).all()
    params = dict(notice.params)
    new_users: list[int] = []
    for uid, lang, _ in users:
        title = translate(notice.title, lang, **params)
        body = translate(notice.body, lang, **params) if notice.body else ""
        stmt = (
            insert(Notification)
            .values(
                user_id=uid,
                kind=notice.kind,
                title=title[:200],
                body=body,
                entity_type=notice.entity_type,
                entity_id=notice.entity_id,
                dedupe_key=notice.dedupe_key,
            )
            .on_conflict_do_nothing(index_elements=["user_id", "dedupe_key"])
            .returning(Notification.id)
        )
        if session.execute(stmt).scalar_one_or_none() is not None:
            new_users.append(uid)
    email_on = session.get(Parameter, "notifications.email_enabled")
    if email_on is None or email_on.value != "true":
        return new_users
    company = session.get(CompanyProfile, 1)
    company_name = company.name if company else "Twara"
    for uid, lang, address in users:
        if uid not in new_users or not address:
            continue
        title = translate(notice.title, lang, **params)
        body = translate(notice.body, lang, **params) if notice.body else ""
        text_body, html_body = render(
            "notification", lang, title=title, body=body, company=company_name, url=outbound.base_url
        )
        session.add(
            EmailOutbox(
                to_address=address,
                subject=title[:300],
                body_text=text_body,
                body_html=html_body,
                status="queued" if outbound.email_configured else "not_sent",
            )
        )
    session.flush()
    return new_users


def users_with_roles(session: Session, roles: frozenset[str]) -> list[int]:
    return list(session.scalars(select(User.id).where(User.role.in_(roles), User.is_active)))


def unread_count(uow: UnitOfWork, actor: Actor) -> int:
    with uow:
        return uow.session.execute(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == actor.user_id, Notification.read_at.is_(None))
        ).scalar_one()


def list_inbox(uow: UnitOfWork, actor: Actor, q: ListQuery) -> PageResult:
    cols: dict[str, Any] = {
        "id": Notification.id,
        "created_at": Notification.created_at,
        "kind": Notification.kind,
        "title": Notification.title,
        "body": Notification.body,
        "entity_type": Notification.entity_type,
        "entity_id": Notification.entity_id,
        "read_at": Notification.read_at,
    }
    stmt = select(*[c.label(k) for k, c in cols.items()]).where(Notification.user_id == actor.user_id)
    if q.filter_value("unread") == "1":
        stmt = stmt.where(Notification.read_at.is_(None))
    with uow:
        return run_page(uow.session, stmt, q, cols, "created_at", Notification.id)


def mark_read(uow: UnitOfWork, actor: Actor, ids: list[int] | None = None) -> int:
    """Mark some (or all, with ids=None) of the actor's own notices read."""
    stmt = (
        update(Notification)
        .where(Notification.user_id == actor.user_id, Notification.read_at.is_(None))
        .values(read_at=dt.datetime.now(dt.UTC))
    )
    if ids is not None:
        stmt = stmt.where(Notification.id.in_(ids))
    with uow:
        count = uow.session.execute(stmt).rowcount  # type: ignore[attr-defined]
        uow.commit()
        return int(count or 0)


def list_outbox(uow: UnitOfWork, actor: Actor, q: ListQuery) -> PageResult:
    actor.require(frozenset({ADMIN}))
    cols: dict[str, Any] = {
        "id": EmailOutbox.id,
        "created_at": EmailOutbox.created_at,
        "status": EmailOutbox.status,
        "to_address": EmailOutbox.to_address,
        "subject": EmailOutbox.subject,
        "attempts": EmailOutbox.attempts,
        "last_error": EmailOutbox.last_error,
        "sent_at": EmailOutbox.sent_at,
        "body_text": EmailOutbox.body_text,
    }
    stmt = select(*[c.label(k) for k, c in cols.items()])
    status = q.filter_value("status")
    if status:
        stmt = stmt.where(EmailOutbox.status == status)
    with uow:
        return run_page(uow.session, stmt, q, cols, "created_at", EmailOutbox.id)


def resend_held(uow: UnitOfWork, actor: Actor, outbox_id: int) -> None:
    """An administrator decides that a message whose delivery is unknown goes again."""
    actor.require(frozenset({ADMIN}))
    with uow:
        row = uow.session.get(EmailOutbox, outbox_id, with_for_update=True)
        if row is None:
            raise NotFound(N_("This message does not exist."))
        if row.status != "held":
            raise DomainError(N_("Only a message whose delivery is unknown can be resent."))
        row.status = "queued"
        row.next_attempt_at = None
        row.last_error = None
        log_event(uow.session, "resend", "email_outbox", outbox_id, {"to": row.to_address, "subject": row.subject})
        uow.commit()
