"""Client categories (SPEC C5) and the follow-up rules the company configures (C4): rules
are data, one per kind and category."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from common.actor import Actor
from common.errors import NotFound
from common.i18n import N_
from common.roles import CAN_CONFIGURE_CRM, CAN_VIEW_CRM
from core.services.crm.base import SCAN_RULES, invalid
from core.services.versions import check_version
from db.models.crm import Client, ClientCategory, FollowUpRule
from db.session import UnitOfWork


def list_categories(uow: UnitOfWork, actor: Actor) -> list[dict[str, Any]]:
    actor.require(CAN_VIEW_CRM)
    with uow:
        counts = dict(
            uow.session.execute(
                select(Client.category_id, func.count())
                .where(Client.merged_into_id.is_(None), Client.archived_at.is_(None))
                .group_by(Client.category_id)
            ).all()
        )
        return [
            {"id": c.id, "name": c.name, "clients": counts.get(c.id, 0)}
            for c in uow.session.scalars(
                select(ClientCategory).where(ClientCategory.archived_at.is_(None)).order_by(ClientCategory.name)
            )
        ]


def create_category(uow: UnitOfWork, actor: Actor, name: str) -> int:
    actor.require(CAN_CONFIGURE_CRM)
    clean = " ".join(name.split())
    if not clean:
        raise invalid("name", N_("Enter a name."))
    with uow:
        exists_ = uow.session.scalar(select(ClientCategory.id).where(func.lower(ClientCategory.name) == clean.lower()))
        if exists_:
            raise invalid("name", N_("This category already exists."))
        category = ClientCategory(name=clean)
        uow.session.add(category)
        uow.session.flush()
        uow.commit()
        return category.id


def list_rules(uow: UnitOfWork, actor: Actor) -> list[dict[str, Any]]:
    actor.require(CAN_VIEW_CRM)
    with uow:
        return [
            {
                "id": r.id,
                "kind": r.kind,
                "days": r.days,
                "category_id": r.category_id,
                "active": r.active,
                "version": r.version,
            }
            for r in uow.session.scalars(select(FollowUpRule).order_by(FollowUpRule.kind, FollowUpRule.id))
        ]


def save_rule(
    uow: UnitOfWork,
    actor: Actor,
    kind: str,
    days: int,
    category_id: int | None = None,
    active: bool = True,
    rule_id: int | None = None,
    expected_version: int | None = None,
) -> int:
    """Add or change a monitoring rule (`rule_id`, with the version the form showed:
    RecordChanged if it was saved since). One rule per kind and category."""
    actor.require(CAN_CONFIGURE_CRM)
    if kind not in SCAN_RULES:
        raise invalid("kind", N_("Choose a kind of rule."))
    if days < 0 or days > 3650:
        raise invalid("days", N_("Days must be between 0 and 3650."))
    if category_id is not None and kind != "silent":
        raise invalid("kind", N_("Only the silence rule can differ by category."))
    with uow:
        same = uow.session.scalar(
            select(FollowUpRule.id).where(
                FollowUpRule.kind == kind,
                FollowUpRule.category_id.is_(None) if category_id is None else FollowUpRule.category_id == category_id,
                FollowUpRule.id != (rule_id or 0),
            )
        )
        if same:
            raise invalid("kind", N_("There is already a rule of this kind for this category."))
        rule = uow.session.get(FollowUpRule, rule_id, with_for_update=True) if rule_id else FollowUpRule(kind=kind)
        if rule is None:
            raise NotFound(N_("This rule does not exist."))
        if rule_id:
            check_version(uow.session, rule, expected_version)
        rule.kind, rule.days, rule.category_id, rule.active = kind, days, category_id, active
        uow.session.add(rule)
        uow.session.flush()
        uow.commit()
        return rule.id
