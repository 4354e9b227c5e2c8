"""Interactions (SPEC C2, P2): a call, meeting or visit logged with its result, promise and
next step, or planned as an appointment whose result comes later; a kept promise."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.actor import Actor
from common.errors import DomainError, FieldErrors, NotFound
from common.i18n import N_
from common.roles import CAN_EDIT_CRM
from core.services.crm.base import CONTACT_LOGGED, PROMISE_KEPT, live_client, now
from core.services.crm.results import result_causes
from core.services.notifications import resolve
from core.services.settings import company_today
from db.models.crm import INTERACTION_KINDS, ClientContact, FollowUp, Interaction
from db.session import UnitOfWork


@dataclass
class InteractionInput:
    client_id: int
    kind: str
    at: dt.datetime
    topic: str
    planned: bool = False  # an appointment: its result comes later
    contact_id: int | None = None
    result: str = ""
    promise: str = ""
    promise_due: dt.date | None = None
    next_step: str = ""
    next_due: dt.date | None = None
    next_owner_user_id: int | None = None
    promotional: bool = False  # a marketing contact: counts for the promo rule


def _check_next(
    errors: FieldErrors, today: dt.date, promise: str, promise_due: dt.date | None, step: str, due: dt.date | None
) -> None:
    if promise.strip() and promise_due is None:
        errors.add("promise_due", N_("When is the promise due?"))
    if promise_due is not None and promise_due < today:
        errors.add("promise_due", N_("A promise cannot be due in the past."))
    if step.strip() and due is None:
        errors.add("next_due", N_("When is the next step due?"))
    if due is not None and due < today:
        errors.add("next_due", N_("A next step cannot be due in the past."))
    if due is not None and not step.strip():
        errors.add("next_step", N_("Say what the next step is."))


def log_interaction(uow: UnitOfWork, actor: Actor, data: InteractionInput) -> int:
    """Log a call, meeting or visit, or plan one (an appointment). Logging a contact closes
    the client's open 'silent' follow-ups: the silence is over."""
    actor.require(CAN_EDIT_CRM)
    with uow:
        today = company_today(uow.session)
        errors = FieldErrors()
        if data.kind not in INTERACTION_KINDS:
            errors.add("kind", N_("Choose the kind of contact."))
        if not data.topic.strip():
            errors.add("topic", N_("Enter the topic."))
        if data.at.tzinfo is None:
            errors.add("at", N_("Give the time with its time zone."))
        elif data.planned and data.at < now() - dt.timedelta(minutes=5):
            errors.add("at", N_("An appointment is planned for later; log a past contact with its result."))
        elif not data.planned and data.at > now() + dt.timedelta(minutes=5):
            errors.add("at", N_("A contact that already happened cannot be in the future; plan an appointment."))
        if not data.planned and not data.result.strip():
            errors.add("result", N_("Enter the result of the contact."))
        errors.too_long("topic", data.topic, 200)
        errors.too_long("promise", data.promise, 300)
        errors.too_long("next_step", data.next_step, 300)
        _check_next(errors, today, data.promise, data.promise_due, data.next_step, data.next_due)
        client = live_client(uow.session, data.client_id)
        if data.contact_id is not None:
            contact = uow.session.get(ClientContact, data.contact_id)
            if contact is None or contact.client_id != data.client_id:
                errors.add("contact_id", N_("Choose a contact of this client."))
        errors.raise_if_any()
        interaction = Interaction(
            client_id=client.id,
            contact_id=data.contact_id,
            kind=data.kind,
            status="planned" if data.planned else "done",
            was_planned=data.planned,
            promotional=data.promotional,
            at=data.at,
            owner_user_id=actor.user_id,
            topic=data.topic.strip(),
            result=data.result.strip() or None,
            result_at=None if data.planned else now(),
            promise=data.promise.strip() or None,
            promise_due=data.promise_due,
            next_step=data.next_step.strip() or None,
            next_due=data.next_due,
            next_owner_user_id=data.next_owner_user_id or actor.user_id,
        )
        uow.session.add(interaction)
        uow.session.flush()
        if not data.planned:
            _close_silence(uow.session, client.id)
        uow.commit()
        return interaction.id


def _close_silence(session: Session, client_id: int) -> None:
    for follow_up in session.scalars(
        select(FollowUp).where(FollowUp.client_id == client_id, FollowUp.rule == "silent", FollowUp.status == "open")
    ):
        follow_up.status = "done"
        follow_up.done_at = now()
        follow_up.result = CONTACT_LOGGED


def enter_result(
    uow: UnitOfWork,
    actor: Actor,
    interaction_id: int,
    result: str,
    promise: str = "",
    promise_due: dt.date | None = None,
    next_step: str = "",
    next_due: dt.date | None = None,
) -> None:
    """The result of an appointment: it becomes a contact that happened."""
    actor.require(CAN_EDIT_CRM)
    with uow:
        interaction = uow.session.get(Interaction, interaction_id, with_for_update=True)
        if interaction is None:
            raise NotFound(N_("There is no such appointment; log the contact first."))
        if interaction.status != "planned":
            raise DomainError(N_("This contact already has its result."))
        errors = FieldErrors()
        if not result.strip():
            errors.add("result", N_("Enter the result of the contact."))
        errors.too_long("promise", promise, 300)
        errors.too_long("next_step", next_step, 300)
        _check_next(errors, company_today(uow.session), promise, promise_due, next_step, next_due)
        errors.raise_if_any()
        interaction.status = "done"
        interaction.result = result.strip()
        interaction.result_at = now()
        interaction.promise = promise.strip() or interaction.promise
        interaction.promise_due = promise_due or interaction.promise_due
        interaction.next_step = next_step.strip() or interaction.next_step
        interaction.next_due = next_due or interaction.next_due
        _close_silence(uow.session, interaction.client_id)
        resolve(uow.session, list(result_causes(interaction_id)))  # its reminders have done their work
        uow.commit()


def keep_promise(uow: UnitOfWork, actor: Actor, interaction_id: int) -> None:
    """Mark a promise fulfilled; its follow-up leaves the plan."""
    actor.require(CAN_EDIT_CRM)
    with uow:
        interaction = uow.session.get(Interaction, interaction_id, with_for_update=True)
        if interaction is None or not interaction.promise:
            raise NotFound(N_("This contact has no promise."))
        if interaction.promise_kept_at is None:
            interaction.promise_kept_at = now()
            for item in uow.session.scalars(
                select(FollowUp).where(FollowUp.dedupe_key == f"promise:{interaction_id}", FollowUp.status == "open")
            ):
                item.status, item.done_at, item.result = "done", now(), PROMISE_KEPT
            uow.commit()
