"""Likely duplicates of a client (similar name, same phone, e-mail or tax id): the one
matching of the client card's Duplicates tab, of a new client's save and of the import.

A new client that is likely one already saved is not saved without a word: `create_client`
raises `LikelyDuplicates` naming them, and saves only when the person confirms those very
clients are others (a client that matches and was not shown is named again)."""

from __future__ import annotations

from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import func, literal, or_, select

from common.actor import Actor
from common.errors import DomainError, NotFound
from common.i18n import N_
from common.roles import CAN_VIEW_CRM
from core.crm import core_name
from core.imports import SAME_EMAIL, SAME_PHONE, SAME_TAX_ID
from db.models.crm import Client
from db.session import UnitOfWork

SIMILAR_NAME = 88  # rapidfuzz token-set ratio from which two names are "likely the same"
SIMILAR = N_("similar name")


class LikelyDuplicates(DomainError):
    """A new client is likely one already saved; nothing was saved. `matches` are those
    clients (id, code, name, phone, email, reasons), best first."""

    def __init__(self, matches: list[dict[str, Any]]) -> None:
        super().__init__(N_("This client may already be saved: nothing was saved yet."))
        self.matches = matches


def find_duplicates(uow: UnitOfWork, actor: Actor, client_id: int, limit: int = 10) -> list[dict[str, Any]]:
    """Likely duplicates of one client: the same tax id, phone or e-mail, or a similar name
    (trigram candidates from the database, scored with rapidfuzz), best first."""
    actor.require(CAN_VIEW_CRM)
    with uow:
        me = uow.session.get(Client, client_id)
        if me is None:
            raise NotFound(N_("This client does not exist."))
        return likely_duplicates(uow.session, me.name, me.tax_id, me.phone, me.email, exclude=[me.id], limit=limit)


def likely_duplicates(
    session: Any,
    name: str,
    tax_id: str | None,
    phone: str | None,
    email: str | None,
    exclude: list[int] | None = None,
    limit: int = 10,
) -> list[dict[str, Any]]:
    """Saved clients likely the same as these details: the same tax id, phone or e-mail, or a
    similar name (trigram candidates from the database, scored with rapidfuzz), best first."""
    same = [
        cond
        for cond in (
            Client.tax_id == tax_id if tax_id else None,
            Client.phone == phone if phone else None,
            Client.phone2 == phone if phone else None,
            func.lower(Client.email) == email.lower() if email else None,
        )
        if cond is not None
    ]
    core = core_name(name)
    # word similarity against the indexed search text (GIN trigram index): candidates only
    similar = literal(core).op("<%")(Client.search_text)
    stmt = select(Client).where(Client.merged_into_id.is_(None), or_(similar, *same))
    if exclude:
        stmt = stmt.where(Client.id.not_in(exclude))
    candidates = session.scalars(stmt.limit(200)).all()
    out: list[dict[str, Any]] = []
    for other in candidates:
        reasons = []
        if tax_id and other.tax_id == tax_id:
            reasons.append(SAME_TAX_ID)
        if phone and phone in (other.phone, other.phone2):
            reasons.append(SAME_PHONE)
        if email and other.email and other.email.lower() == email.lower():
            reasons.append(SAME_EMAIL)
        score = fuzz.token_set_ratio(core, core_name(other.name))
        if score >= SIMILAR_NAME:
            reasons.append(SIMILAR)
        if reasons:
            out.append(
                {
                    "id": other.id,
                    "code": other.code,
                    "name": other.name,
                    "phone": other.phone or "",
                    "email": other.email or "",
                    "score": round(score),
                    "reasons": reasons,
                }
            )
    out.sort(key=lambda r: (-len(r["reasons"]), -r["score"]))
    return out[:limit]
