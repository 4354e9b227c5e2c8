"""Segments (SPEC C5): groups of clients built from rules, with a live count and a preview,
saved for campaigns. Reachable-for-marketing asks the consent register (C8) the way
`may_send` does."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, exists, func, not_, or_, select
from sqlalchemy.orm import Session

from common.actor import Actor
from common.errors import NotFound
from common.i18n import N_
from common.roles import CAN_EDIT_CRM, CAN_VIEW_CRM
from core.crm import clean_segment_rules, parse_tags
from core.services.crm.base import day_start, invalid
from core.services.crm.consent import client_reachable
from core.services.listing import like_pattern
from core.services.settings import company_today, company_zone
from core.services.versions import check_version
from db.models.crm import CHANNELS, Client, Interaction, Segment
from db.session import UnitOfWork


@dataclass
class SegmentRules:
    values: dict[str, Any] = field(default_factory=dict)


def _segment_where(session: Session, rules: dict[str, Any], today: dt.date) -> list[Any]:
    r = clean_segment_rules(rules)
    where: list[Any] = [Client.merged_into_id.is_(None), Client.archived_at.is_(None)]
    if r.get("category_ids"):
        where.append(Client.category_id.in_(r["category_ids"]))
    if r.get("regions"):
        where.append(func.lower(Client.region).in_([x.lower() for x in r["regions"]]))
    if r.get("statuses"):
        where.append(Client.status.in_(r["statuses"]))
    if r.get("kinds"):
        where.append(Client.kind.in_(r["kinds"]))
    if r.get("tags"):
        where.append(Client.tags.overlap(parse_tags(r["tags"])))
    if r.get("manager_ids"):
        where.append(Client.manager_user_id.in_(r["manager_ids"]))
    if r.get("needs"):
        pattern = like_pattern(r["needs"])
        where.append(
            or_(
                func.lower(func.coalesce(Client.cargo_types, "")).like(pattern),
                func.lower(func.coalesce(Client.usual_routes, "")).like(pattern),
            )
        )
    contacted = exists().where(
        Interaction.client_id == Client.id,
        Interaction.status == "done",
    )
    if "silent_days" in r:
        since = day_start(today - dt.timedelta(days=r["silent_days"]), company_zone(session))
        where.append(not_(contacted.where(Interaction.at >= since)))
    if "contacted_within_days" in r:
        since = day_start(today - dt.timedelta(days=r["contacted_within_days"]), company_zone(session))
        where.append(contacted.where(Interaction.at >= since))
    if r.get("reachable") in CHANNELS:
        where += client_reachable(r["reachable"], "marketing")
    return where


def segment_count(uow: UnitOfWork, actor: Actor, rules: dict[str, Any]) -> int:
    actor.require(CAN_VIEW_CRM)
    with uow:
        where = _segment_where(uow.session, rules, company_today(uow.session))
        return uow.session.scalar(select(func.count()).select_from(Client).where(and_(*where))) or 0


def segment_preview(uow: UnitOfWork, actor: Actor, rules: dict[str, Any], limit: int = 50) -> list[dict[str, Any]]:
    actor.require(CAN_VIEW_CRM)
    with uow:
        where = _segment_where(uow.session, rules, company_today(uow.session))
        rows = uow.session.execute(
            select(Client.id, Client.code, Client.name, Client.region, Client.status, Client.email, Client.phone)
            .where(and_(*where))
            .order_by(Client.name)
            .limit(limit)
        )
        return [dict(r._mapping) for r in rows]


def segment_members(session: Session, segment_id: int) -> list[int]:
    """The clients in a saved segment now (campaigns call this, then `may_send` per client)."""
    segment = session.get(Segment, segment_id)
    if segment is None:
        raise NotFound(N_("This segment does not exist."))
    where = _segment_where(session, segment.rules, company_today(session))
    return list(session.scalars(select(Client.id).where(and_(*where)).order_by(Client.id)))


def save_segment(
    uow: UnitOfWork,
    actor: Actor,
    name: str,
    rules: dict[str, Any],
    segment_id: int | None = None,
    expected_version: int | None = None,
) -> int:
    """Save a new segment, or the one opened (`segment_id`, with the version it was opened
    with: RecordChanged if it was saved since); a new one cannot take the name of another."""
    actor.require(CAN_EDIT_CRM)
    clean = " ".join(name.split())
    if not clean:
        raise invalid("segment_name", N_("Give the segment a name."))
    try:
        cleaned = clean_segment_rules(rules)
    except ValueError as exc:
        raise invalid("segment_name", N_("Days cannot be negative.")) from exc
    with uow:
        same_name = uow.session.scalar(select(Segment).where(func.lower(Segment.name) == clean.lower()))
        if same_name is not None and same_name.id != segment_id:
            raise invalid("segment_name", N_("Another segment has this name."))
        segment = uow.session.get(Segment, segment_id, with_for_update=True) if segment_id else None
        if segment is not None:
            check_version(uow.session, segment, expected_version)
        if segment is None:
            segment = Segment(name=clean, created_by=actor.user_id)
            uow.session.add(segment)
        segment.name = clean
        segment.rules = cleaned
        uow.session.flush()
        uow.commit()
        return segment.id


def list_segments(uow: UnitOfWork, actor: Actor) -> list[dict[str, Any]]:
    actor.require(CAN_VIEW_CRM)
    with uow:
        return [
            {"id": s.id, "name": s.name, "rules": s.rules, "version": s.version}
            for s in uow.session.scalars(select(Segment).where(Segment.archived_at.is_(None)).order_by(Segment.name))
        ]
