"""Result control (SPEC P2): an appointment whose time has passed without a result reminds
its owner, again every few hours, and reaches the directors after the configured number of
reminders.

Each reminder updates the owner's one notice on the appointment (cause
`appointment_result:interaction:<id>`), unread again and e-mailed again (a reminder is meant
to repeat); entering the result resolves it and the directors' one (`result_causes`)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from common.i18n import N_, N_n
from common.roles import DIRECTOR
from core.services.crm.base import now as utc_now
from core.services.notifications import Notice, notify, users_with_roles
from core.services.settings import get_int
from db.models.auth import User
from db.models.crm import Client, Interaction
from db.session import UnitOfWork


def appointment_reminders(uow: UnitOfWork, now: dt.datetime | None = None) -> int:
    """Remind the owner of an appointment whose time has passed without a result, again every
    few hours, and tell the directors after the configured number of reminders. `now` is an
    instant (timezone-aware); by default the present one."""
    with uow:
        sent = _appointment_reminders(uow.session, now or utc_now())
        uow.commit()
        return sent


def _appointment_reminders(session: Session, now: dt.datetime) -> int:
    delay = dt.timedelta(hours=get_int(session, "crm.result_delay_hours"))
    repeat = dt.timedelta(hours=get_int(session, "crm.reminder_repeat_hours"))
    most = get_int(session, "crm.reminders_before_escalation")
    due = session.execute(
        select(Interaction, Client.name)
        .join(Client, Client.id == Interaction.client_id)
        .where(
            Interaction.status == "planned",
            Interaction.at <= now - delay,
            Interaction.reminders_sent <= most,
            or_(Interaction.last_reminded_at.is_(None), Interaction.last_reminded_at <= now - repeat),
        )
        .with_for_update(of=Interaction, skip_locked=True)
    ).all()
    sent = 0
    directors: list[int] | None = None
    for interaction, client_name in due:
        params = (("client", client_name), ("topic", interaction.topic), ("at", interaction.at))
        result_cause, escalation_cause = result_causes(interaction.id)
        if interaction.reminders_sent < most and interaction.owner_user_id is not None:
            number = interaction.reminders_sent + 1
            sent += len(
                notify(
                    session,
                    [interaction.owner_user_id],
                    Notice(
                        kind="appointment_result",
                        title=N_("Enter the result: {topic} with {client}"),
                        body=N_("The appointment of {at} has no result yet."),
                        params=params,
                        entity_type="client",
                        entity_id=interaction.client_id,
                        dedupe_key=f"appt:{interaction.id}:{number}",
                        cause=result_cause,
                        remind=True,
                    ),
                )
            )
        else:
            if directors is None:
                directors = users_with_roles(session, frozenset({DIRECTOR}))
            owner = session.get(User, interaction.owner_user_id) if interaction.owner_user_id else None
            sent += len(
                notify(
                    session,
                    directors,
                    Notice(
                        kind="appointment_escalation",
                        title=N_n(
                            "No result after {n} reminder: {topic} with {client}",
                            "No result after {n} reminders: {topic} with {client}",
                        ),
                        body=N_("{owner} has not entered the result of the appointment of {at}."),
                        params=(*params, ("n", most), ("owner", owner.full_name if owner else "")),
                        entity_type="client",
                        entity_id=interaction.client_id,
                        dedupe_key=f"appt-escalated:{interaction.id}",
                        cause=escalation_cause,
                    ),
                )
            )
        interaction.reminders_sent += 1
        interaction.last_reminded_at = now
    return sent


def result_causes(interaction_id: int) -> tuple[str, str]:
    """The causes of an appointment's notices: the owner's reminder, the directors' escalation."""
    return f"appointment_result:interaction:{interaction_id}", f"appointment_escalation:interaction:{interaction_id}"
