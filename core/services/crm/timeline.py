"""One client's timeline (SPEC C2): interactions, documents, contracts and tariff sheets,
follow-ups done and consent changes merged newest first, and the client's statistics.

Every source gives (at, kind, title, detail, who, ref_type, ref_id, params) for one client.
Later features (quotes, orders, messages) register their own source with `timeline_source`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import String, case, cast, func, literal, select
from sqlalchemy.dialects.postgresql import JSONB

from common.actor import Actor
from common.roles import CAN_VIEW_CRM
from core.services.crm.base import CONTACT_LOGGED
from db.models.auth import User
from db.models.crm import ClientAgreement, ClientContact, Consent, FollowUp, Interaction
from db.models.files import Attachment
from db.session import UnitOfWork

_NO_PARAMS = cast(literal(None), JSONB).label("params")

TimelineSource = Callable[[int], Any]
TIMELINE_SOURCES: dict[str, TimelineSource] = {}


def timeline_source(name: str) -> Callable[[TimelineSource], TimelineSource]:
    def register(fn: TimelineSource) -> TimelineSource:
        TIMELINE_SOURCES[name] = fn
        return fn

    return register


@timeline_source("interaction")
def _interactions(client_id: int) -> Any:
    return (
        select(
            Interaction.at.label("at"),
            Interaction.kind.label("kind"),
            Interaction.topic.label("title"),
            func.concat_ws(
                " · ",
                Interaction.result,
                case((Interaction.promise.is_not(None), func.concat("⟶ ", Interaction.promise)), else_=None),
                case((Interaction.next_step.is_not(None), func.concat("→ ", Interaction.next_step)), else_=None),
            ).label("detail"),
            User.full_name.label("who"),
            case((Interaction.status == "planned", literal("appointment")), else_=literal("interaction")).label(
                "ref_type"
            ),
            Interaction.id.label("ref_id"),
            _NO_PARAMS,
        )
        .outerjoin(User, User.id == Interaction.owner_user_id)
        .where(Interaction.client_id == client_id, Interaction.status != "cancelled")
    )


@timeline_source("document")
def _documents(client_id: int) -> Any:
    return select(
        Attachment.created_at.label("at"),
        literal("document").label("kind"),
        Attachment.filename.label("title"),
        Attachment.description.label("detail"),
        literal(None).label("who"),
        literal("attachment").label("ref_type"),
        Attachment.id.label("ref_id"),
        _NO_PARAMS,
    ).where(Attachment.entity_type == "client", Attachment.entity_id == client_id, Attachment.archived_at.is_(None))


@timeline_source("agreement")
def _agreements(client_id: int) -> Any:
    return select(
        ClientAgreement.created_at.label("at"),
        ClientAgreement.kind.label("kind"),
        ClientAgreement.number.label("title"),
        func.concat(cast(ClientAgreement.valid_from, String), " – ", cast(ClientAgreement.valid_to, String)).label(
            "detail"
        ),
        literal(None).label("who"),
        literal("agreement").label("ref_type"),
        ClientAgreement.id.label("ref_id"),
        _NO_PARAMS,
    ).where(ClientAgreement.client_id == client_id)


@timeline_source("follow_up")
def _follow_ups(client_id: int) -> Any:
    return (
        select(
            FollowUp.done_at.label("at"),
            literal("follow_up").label("kind"),
            FollowUp.title.label("title"),
            FollowUp.result.label("detail"),
            User.full_name.label("who"),
            literal("follow_up").label("ref_type"),
            FollowUp.id.label("ref_id"),
            FollowUp.params.label("params"),
        )
        .outerjoin(User, User.id == FollowUp.owner_user_id)
        .where(FollowUp.client_id == client_id, FollowUp.status == "done", FollowUp.result != CONTACT_LOGGED)
    )


@timeline_source("consent")
def _consents(client_id: int) -> Any:
    """The page words it: the codes travel in `params` (channel, purpose, decision, how, note)."""
    return (
        select(
            Consent.at.label("at"),
            literal("consent").label("kind"),
            literal("").label("title"),
            cast(literal(None), String).label("detail"),
            User.full_name.label("who"),
            literal("consent").label("ref_type"),
            Consent.id.label("ref_id"),
            func.jsonb_build_object(
                "channel",
                Consent.channel,
                "purpose",
                Consent.purpose,
                "opted_in",
                Consent.opted_in,
                "how",
                Consent.how,
                "note",
                Consent.note,
                "contact",
                ClientContact.name,
            ).label("params"),
        )
        .outerjoin(User, User.id == Consent.recorded_by)
        .outerjoin(ClientContact, ClientContact.id == Consent.contact_id)
        .where(Consent.client_id == client_id)
    )


def timeline(
    uow: UnitOfWork, actor: Actor, client_id: int, limit: int = 100, offset: int = 0, kinds: list[str] | None = None
) -> tuple[list[dict[str, Any]], int]:
    """One client's history, newest first, merged from every registered source; a page of it."""
    actor.require(CAN_VIEW_CRM)
    with uow:
        parts = [source(client_id) for source in TIMELINE_SOURCES.values()]
        union = parts[0].union_all(*parts[1:]).subquery()
        stmt = select(union)
        if kinds:
            stmt = stmt.where(union.c.kind.in_(kinds))
        total = uow.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        rows = uow.session.execute(stmt.order_by(union.c.at.desc(), union.c.ref_id.desc()).limit(limit).offset(offset))
        return [dict(r._mapping) for r in rows], total


def client_statistics(uow: UnitOfWork, actor: Actor, client_id: int) -> dict[str, Any]:
    actor.require(CAN_VIEW_CRM)
    with uow:
        by_kind = dict(
            uow.session.execute(
                select(Interaction.kind, func.count())
                .where(Interaction.client_id == client_id, Interaction.status == "done")
                .group_by(Interaction.kind)
            ).all()
        )
        last = uow.session.scalar(
            select(func.max(Interaction.at)).where(Interaction.client_id == client_id, Interaction.status == "done")
        )
        open_items = uow.session.scalar(
            select(func.count()).where(FollowUp.client_id == client_id, FollowUp.status == "open")
        )
        planned = uow.session.scalar(
            select(func.count()).where(Interaction.client_id == client_id, Interaction.status == "planned")
        )
        return {"by_kind": by_kind, "last_contact": last, "open_follow_ups": open_items, "appointments": planned}
