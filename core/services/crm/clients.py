"""Clients (SPEC C1): the client base, one client's card, the list and its export, and the
choices the forms offer."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from common.actor import Actor
from common.errors import DomainError, FieldErrors, NotFound
from common.i18n import N_
from common.roles import CAN_EDIT_CRM, CAN_VIEW_CRM, SALES
from core.contacts import country_field, email_field, phone_field, tax_id_field
from core.crm import parse_tags
from core.services.crm.base import live_client, now
from core.services.crm.duplicates import LikelyDuplicates, likely_duplicates
from core.services.listing import ListQuery, PageResult, like_pattern, run_page
from core.services.settings import company_country
from core.services.versions import check_version
from db.models.auth import User
from db.models.crm import CLIENT_KINDS, CLIENT_STATUSES, Client, ClientCategory, Interaction
from db.session import UnitOfWork


@dataclass
class ClientInput:
    name: str
    kind: str = "company"
    trading_name: str = ""
    tax_id: str = ""
    country: str = ""  # ISO code (or a country's name, from a file); empty: the company's country
    address: str = ""
    region: str = ""
    phone: str = ""
    phone2: str = ""
    email: str = ""
    website: str = ""
    source: str = ""
    manager_user_id: int | None = None
    category_id: int | None = None
    tags: str | list[str] = ""
    cargo_types: str = ""
    usual_routes: str = ""
    volumes: str = ""
    status: str = "prospect"


def validate_client(session: Session, data: ClientInput, client_id: int | None = None) -> dict[str, Any]:
    """Every field checked (ValidationError naming each wrong one) and the values to save.
    The tax id follows the rule of the client's country, or of the company's when the
    client has none: in Rwanda 9 digits (core.contacts.normalize_tax_id)."""
    errors = FieldErrors()
    name = " ".join(data.name.split())
    if not name:
        errors.add("name", N_("Enter the client's name."))
    if data.kind not in CLIENT_KINDS:
        errors.add("kind", N_("Choose company or private person."))
    if data.status not in CLIENT_STATUSES:
        errors.add("status", N_("Choose a status."))
    country = country_field(data.country, errors, "country")
    tax_id = tax_id_field(data.tax_id, country or company_country(session), errors, "tax_id")
    if tax_id is not None:
        other = session.scalar(
            select(Client.code).where(
                Client.tax_id == tax_id, Client.merged_into_id.is_(None), Client.id != (client_id or 0)
            )
        )
        if other:
            errors.add("tax_id", N_("Client {code} already has this tax id."), code=other)
    errors.too_long("name", name, 200)
    errors.too_long("trading_name", data.trading_name, 200)
    errors.too_long("address", data.address, 300)
    errors.too_long("region", data.region, 80)
    errors.too_long("website", data.website, 200)
    errors.too_long("source", data.source, 80)
    errors.too_long("cargo_types", data.cargo_types, 300)
    errors.too_long("usual_routes", data.usual_routes, 300)
    errors.too_long("volumes", data.volumes, 200)
    values = {
        "kind": data.kind,
        "name": name,
        "trading_name": data.trading_name.strip() or None,
        "tax_id": tax_id,
        "country": country,
        "address": data.address.strip() or None,
        "region": data.region.strip() or None,
        "phone": phone_field(data.phone, errors, "phone"),
        "phone2": phone_field(data.phone2, errors, "phone2"),
        "email": email_field(data.email, errors, "email"),
        "website": data.website.strip() or None,
        "source": data.source.strip() or None,
        "manager_user_id": data.manager_user_id,
        "category_id": data.category_id,
        "tags": parse_tags(data.tags),
        "cargo_types": data.cargo_types.strip() or None,
        "usual_routes": data.usual_routes.strip() or None,
        "volumes": data.volumes.strip() or None,
        "status": data.status,
    }
    if data.category_id is not None and session.get(ClientCategory, data.category_id) is None:
        errors.add("category_id", N_("Choose a category from the list."))
    if data.manager_user_id is not None and session.get(User, data.manager_user_id) is None:
        errors.add("manager_user_id", N_("Choose a manager from the list."))
    errors.raise_if_any()
    return values


def create_client(uow: UnitOfWork, actor: Actor, data: ClientInput, confirmed: Collection[int] = ()) -> int:
    """Save a new client. A client likely saved already (the CRM's duplicate matching:
    same tax id, phone or e-mail, or a similar name) raises LikelyDuplicates naming them, and
    nothing is saved; `confirmed` are the ids the person saw and confirmed are other clients,
    so the save goes on unless a client not shown matches too."""
    actor.require(CAN_EDIT_CRM)
    with uow:
        values = validate_client(uow.session, data)
        matches = likely_duplicates(
            uow.session, values["name"], values["tax_id"], values["phone"], values["email"], limit=5
        )
        if any(m["id"] not in confirmed for m in matches):
            raise LikelyDuplicates(matches)
        if values["manager_user_id"] is None and actor.role == SALES:
            values["manager_user_id"] = actor.user_id
        number = uow.session.scalar(text("SELECT nextval('client_id_seq')"))
        client = Client(id=number, code=f"C{number:06d}", **values)
        uow.session.add(client)
        try:
            uow.session.flush()
        except IntegrityError as exc:  # two people saving the same tax id at once
            raise DomainError(N_("Another client with this tax id was saved a moment ago.")) from exc
        uow.commit()
        return client.id


def update_client(
    uow: UnitOfWork, actor: Actor, client_id: int, data: ClientInput, expected_version: int | None = None
) -> bool:
    """Save the changed fields (False: nothing changed); `expected_version` is the version the
    form was opened with (RecordChanged if the client was saved since)."""
    actor.require(CAN_EDIT_CRM)
    with uow:
        client = live_client(uow.session, client_id, lock=True)
        check_version(uow.session, client, expected_version)
        values = validate_client(uow.session, data, client_id)
        changed = False
        for key, value in values.items():
            if getattr(client, key) != value:
                setattr(client, key, value)
                changed = True
        if changed:
            uow.commit()
        return changed


def set_client_archived(uow: UnitOfWork, actor: Actor, client_id: int, archived: bool) -> None:
    actor.require(CAN_EDIT_CRM)
    with uow:
        client = live_client(uow.session, client_id, lock=True)
        client.archived_at = now() if archived else None
        uow.commit()


def get_client(uow: UnitOfWork, actor: Actor, client_id: int) -> dict[str, Any]:
    actor.require(CAN_VIEW_CRM)
    with uow:
        client = uow.session.get(Client, client_id)
        if client is None:
            raise NotFound(N_("This client does not exist."))
        out = {c.key: getattr(client, c.key) for c in Client.__mapper__.column_attrs if c.key != "search_text"}
        out["category"] = (
            uow.session.scalar(select(ClientCategory.name).where(ClientCategory.id == client.category_id))
            if client.category_id
            else None
        )
        out["manager"] = (
            uow.session.scalar(select(User.full_name).where(User.id == client.manager_user_id))
            if client.manager_user_id
            else None
        )
        return out


def _last_interaction() -> Any:
    return (
        select(func.max(Interaction.at))
        .where(Interaction.client_id == Client.id, Interaction.status == "done")
        .correlate(Client)
        .scalar_subquery()
    )


CLIENT_COLUMNS = {
    "code": Client.code,
    "name": Client.name,
    "category": ClientCategory.name,
    "region": Client.region,
    "phone": Client.phone,
    "manager": User.full_name,
    "status": Client.status,
}


def _client_select(q: ListQuery) -> Any:
    last = _last_interaction().label("last_contact")
    stmt = (
        select(
            Client.id,
            Client.code,
            Client.name,
            ClientCategory.name.label("category"),
            Client.region,
            Client.phone,
            User.full_name.label("manager"),
            Client.status,
            last,
            Client.archived_at,
        )
        .outerjoin(ClientCategory, ClientCategory.id == Client.category_id)
        .outerjoin(User, User.id == Client.manager_user_id)
        .where(Client.merged_into_id.is_(None))
    )
    if q.search.strip():
        stmt = stmt.where(Client.search_text.like(like_pattern(q.search)))
    if status := q.filter_value("status"):
        stmt = stmt.where(Client.status == status)
    if category := q.filter_value("category"):
        stmt = stmt.where(Client.category_id == int(category))
    if manager := q.filter_value("manager"):
        stmt = stmt.where(Client.manager_user_id == int(manager))
    if not q.include_archived:
        stmt = stmt.where(Client.archived_at.is_(None))
    return stmt


def list_clients(uow: UnitOfWork, actor: Actor, q: ListQuery) -> PageResult:
    actor.require(CAN_VIEW_CRM)
    columns = {**CLIENT_COLUMNS, "last_contact": _last_interaction()}  # correlated: built per query
    with uow:
        return run_page(uow.session, _client_select(q), q, columns, "name", Client.id)


def export_clients(uow: UnitOfWork, actor: Actor, q: ListQuery) -> list[dict[str, Any]]:
    actor.require(CAN_VIEW_CRM)
    with uow:
        return [dict(r._mapping) for r in uow.session.execute(_client_select(q).order_by(Client.name))]


def client_choices(uow: UnitOfWork, actor: Actor, search: str = "", limit: int = 50) -> list[tuple[int, str]]:
    actor.require(CAN_VIEW_CRM)
    with uow:
        stmt = select(Client.id, Client.code, Client.name).where(
            Client.merged_into_id.is_(None), Client.archived_at.is_(None)
        )
        if search.strip():
            stmt = stmt.where(Client.search_text.like(like_pattern(search)))
        return [(r.id, f"{r.name} · {r.code}") for r in uow.session.execute(stmt.order_by(Client.name).limit(limit))]


def manager_choices(uow: UnitOfWork, actor: Actor) -> list[tuple[int, str]]:
    """Users who can own clients: sales managers, directors and administrators."""
    actor.require(CAN_VIEW_CRM)
    with uow:
        rows = uow.session.execute(
            select(User.id, User.full_name)
            .where(User.role.in_(CAN_EDIT_CRM), User.is_active.is_(True))
            .order_by(User.full_name)
        )
        return [(r.id, r.full_name) for r in rows]
