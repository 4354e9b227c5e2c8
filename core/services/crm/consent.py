"""The consent register (SPEC C8): who may get marketing or service messages on which
channel. One rule, `core.crm.consent_decision`; `may_send` applies it for one sender, and
`consent_allows` is the same rule in SQL for set-based readers (the promo scan, segments).
tests/integration/test_crm.py holds the SQL to the Python over many registers.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, true
from sqlalchemy.orm import Session

from common.actor import Actor
from common.errors import FieldErrors
from common.i18n import N_
from common.roles import CAN_EDIT_CRM, CAN_VIEW_CRM
from core.crm import ConsentRow, consent_decision
from core.services.crm.base import invalid, live_client
from db.models.auth import User
from db.models.crm import CHANNELS, CONSENT_HOW, PURPOSES, Client, ClientContact, Consent
from db.session import UnitOfWork


def record_consent(
    uow: UnitOfWork,
    actor: Actor,
    client_id: int,
    channel: str,
    purpose: str,
    opted_in: bool,
    how: str,
    contact_id: int | None = None,
    note: str = "",
) -> int:
    actor.require(CAN_EDIT_CRM)
    errors = FieldErrors()
    if channel not in CHANNELS:
        errors.add("channel", N_("Choose e-mail, SMS or phone."))
    if purpose not in PURPOSES:
        errors.add("purpose", N_("Choose marketing or service."))
    if how not in CONSENT_HOW:
        errors.add("how", N_("Say how the person told us."))
    errors.too_long("note", note, 300)
    errors.raise_if_any()
    with uow:
        live_client(uow.session, client_id)
        if contact_id is not None:
            contact = uow.session.get(ClientContact, contact_id)
            if contact is None or contact.client_id != client_id:
                raise invalid("contact_id", N_("Choose a contact of this client."))
        row = Consent(
            client_id=client_id,
            contact_id=contact_id,
            channel=channel,
            purpose=purpose,
            opted_in=opted_in,
            how=how,
            note=note.strip() or None,
            recorded_by=actor.user_id,
        )
        uow.session.add(row)
        uow.session.flush()
        uow.commit()
        return row.id


def may_send(
    session: Session, client_id: int, channel: str, purpose: str, contact_id: int | None = None
) -> tuple[bool, str]:
    """The one answer to "may we send a (marketing or service) message on this channel to
    this client or contact?". Every sender asks it; the reason is an English msgid."""
    client = session.get(Client, client_id)
    if client is None or client.merged_into_id is not None or client.archived_at is not None:
        return False, N_("The client is archived or merged.")
    contact = session.get(ClientContact, contact_id) if contact_id else None
    if contact_id and (contact is None or contact.client_id != client_id):
        return False, N_("This contact does not belong to the client.")
    holder: Any = contact or client
    address = holder.email if channel == "email" else holder.phone
    if not address:
        return False, N_("No address for this channel.")
    rows = [
        ConsentRow(r.id, r.contact_id, r.opted_in, r.at)
        for r in session.scalars(
            select(Consent).where(
                Consent.client_id == client_id, Consent.channel == channel, Consent.purpose == purpose
            )
        )
    ]
    return consent_decision(purpose, rows, contact_id)


def consent_status(uow: UnitOfWork, actor: Actor, client_id: int) -> list[dict[str, Any]]:
    """For the client and each contact: may we send marketing / service per channel, and why."""
    actor.require(CAN_VIEW_CRM)
    with uow:
        subjects: list[tuple[int | None, str]] = [(None, N_("The client"))]
        subjects += [
            (c.id, c.name)
            for c in uow.session.scalars(
                select(ClientContact).where(ClientContact.client_id == client_id, ClientContact.archived_at.is_(None))
            )
        ]
        out = []
        for contact_id, name in subjects:
            for channel in CHANNELS:
                for purpose in PURPOSES:
                    ok, why = may_send(uow.session, client_id, channel, purpose, contact_id)
                    out.append(
                        {
                            "contact_id": contact_id,
                            "who": name,
                            "channel": channel,
                            "purpose": purpose,
                            "allowed": ok,
                            "why": why,
                        }
                    )
        return out


def consent_history(uow: UnitOfWork, actor: Actor, client_id: int) -> list[dict[str, Any]]:
    actor.require(CAN_VIEW_CRM)
    with uow:
        rows = uow.session.execute(
            select(Consent, ClientContact.name, User.full_name)
            .outerjoin(ClientContact, ClientContact.id == Consent.contact_id)
            .outerjoin(User, User.id == Consent.recorded_by)
            .where(Consent.client_id == client_id)
            .order_by(Consent.at.desc(), Consent.id.desc())
        )
        return [
            {
                "at": c.at,
                "contact": contact,
                "channel": c.channel,
                "purpose": c.purpose,
                "opted_in": c.opted_in,
                "how": c.how,
                "note": c.note,
                "by": by,
            }
            for c, contact, by in rows
        ]


def consent_allows(channel: str, purpose: str, client_id: Any, contact_id: Any = None) -> Any:
    """`consent_decision` in SQL, for the enclosing query's client (and contact): the newest
    row for the contact decides; without one, the newest row for the client; with none,
    there is no objection. `client_id` and `contact_id` are columns of the enclosing query
    (or values); without `contact_id` (or where it is NULL) the question is about the
    client's own address, which a contact's word does not bind."""

    def newest(scope: Any) -> Any:
        return (
            select(Consent.opted_in)
            .where(Consent.client_id == client_id, Consent.channel == channel, Consent.purpose == purpose, scope)
            .order_by(Consent.at.desc(), Consent.id.desc())
            .limit(1)
            .correlate_except(Consent)
            .scalar_subquery()
        )

    contact_word = [] if contact_id is None else [newest(Consent.contact_id == contact_id)]
    return func.coalesce(*contact_word, newest(Consent.contact_id.is_(None)), true())


def client_reachable(channel: str, purpose: str) -> list[Any]:
    """`may_send` for the enclosing query's client itself, in SQL: live (neither merged nor
    archived), an address on the channel, and no objection on the register."""
    address = Client.email if channel == "email" else Client.phone
    return [
        Client.merged_into_id.is_(None),
        Client.archived_at.is_(None),
        address.is_not(None),
        consent_allows(channel, purpose, Client.id),
    ]
