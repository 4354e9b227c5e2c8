"""The in-app inbox, and e-mail of the same notice through the outbox.

A notice is stored as English message ids with their parameters and worded when it is read,
in the reader's language and number format (common.i18n.render_message): in the inbox for
the reader, in an e-mail for its recipient. A notice about a cause (`Notice.cause`) is *open*
until the cause is resolved (`resolve`, `resolve_others`), read or not; while it is open, a
new occurrence updates it (new parameters and time, unread again) instead of adding another,
and two workers posting at once still leave one (`INSERT ... ON CONFLICT` on the partial
unique index of open causes, migration 0014).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, literal_column, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from common.actor import Actor
from common.errors import DomainError, NotFound
from common.i18n import DEFAULT_LANGUAGE, N_, Plural, encode_params, render_message
from common.outbound import Outbound
from common.roles import ADMIN
from core.services.company_day import company_zone
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
    title: str | Plural  # English message id (N_, or N_n with a count in params["n"])
    body: str | Plural = ""
    # values: text, whole numbers, Qty, Msg, dates, decimals, lists (common.i18n.encode_param)
    params: tuple[tuple[str, object], ...] = ()
    entity_type: str | None = None  # the record a click opens (item, client, vehicle, trailer, driver)
    entity_id: int | None = None
    dedupe_key: str | None = None  # one occurrence: posting it again adds nothing
    cause: str | None = None  # what it is about: one open notice per reader and cause
    remind: bool = False  # each new occurrence is e-mailed, read or not (a reminder by design)


def _ids(message: str | Plural) -> tuple[str | None, str | None]:
    if isinstance(message, Plural):
        return message.singular, message.plural
    return (message or None), None


def outbound_of(session: Session) -> Outbound:
    """What the unit of work that opened `session` knows of e-mail and the app's address."""
    found = session.info.get("outbound")
    return found if isinstance(found, Outbound) else Outbound()


def notify(session: Session, user_ids: list[int], notice: Notice) -> list[int]:
    """Post a notice to users' inboxes, in the caller's transaction; returns the ids of the
    users whose inbox got it, new or as an update of their open notice on the same cause.

    A `dedupe_key` makes an occurrence idempotent per user: posting it again (a restart, a
    second worker) changes nothing. With a `cause`, a user's open notice on that cause is
    updated by a new occurrence instead of a second one being added. Users with an e-mail
    address also get it by e-mail, in their language, when it turns unread (new, or updated
    after they read it; every new occurrence if `remind`), queued in the outbox when a
    provider is configured or kept there as not sent, with a link to TWARA_BASE_URL.
    """
    if not user_ids:
        return []
    users = session.execute(select(User.id, User.email).where(User.id.in_(user_ids), User.is_active)).all()
    params = encode_params(dict(notice.params))
    title_msgid, title_plural = _ids(notice.title)
    body_msgid, body_plural = _ids(notice.body)
    zone = str(company_zone(session))
    english_title = render_message(title_msgid or "", title_plural, params, DEFAULT_LANGUAGE, zone)
    english_body = render_message(body_msgid, body_plural, params, DEFAULT_LANGUAGE, zone) if body_msgid else ""
    values: dict[str, Any] = {
        "kind": notice.kind,
        "title": english_title[:200],
        "body": english_body,
        "title_msgid": title_msgid,
        "title_plural": title_plural,
        "body_msgid": body_msgid,
        "body_plural": body_plural,
        "params": params,
        "entity_type": notice.entity_type,
        "entity_id": notice.entity_id,
        "dedupe_key": notice.dedupe_key,
        "cause": notice.cause,
    }
    posted: list[int] = []
    to_mail: list[int] = []
    for uid, address in users:
        outcome = _post_one(session, uid, values, notice) if notice.cause else _post_new(session, uid, values)
        if outcome is None:
            continue
        notification_id, mail = outcome
        posted.append(uid)
        if mail and address:
            to_mail.append(notification_id)
    queue_emails(session, to_mail)
    return posted


def _post_new(session: Session, uid: int, values: dict[str, Any]) -> tuple[int, bool] | None:
    """A notice without a cause: added once per user and key."""
    stmt = (
        insert(Notification)
        .values(user_id=uid, **values)
        .on_conflict_do_nothing(index_elements=["user_id", "dedupe_key"], index_where=literal_column("cause IS NULL"))
        .returning(Notification.id)
    )
    found = session.execute(stmt).scalar_one_or_none()
    return None if found is None else (found, True)


def _post_one(session: Session, uid: int, values: dict[str, Any], notice: Notice) -> tuple[int, bool] | None:
    """A notice about a cause: the user's open one on it updated, or a new one. Returns the
    notice's id and whether it is e-mailed, or None when nothing changed."""
    open_row = session.execute(
        select(Notification.read_at, Notification.dedupe_key)
        .where(Notification.user_id == uid, Notification.cause == notice.cause, Notification.resolved_at.is_(None))
        .with_for_update()
    ).first()
    if open_row is not None and notice.dedupe_key is not None and open_row.dedupe_key == notice.dedupe_key:
        return None  # this occurrence is already the notice
    base = insert(Notification).values(user_id=uid, **values)
    stmt = base.on_conflict_do_update(
        index_elements=["user_id", "cause"],
        index_where=literal_column("resolved_at IS NULL"),
        set_={
            **{k: base.excluded[k] for k in values if k != "cause"},
            "updated_at": func.now(),
            "read_at": None,
            "times": Notification.times + 1,
        },
        # another worker's same occurrence, committed since the look above, changes nothing
        where=Notification.dedupe_key.is_distinct_from(base.excluded.dedupe_key) if notice.dedupe_key else None,
    )
    row: Any = session.execute(stmt.returning(Notification.id, literal_column("xmax = 0").label("inserted"))).first()
    if row is None:
        return None
    was_read = open_row is not None and open_row.read_at is not None
    return int(row.id), bool(row.inserted) or was_read or notice.remind


def resolve(session: Session, causes: list[str]) -> int:
    """The causes ended (an appointment's result entered): their open notices are resolved,
    so a new occurrence starts a new notice. Returns how many were open."""
    if not causes:
        return 0
    stmt = (
        update(Notification)
        .where(Notification.cause.in_(causes), Notification.resolved_at.is_(None))
        .values(resolved_at=func.now())
    )
    return int(session.execute(stmt).rowcount or 0)  # type: ignore[attr-defined]


def resolve_others(session: Session, prefix: str, current: set[str]) -> int:
    """A scan that sees every cause of its kind (`prefix`, "maintenance:plan:") resolves the
    open notices on causes it no longer sees. Returns how many."""
    stmt = (
        update(Notification)
        .where(
            Notification.cause.startswith(prefix, autoescape=True),
            Notification.resolved_at.is_(None),
            Notification.cause.not_in(current) if current else Notification.cause.is_not(None),
        )
        .values(resolved_at=func.now())
    )
    return int(session.execute(stmt).rowcount or 0)  # type: ignore[attr-defined]


def queue_emails(session: Session, notification_ids: list[int]) -> int:
    """E-mail these notices to their recipients who have an address, each in the recipient's
    language (when notices are e-mailed at all: `notifications.email_enabled`), queued when a
    provider is configured, else kept as not sent. Returns how many e-mails."""
    if not notification_ids:
        return 0
    email_on = session.get(Parameter, "notifications.email_enabled")
    if email_on is None or email_on.value != "true":
        return 0
    outbound = outbound_of(session)
    company = session.get(CompanyProfile, 1)
    company_name = company.name if company else "Twara"
    zone = str(company_zone(session))
    rows = session.execute(
        select(Notification, User.language, User.email)
        .join(User, User.id == Notification.user_id)
        .where(Notification.id.in_(notification_ids), User.email.is_not(None), User.email != "")
        .order_by(Notification.id)
    ).all()
    for notification, lang, address in rows:
        title, body = worded({k: getattr(notification, k) for k in _STORED}, lang, zone)
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
    return len(rows)


_WORDING = ("title_msgid", "title_plural", "body_msgid", "body_plural", "params")
_STORED = ("title", "body", *_WORDING)


def worded(stored: Mapping[str, Any], lang: str, zone: str) -> tuple[str, str]:
    """A stored notice's title and body (the columns `_STORED`) in `lang`: from its message
    ids and parameters, or, for a notice stored before them, the text it was stored with."""
    params = stored["params"] or {}
    if stored["title_msgid"]:
        title = render_message(stored["title_msgid"], stored["title_plural"], params, lang, zone)
    else:
        title = stored["title"]
    if stored["body_msgid"]:
        body = render_message(stored["body_msgid"], stored["body_plural"], params, lang, zone)
    else:
        body = stored["body"] or ""
    return title, body


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
    """The actor's notices, latest occurrence first by default (sort "at"), each worded in
    the actor's language: `title`, `body`, and when it was first and last raised."""
    cols: dict[str, Any] = {
        "id": Notification.id,
        "at": Notification.updated_at,
        "created_at": Notification.created_at,
        "kind": Notification.kind,
        "title": Notification.title,
        "body": Notification.body,
        "entity_type": Notification.entity_type,
        "entity_id": Notification.entity_id,
        "read_at": Notification.read_at,
        "resolved_at": Notification.resolved_at,
        "times": Notification.times,
        **{k: getattr(Notification, k) for k in _WORDING},
    }
    stmt = select(*[c.label(k) for k, c in cols.items()]).where(Notification.user_id == actor.user_id)
    if q.filter_value("unread") == "1":
        stmt = stmt.where(Notification.read_at.is_(None))
    with uow:
        page = run_page(uow.session, stmt, q, cols, "at", Notification.id)
        zone = str(company_zone(uow.session))
    for row in page.rows:
        row["title"], row["body"] = worded(row, actor.lang, zone)
        for key in _WORDING:
            row.pop(key)
    return page


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
