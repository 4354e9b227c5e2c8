"""Follow-up monitoring (SPEC C4): the daily scan puts due items on the managers' plans.

Follow-ups are produced by one set-based statement per rule kind; each carries a key of its
cause (this promise, this next step, this client silent since that date), so a due item
reaches the plan once and a second scan, a restart or a second worker adds nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Date, Select, String, case, cast, exists, func, literal, not_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from common.roles import ADMIN, DIRECTOR
from core.crm import (
    FOLLOW_UP_CONTRACT,
    FOLLOW_UP_NEXT_STEP,
    FOLLOW_UP_PROMISE,
    FOLLOW_UP_PROMO,
    FOLLOW_UP_SILENT,
    FOLLOW_UP_TARIFF_SHEET,
)
from core.services.crm.consent import client_reachable
from core.services.settings import company_today, company_zone, get_int
from db.models.auth import User
from db.models.crm import Client, ClientAgreement, FollowUp, FollowUpRule, Interaction
from db.session import UnitOfWork


def follow_up_scan(uow: UnitOfWork, today: dt.date | None = None) -> int:
    """Put today's due follow-ups on the managers' plans; returns how many are new.

    Promises and next steps are looked at from `crm.scan_lookback_days` back (a scan missed
    for a few days catches up; years-old history is not re-raised every morning)."""
    with uow:
        made = _follow_up_scan(uow.session, today or company_today(uow.session))
        uow.commit()
        return made


def _follow_up_scan(session: Session, today: dt.date) -> int:
    made = 0
    zone = str(company_zone(session))
    since = today - dt.timedelta(days=get_int(session, "crm.scan_lookback_days"))
    rules = session.scalars(select(FollowUpRule).where(FollowUpRule.active.is_(True))).all()
    general = {r.kind: r.days for r in rules if r.category_id is None}
    fallback = _fallback_owner(session)
    for rule, kind in _due_kinds().items():
        if rule in general:
            made += _scan_owed(session, kind, today, general[rule], since, fallback)
    silent = [r for r in rules if r.kind == "silent"]
    if silent:
        made += _scan_silence(session, today, silent, zone, fallback)
    if "contract" in general:
        made += _scan_agreements(session, today, general["contract"], fallback)
    if "promo" in general:
        made += _scan_promo(session, today, general["promo"], zone, fallback)
    return made


def _active(user_column: Any) -> Any:
    """The user in `user_column` when that user is still active, else NULL."""
    return (
        select(User.id).where(User.id == user_column, User.is_active.is_(True)).correlate_except(User).scalar_subquery()
    )


def _fallback_owner(session: Session) -> int | None:
    """Who gets an item whose client has no (active) manager: a director, else an administrator."""
    for role in (DIRECTOR, ADMIN):
        found = session.scalar(
            select(User.id).where(User.role == role, User.is_active.is_(True)).order_by(User.id).limit(1)
        )
        if found is not None:
            return found
    return None


def _insert_follow_ups(session: Session, rows: Any) -> int:
    stmt = (
        insert(FollowUp)
        .from_select(
            [
                "client_id",
                "owner_user_id",
                "rule",
                "title",
                "params",
                "interaction_id",
                "due_date",
                "first_due_date",
                "dedupe_key",
            ],
            rows,
        )
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(FollowUp.id)
    )
    return len(session.execute(stmt).all())


def _shown_from(due: Any, today: dt.date, lead_days: int) -> Any:
    """An item reaches the plan `lead_days` before its deadline (never before today); an item
    already late keeps its deadline so the plan shows it overdue. first_due_date keeps the
    deadline itself, which plan-versus-done measures against."""
    return case((due < today, due), else_=func.greatest(literal(today), due - lead_days))


@dataclass(frozen=True)
class _DueKind:
    """What an interaction owes: a promise or a next step, with its text, deadline and key."""

    rule: str
    title: str
    text: Any
    due: Any
    key: str
    open_: Any


def _due_kinds() -> dict[str, _DueKind]:
    return {
        "promise": _DueKind(
            "promise",
            FOLLOW_UP_PROMISE,
            Interaction.promise,
            Interaction.promise_due,
            "promise:",
            Interaction.promise_kept_at.is_(None),
        ),
        "next_step": _DueKind(
            "next_step",
            FOLLOW_UP_NEXT_STEP,
            Interaction.next_step,
            Interaction.next_due,
            "next:",
            Interaction.next_step.is_not(None),
        ),
    }


def _owed(kind: _DueKind, today: dt.date, lead_days: int, since: dt.date, fallback: int | None) -> Select[Any]:
    """The follow-ups the scan of `today` makes for promises or next steps whose day is within
    `lead_days`, looked at from `since` on: one row per interaction, in the columns of
    FollowUp (the scan inserts them; the plan of a day ahead shows them before they exist)."""
    owner = func.coalesce(
        _active(Interaction.next_owner_user_id),
        _active(Interaction.owner_user_id),
        _active(Client.manager_user_id),
        literal(fallback),
    )
    return (
        select(
            Interaction.client_id.label("client_id"),
            owner.label("owner_user_id"),
            literal(kind.rule).label("rule"),
            literal(kind.title).label("title"),
            func.jsonb_build_object("text", kind.text).label("params"),
            Interaction.id.label("interaction_id"),
            _shown_from(kind.due, today, lead_days).label("due_date"),
            kind.due.label("first_due_date"),
            func.concat(kind.key, cast(Interaction.id, String)).label("dedupe_key"),
        )
        .join(Client, Client.id == Interaction.client_id)
        .where(
            kind.due.is_not(None),
            kind.open_,
            Interaction.status == "done",
            kind.due <= today + dt.timedelta(days=lead_days),
            kind.due > since,
            Client.merged_into_id.is_(None),
        )
    )


def _scan_owed(
    session: Session, kind: _DueKind, today: dt.date, lead_days: int, since: dt.date, fallback: int | None
) -> int:
    """Promises or next steps whose day is within `lead_days`, looked at from `since` on."""
    return _insert_follow_ups(session, _owed(kind, today, lead_days, since, fallback))


def owed_ahead(session: Session, owner_id: int, today: dt.date, day: dt.date) -> list[dict[str, Any]]:
    """What the scan of a day ahead will put on `owner_id`'s plan from promises and next
    steps, that no scan has put there yet: the same rule as the scan's (`_owed`, with the
    rules in force), run as of `day`. Nothing is written; empty for today or a day past."""
    if day <= today:
        return []
    rules = {
        r.kind: r.days
        for r in session.scalars(
            select(FollowUpRule).where(FollowUpRule.active.is_(True), FollowUpRule.category_id.is_(None))
        )
    }
    since = day - dt.timedelta(days=get_int(session, "crm.scan_lookback_days"))
    fallback = _fallback_owner(session)
    out: list[dict[str, Any]] = []
    for rule, kind in _due_kinds().items():
        if rule not in rules:
            continue
        owed = _owed(kind, day, rules[rule], since, fallback).subquery()
        rows = session.execute(
            select(owed, Client.name.label("client"))
            .join(Client, Client.id == owed.c.client_id)
            .where(owed.c.owner_user_id == owner_id, not_(exists().where(FollowUp.dedupe_key == owed.c.dedupe_key)))
        )
        out += [dict(r._mapping) for r in rows]
    return sorted(out, key=lambda r: (r["first_due_date"], r["interaction_id"], r["rule"]))


def _scan_quiet(
    session: Session,
    today: dt.date,
    *,
    rule: str,
    title: str,
    days: Any,
    counted: Any,
    zone: str,
    fallback: int | None,
    extra: tuple[Any, ...] = (),
) -> int:
    """Live clients with no `counted` interaction for `days` days (since they became clients
    when they have none): one pass over the interactions grouped per client, one insert.
    The cause is "quiet after the n-th such contact", so a new contact makes a new cause;
    a client with an open item of the rule gets no second one."""
    stats = (
        select(Interaction.client_id, func.max(Interaction.at).label("last_at"), func.count().label("n"))
        .where(Interaction.status == "done", counted)
        .group_by(Interaction.client_id)
        .subquery()
    )
    since = cast(func.timezone(zone, func.coalesce(stats.c.last_at, Client.created_at)), Date)
    already = exists().where(FollowUp.client_id == Client.id, FollowUp.rule == rule, FollowUp.status == "open")
    rows = (
        select(
            Client.id,
            func.coalesce(_active(Client.manager_user_id), literal(fallback)),
            literal(rule),
            literal(title),
            func.jsonb_build_object("date", cast(since, String)),
            literal(None),
            literal(today),
            literal(today),
            func.concat(f"{rule}:", cast(Client.id, String), ":", cast(func.coalesce(stats.c.n, 0), String)),
        )
        .select_from(Client)
        .outerjoin(stats, stats.c.client_id == Client.id)
        .where(
            Client.merged_into_id.is_(None),
            Client.archived_at.is_(None),
            Client.status.in_(("prospect", "active", "dormant")),
            days.is_not(None),
            since <= literal(today) - days,
            not_(already),
            *extra,
        )
    )
    return _insert_follow_ups(session, rows)


def _scan_silence(session: Session, today: dt.date, rules: list[FollowUpRule], zone: str, fallback: int | None) -> int:
    """Clients with no contact for N days (a category's own rule before the general one)."""
    general = next((r.days for r in rules if r.category_id is None), None)
    per_category = {r.category_id: r.days for r in rules if r.category_id is not None}
    days: Any = (
        case(*[(Client.category_id == cid, d) for cid, d in per_category.items()], else_=general)
        if per_category
        else literal(general)
    )
    return _scan_quiet(
        session,
        today,
        rule="silent",
        title=FOLLOW_UP_SILENT,
        days=days,
        counted=literal(True),
        zone=zone,
        fallback=fallback,
    )


def _scan_agreements(session: Session, today: dt.date, days_ahead: int, fallback: int | None) -> int:
    """Contracts and tariff sheets ending within N days: renew them in time."""
    label = case((ClientAgreement.kind == "contract", FOLLOW_UP_CONTRACT), else_=FOLLOW_UP_TARIFF_SHEET)
    rows = (
        select(
            ClientAgreement.client_id,
            func.coalesce(_active(Client.manager_user_id), literal(fallback)),
            literal("contract"),
            label,
            func.jsonb_build_object("number", ClientAgreement.number, "date", cast(ClientAgreement.valid_to, String)),
            literal(None),
            literal(today),
            ClientAgreement.valid_to,
            func.concat("agreement:", cast(ClientAgreement.id, String), ":", cast(ClientAgreement.valid_to, String)),
        )
        .join(Client, Client.id == ClientAgreement.client_id)
        .where(
            ClientAgreement.archived_at.is_(None),
            ClientAgreement.valid_to >= today,
            ClientAgreement.valid_to <= today + dt.timedelta(days=days_ahead),
            Client.merged_into_id.is_(None),
            Client.archived_at.is_(None),
        )
    )
    return _insert_follow_ups(session, rows)


def _scan_promo(session: Session, today: dt.date, every_days: int, zone: str, fallback: int | None) -> int:
    """A promotional contact is due every N days, to clients who did not refuse marketing calls."""
    return _scan_quiet(
        session,
        today,
        rule="promo",
        title=FOLLOW_UP_PROMO,
        days=literal(every_days),
        counted=Interaction.promotional.is_(True),
        zone=zone,
        fallback=fallback,
        extra=tuple(client_reachable("phone", "marketing")),
    )
