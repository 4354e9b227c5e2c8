"""A client's contact people, each with their own phone and e-mail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from common.actor import Actor
from common.errors import FieldErrors
from common.i18n import N_
from common.roles import CAN_EDIT_CRM, CAN_VIEW_CRM
from core.contacts import email_field, phone_field
from core.services.crm.base import live_client
from db.models.crm import ClientContact
from db.session import UnitOfWork


@dataclass
class ContactInput:
    name: str
    role: str = ""
    phone: str = ""
    email: str = ""


def add_contact(uow: UnitOfWork, actor: Actor, client_id: int, data: ContactInput) -> int:
    actor.require(CAN_EDIT_CRM)
    errors = FieldErrors()
    name = " ".join(data.name.split())
    if not name:
        errors.add("contact_name", N_("Enter the contact's name."))
    phone = phone_field(data.phone, errors, "contact_phone")
    email = email_field(data.email, errors, "contact_email")
    errors.too_long("contact_name", name, 120)
    errors.too_long("contact_role", data.role, 80)
    errors.raise_if_any()
    with uow:
        live_client(uow.session, client_id)
        contact = ClientContact(
            client_id=client_id, name=name, role=data.role.strip() or None, phone=phone, email=email
        )
        uow.session.add(contact)
        uow.session.flush()
        uow.commit()
        return contact.id


def list_contacts(uow: UnitOfWork, actor: Actor, client_id: int) -> list[dict[str, Any]]:
    actor.require(CAN_VIEW_CRM)
    with uow:
        return [
            {"id": c.id, "name": c.name, "role": c.role, "phone": c.phone, "email": c.email}
            for c in uow.session.scalars(
                select(ClientContact)
                .where(ClientContact.client_id == client_id, ClientContact.archived_at.is_(None))
                .order_by(ClientContact.name)
            )
        ]
