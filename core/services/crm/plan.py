"""The daily plan (SPEC P1) and its actions (done with a result, rescheduled with a reason,
handed over), and the plan against what was done for a period (P4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, cast, func, literal, select
from sqlalchemy.orm import Session

from common.actor import Actor
from common.errors import DomainError, FieldErrors, NotFound
from common.i18n import N_
from common.roles import ADMIN, CAN_EDIT_CRM, DIRECTOR, SALES
from core.crm import plan_bucket
from core.services.crm.base import day_start, invalid, now
from core.services.crm.follow_ups import owed_ahead
from core.services.settings import company_today, company_zone
from db.models.auth import User
from db.models.crm import Client, FollowUp, Interaction
from db.session import UnitOfWork


def daily_plan(uow: UnitOfWork, actor: Actor, day: dt.date | None = None, user_id: int | None = None) -> dict[str, Any]:
    """One manager's plan for a day: due and overdue follow-ups, appointments of the day and
    appointments still waiting for their result. A day ahead also shows the promises and
    next steps that day's scan will put on the plan (`upcoming`, no id yet: they can be acted
    on once they are there)."""
    actor.require(CAN_EDIT_CRM)
    owner = user_id if user_id is not None else actor.user_id
    if owner != actor.user_id and actor.role not in (DIRECTOR, ADMIN):
        owner = actor.user_id
    with uow:
        today = company_today(uow.session)
        day = day or today
        follow_ups = [
            {
                "id": f.id,
                "client_id": f.client_id,
                "client": name,
                "title": f.title,
                "params": f.params,
                "rule": f.rule,
                "due": f.due_date,
                "overdue": f.due_date < today,
                "interaction_id": f.interaction_id,
                "upcoming": False,
            }
            for f, name in uow.session.execute(
                select(FollowUp, Client.name)
                .join(Client, Client.id == FollowUp.client_id)
                .where(FollowUp.owner_user_id == owner, FollowUp.status == "open", FollowUp.due_date <= day)
                .order_by(FollowUp.due_date, FollowUp.id)
            )
        ]
        follow_ups += [
            {
                "id": None,
                "client_id": r["client_id"],
                "client": r["client"],
                "title": r["title"],
                "params": r["params"],
                "rule": r["rule"],
                "due": r["first_due_date"],
                "overdue": False,
                "interaction_id": r["interaction_id"],
                "upcoming": True,
            }
            for r in (owed_ahead(uow.session, owner, today, day) if owner is not None else [])
        ]
        end_of_day = day_start(day + dt.timedelta(days=1), company_zone(uow.session))
        appointments = [
            {
                "id": i.id,
                "client_id": i.client_id,
                "client": name,
                "kind": i.kind,
                "topic": i.topic,
                "at": i.at,
                "overdue": i.at < now(),
            }
            for i, name in uow.session.execute(
                select(Interaction, Client.name)
                .join(Client, Client.id == Interaction.client_id)
                .where(
                    Interaction.owner_user_id == owner,
                    Interaction.status == "planned",
                    Interaction.at < end_of_day,
                )
                .order_by(Interaction.at)
            )
        ]
        return {"day": day, "follow_ups": follow_ups, "appointments": appointments}


def _follow_up(session: Session, actor: Actor, follow_up_id: int) -> FollowUp:
    item = session.get(FollowUp, follow_up_id, with_for_update=True)
    if item is None:
        raise NotFound(N_("This plan item does not exist."))
    if item.status != "open":
        raise DomainError(N_("This plan item is already closed."))
    if item.owner_user_id != actor.user_id and actor.role not in (DIRECTOR, ADMIN):
        raise DomainError(N_("Only its owner or a director can change this plan item."))
    return item


def complete_follow_up(uow: UnitOfWork, actor: Actor, follow_up_id: int, result: str) -> None:
    actor.require(CAN_EDIT_CRM)
    if not result.strip():
        raise invalid("result", N_("Enter the result."))
    with uow:
        item = _follow_up(uow.session, actor, follow_up_id)
        item.status, item.done_at, item.result = "done", now(), result.strip()
        if item.rule == "promise" and item.interaction_id:
            interaction = uow.session.get(Interaction, item.interaction_id)
            if interaction is not None and interaction.promise_kept_at is None:
                interaction.promise_kept_at = now()
        uow.commit()


def reschedule_follow_up(uow: UnitOfWork, actor: Actor, follow_up_id: int, new_date: dt.date, reason: str) -> None:
    actor.require(CAN_EDIT_CRM)
    with uow:
        errors = FieldErrors()
        if new_date <= company_today(uow.session):
            errors.add("new_date", N_("Choose a later day."))
        if not reason.strip():
            errors.add("reason", N_("Say why it moves."))
        errors.too_long("reason", reason, 300)
        errors.raise_if_any()
        item = _follow_up(uow.session, actor, follow_up_id)
        item.due_date, item.reschedule_reason = new_date, reason.strip()
        uow.commit()


def hand_over_follow_up(uow: UnitOfWork, actor: Actor, follow_up_id: int, to_user_id: int) -> None:
    actor.require(CAN_EDIT_CRM)
    with uow:
        user = uow.session.get(User, to_user_id)
        if user is None or not user.is_active or user.role not in CAN_EDIT_CRM:
            raise invalid("to_user", N_("Choose an active colleague who works with clients."))
        item = _follow_up(uow.session, actor, follow_up_id)
        item.owner_user_id = to_user_id
        uow.commit()


def plan_vs_done(
    uow: UnitOfWork, actor: Actor, first: dt.date, last: dt.date, user_ids: list[int] | None = None
) -> list[dict[str, Any]]:
    """Per manager, for a period: planned items, done on time, done late, not done,
    interactions logged and new clients."""
    actor.require(CAN_EDIT_CRM)
    if actor.role == SALES:
        user_ids = [actor.user_id] if actor.user_id is not None else []
    with uow:
        today = company_today(uow.session)
        zone = company_zone(uow.session)

        def local_day(column: Any) -> Any:
            return cast(func.timezone(str(zone), column), Date)

        managers = uow.session.execute(
            select(User.id, User.full_name)
            .where(User.role.in_(CAN_EDIT_CRM), User.id.in_(user_ids) if user_ids is not None else literal(True))
            .order_by(User.full_name)
        ).all()
        out = []
        for manager_id, name in managers:
            counts = {"on_time": 0, "late": 0, "not_done": 0, "pending": 0}
            for due, done_at in uow.session.execute(
                select(FollowUp.first_due_date, FollowUp.done_at).where(
                    FollowUp.owner_user_id == manager_id,
                    FollowUp.first_due_date.between(first, last),
                    FollowUp.status != "cancelled",
                )
            ):
                counts[plan_bucket(due, done_at.astimezone(zone).date() if done_at else None, today)] += 1
            for at, result_at in uow.session.execute(
                select(Interaction.at, Interaction.result_at).where(
                    Interaction.owner_user_id == manager_id,
                    Interaction.status != "cancelled",
                    local_day(Interaction.at).between(first, last),
                    Interaction.was_planned.is_(True),
                )
            ):
                done_on = result_at.astimezone(zone).date() if result_at else None
                counts[plan_bucket(at.astimezone(zone).date(), done_on, today)] += 1
            logged = uow.session.scalar(
                select(func.count()).where(
                    Interaction.owner_user_id == manager_id,
                    Interaction.status == "done",
                    local_day(Interaction.at).between(first, last),
                )
            )
            new_clients = uow.session.scalar(
                select(func.count()).where(
                    Client.manager_user_id == manager_id,
                    local_day(Client.created_at).between(first, last),
                    Client.merged_into_id.is_(None),
                )
            )
            out.append(
                {
                    "manager_id": manager_id,
                    "manager": name,
                    "planned": sum(counts.values()),
                    "done_on_time": counts["on_time"],
                    "done_late": counts["late"],
                    "not_done": counts["not_done"],
                    "pending": counts["pending"],
                    "interactions": logged or 0,
                    "new_clients": new_clients or 0,
                }
            )
        return out
