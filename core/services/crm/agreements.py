"""A client's contracts and tariff sheets (SPEC C3, C4): each with its validity and its
signed scan among the client's documents; the follow-up scan reminds before one ends."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from common.actor import Actor
from common.errors import FieldErrors
from common.i18n import N_
from common.roles import CAN_EDIT_CRM, CAN_VIEW_CRM
from core.services.attachments import store_file
from core.services.crm.base import live_client
from core.services.settings import company_today
from db.models.crm import AGREEMENT_KINDS, ClientAgreement
from db.session import UnitOfWork


@dataclass
class AgreementInput:
    kind: str
    number: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    note: str = ""


def add_agreement(
    uow: UnitOfWork,
    actor: Actor,
    client_id: int,
    data: AgreementInput,
    file: tuple[str, bytes] | None = None,
) -> int:
    """A contract or a tariff sheet (a scanned price-list document), with its signed scan (one
    of the client's documents)."""
    actor.require(CAN_EDIT_CRM)
    errors = FieldErrors()
    if data.kind not in AGREEMENT_KINDS:
        errors.add("agreement_kind", N_("Choose contract or price list."))
    if not data.number.strip():
        errors.add("agreement_number", N_("Enter the number."))
    errors.too_long("agreement_number", data.number, 40)
    errors.too_long("agreement_note", data.note, 300)
    if data.valid_from is None:
        errors.add("valid_from", N_("Enter the first day."))
    if data.valid_to is None:
        errors.add("valid_to", N_("Enter the last day."))
    elif data.valid_from is not None and data.valid_to < data.valid_from:
        errors.add("valid_to", N_("The last day cannot be before the first."))
    errors.raise_if_any()
    assert data.valid_from is not None and data.valid_to is not None
    with uow:
        live_client(uow.session, client_id)
        attachment_id = None
        if file is not None:
            label = "Contract" if data.kind == "contract" else "Price list"
            attachment_id = store_file(
                uow.session, actor, "client", client_id, file[0], file[1], "document", f"{label} {data.number.strip()}"
            ).id
        agreement = ClientAgreement(
            client_id=client_id,
            kind=data.kind,
            number=data.number.strip(),
            valid_from=data.valid_from,
            valid_to=data.valid_to,
            attachment_id=attachment_id,
            note=data.note.strip() or None,
        )
        uow.session.add(agreement)
        uow.session.flush()
        uow.commit()
        return agreement.id


def list_agreements(uow: UnitOfWork, actor: Actor, client_id: int) -> list[dict[str, Any]]:
    actor.require(CAN_VIEW_CRM)
    with uow:
        today = company_today(uow.session)
        warn = today + dt.timedelta(days=30)
        return [
            {
                "id": a.id,
                "kind": a.kind,
                "number": a.number,
                "valid_from": a.valid_from,
                "valid_to": a.valid_to,
                "note": a.note,
                "attachment_id": a.attachment_id,
                "state": "expired" if a.valid_to < today else "expiring" if a.valid_to <= warn else "valid",
            }
            for a in uow.session.scalars(
                select(ClientAgreement)
                .where(ClientAgreement.client_id == client_id, ClientAgreement.archived_at.is_(None))
                .order_by(ClientAgreement.valid_to.desc())
            )
        ]
