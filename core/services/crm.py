"""CRM use cases (SPEC C1-C5, C8, P1, P2, P4): clients and contacts, interactions and the
client timeline, follow-up monitoring, daily plans, result control, plan versus done,
the consent register and segments.

Follow-ups are produced by one set-based statement per rule kind; each carries a key of its
cause (this promise, this next step, this client silent since that date), so a due item
reaches the plan once and a second scan, a restart or a second worker adds nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Date, String, and_, case, cast, exists, func, literal, not_, or_, select, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from common.actor import Actor
from common.errors import DomainError, FieldErrors, NotFound, ValidationError
from common.i18n import N_
from common.roles import CAN_CONFIGURE_CRM, CAN_EDIT_CRM, CAN_VIEW_CRM, DIRECTOR, SALES
from core.contacts import email_field, phone_field
from core.crm import (
    FOLLOW_UP_CONTRACT,
    FOLLOW_UP_NEXT_STEP,
    FOLLOW_UP_PRICE_LIST,
    FOLLOW_UP_PROMISE,
    FOLLOW_UP_PROMO,
    FOLLOW_UP_SILENT,
    ConsentRow,
    clean_segment_rules,
    consent_decision,
    parse_tags,
    plan_bucket,
)
from core.services.listing import ListQuery, PageResult, like_pattern, run_page
from core.services.settings import company_today, company_zone, get_int
from db.models.auth import User
from db.models.crm import (
    AGREEMENT_KINDS,
    CHANNELS,
    CLIENT_KINDS,
    CLIENT_STATUSES,
    CONSENT_HOW,
    INTERACTION_KINDS,
    PURPOSES,
    Client,
    ClientAgreement,
    ClientCategory,
    ClientContact,
    Consent,
    FollowUp,
    FollowUpRule,
    Interaction,
    Segment,
)
from db.session import UnitOfWork

CONTACT_LOGGED = N_("Closed: a contact was logged")
PROMISE_KEPT = N_("Promise kept")
SCAN_RULES = ("silent", "promise", "next_step", "contract", "promo")  # kinds the daily scan applies


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _day_start(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=zone)


def _invalid(field_name: str, message: str, **params: object) -> ValidationError:
    return ValidationError({field_name: (message, params)})


# ---- clients -----------------------------------------------------------------------------


@dataclass
class ClientInput:
    name: str
    kind: str = "company"
    trading_name: str = ""
    tax_id: str = ""
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
    errors = FieldErrors()
    name = " ".join(data.name.split())
    if not name:
        errors.add("name", N_("Enter the client's name."))
    if data.kind not in CLIENT_KINDS:
        errors.add("kind", N_("Choose company or private person."))
    if data.status not in CLIENT_STATUSES:
        errors.add("status", N_("Choose a status."))
    tax_id = data.tax_id.strip().upper() or None
    if tax_id is not None:
        if not tax_id.isalnum() or len(tax_id) > 20:
            errors.add("tax_id", N_("A tax id has only letters and digits (TIN: 9 digits)."))
        else:
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


def create_client(uow: UnitOfWork, actor: Actor, data: ClientInput) -> int:
    actor.require(CAN_EDIT_CRM)
    with uow:
        values = validate_client(uow.session, data)
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


def update_client(uow: UnitOfWork, actor: Actor, client_id: int, data: ClientInput) -> bool:
    actor.require(CAN_EDIT_CRM)
    with uow:
        client = _client(uow.session, client_id, lock=True)
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
        client = _client(uow.session, client_id, lock=True)
        client.archived_at = _now() if archived else None
        uow.commit()


def _client(session: Session, client_id: int, lock: bool = False) -> Client:
    client = session.get(Client, client_id, with_for_update=lock)
    if client is None:
        raise NotFound(N_("This client does not exist."))
    if client.merged_into_id is not None:
        raise DomainError(N_("This client was merged into another one."))
    return client


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


# ---- categories and rules ------------------------------------------------------------------


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
        raise _invalid("name", N_("Enter a name."))
    with uow:
        exists_ = uow.session.scalar(select(ClientCategory.id).where(func.lower(ClientCategory.name) == clean.lower()))
        if exists_:
            raise _invalid("name", N_("This category already exists."))
        category = ClientCategory(name=clean)
        uow.session.add(category)
        uow.session.flush()
        uow.commit()
        return category.id


def list_rules(uow: UnitOfWork, actor: Actor) -> list[dict[str, Any]]:
    actor.require(CAN_VIEW_CRM)
    with uow:
        return [
            {"id": r.id, "kind": r.kind, "days": r.days, "category_id": r.category_id, "active": r.active}
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
) -> int:
    """Add or change a monitoring rule. One rule per kind and category."""
    actor.require(CAN_CONFIGURE_CRM)
    if kind not in SCAN_RULES:
        raise _invalid("kind", N_("Choose a kind of rule."))
    if days < 0 or days > 3650:
        raise _invalid("days", N_("Days must be between 0 and 3650."))
    if category_id is not None and kind != "silent":
        raise _invalid("kind", N_("Only the silence rule can differ by category."))
    with uow:
        same = uow.session.scalar(
            select(FollowUpRule.id).where(
                FollowUpRule.kind == kind,
                FollowUpRule.category_id.is_(None) if category_id is None else FollowUpRule.category_id == category_id,
                FollowUpRule.id != (rule_id or 0),
            )
        )
        if same:
            raise _invalid("kind", N_("There is already a rule of this kind for this category."))
        rule = uow.session.get(FollowUpRule, rule_id) if rule_id else FollowUpRule(kind=kind)
        if rule is None:
            raise NotFound(N_("This rule does not exist."))
        rule.kind, rule.days, rule.category_id, rule.active = kind, days, category_id, active
        uow.session.add(rule)
        uow.session.flush()
        uow.commit()
        return rule.id


# ---- contacts ----------------------------------------------------------------------------


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
        _client(uow.session, client_id)
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


# ---- interactions ------------------------------------------------------------------------


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
        elif data.planned and data.at < _now() - dt.timedelta(minutes=5):
            errors.add("at", N_("An appointment is planned for later; log a past contact with its result."))
        elif not data.planned and data.at > _now() + dt.timedelta(minutes=5):
            errors.add("at", N_("A contact that already happened cannot be in the future; plan an appointment."))
        if not data.planned and not data.result.strip():
            errors.add("result", N_("Enter the result of the contact."))
        errors.too_long("topic", data.topic, 200)
        errors.too_long("promise", data.promise, 300)
        errors.too_long("next_step", data.next_step, 300)
        _check_next(errors, today, data.promise, data.promise_due, data.next_step, data.next_due)
        client = _client(uow.session, data.client_id)
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
            result_at=None if data.planned else _now(),
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
        follow_up.done_at = _now()
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
        interaction.result_at = _now()
        interaction.promise = promise.strip() or interaction.promise
        interaction.promise_due = promise_due or interaction.promise_due
        interaction.next_step = next_step.strip() or interaction.next_step
        interaction.next_due = next_due or interaction.next_due
        _close_silence(uow.session, interaction.client_id)
        uow.commit()


def keep_promise(uow: UnitOfWork, actor: Actor, interaction_id: int) -> None:
    """Mark a promise fulfilled; its follow-up leaves the plan."""
    actor.require(CAN_EDIT_CRM)
    with uow:
        interaction = uow.session.get(Interaction, interaction_id, with_for_update=True)
        if interaction is None or not interaction.promise:
            raise NotFound(N_("This contact has no promise."))
        if interaction.promise_kept_at is None:
            interaction.promise_kept_at = _now()
            for item in uow.session.scalars(
                select(FollowUp).where(FollowUp.dedupe_key == f"promise:{interaction_id}", FollowUp.status == "open")
            ):
                item.status, item.done_at, item.result = "done", _now(), PROMISE_KEPT
            uow.commit()


# ---- timeline ----------------------------------------------------------------------------

_NO_PARAMS = cast(literal(None), JSONB).label("params")

# Every source gives (at, kind, title, detail, who, ref_type, ref_id, params) for one client, newest
# first. Later features (quotes, orders, messages) register their own source here.
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
    from db.models.files import Attachment

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


# ---- follow-up monitoring (C4) -----------------------------------------------------------


def follow_up_scan(uow: UnitOfWork, today: dt.date | None = None) -> int:
    """Put today's due follow-ups on the managers' plans; returns how many are new.

    Promises and next steps are looked at from `crm.scan_lookback_days` back (a scan missed
    for a few days catches up; years-old history is not re-raised every morning)."""
    with uow:
        made = _follow_up_scan(uow.session, today or company_today(uow.session))
        uow.commit()
        return made


def _follow_up_scan(session: Session, today: dt.date) -> int:
    made = 0
    zone = str(company_zone(session))
    since = today - dt.timedelta(days=get_int(session, "crm.scan_lookback_days"))
    rules = session.scalars(select(FollowUpRule).where(FollowUpRule.active.is_(True))).all()
    general = {r.kind: r.days for r in rules if r.category_id is None}
    fallback = _fallback_owner(session)
    for rule, kind in _due_kinds().items():
        if rule in general:
            made += _scan_owed(session, kind, today, general[rule], since, fallback)
    silent = [r for r in rules if r.kind == "silent"]
    if silent:
        made += _scan_silence(session, today, silent, zone, fallback)
    if "contract" in general:
        made += _scan_agreements(session, today, general["contract"], fallback)
    if "promo" in general:
        made += _scan_promo(session, today, general["promo"], zone, fallback)
    return made


def _active(user_column: Any) -> Any:
    """The user in `user_column` when that user is still active, else NULL."""
    return (
        select(User.id).where(User.id == user_column, User.is_active.is_(True)).correlate_except(User).scalar_subquery()
    )


def _fallback_owner(session: Session) -> int | None:
    """Who gets an item whose client has no (active) manager: a director, else an administrator."""
    for role in (DIRECTOR, "administrator"):
        found = session.scalar(
            select(User.id).where(User.role == role, User.is_active.is_(True)).order_by(User.id).limit(1)
        )
        if found is not None:
            return found
    return None


def _insert_follow_ups(session: Session, rows: Any) -> int:
    from sqlalchemy.dialects.postgresql import insert

    stmt = (
        insert(FollowUp)
        .from_select(
            [
                "client_id",
                "owner_user_id",
                "rule",
                "title",
                "params",
                "interaction_id",
                "due_date",
                "first_due_date",
                "dedupe_key",
            ],
            rows,
        )
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(FollowUp.id)
    )
    return len(session.execute(stmt).all())


def _shown_from(due: Any, today: dt.date, lead_days: int) -> Any:
    """An item reaches the plan `lead_days` before its deadline (never before today); an item
    already late keeps its deadline so the plan shows it overdue. first_due_date keeps the
    deadline itself, which plan-versus-done measures against."""
    return case((due < today, due), else_=func.greatest(literal(today), due - lead_days))


@dataclass(frozen=True)
class _DueKind:
    """What an interaction owes: a promise or a next step, with its text, deadline and key."""

    rule: str
    title: str
    text: Any
    due: Any
    key: str
    open_: Any


def _due_kinds() -> dict[str, _DueKind]:
    return {
        "promise": _DueKind(
            "promise",
            FOLLOW_UP_PROMISE,
            Interaction.promise,
            Interaction.promise_due,
            "promise:",
            Interaction.promise_kept_at.is_(None),
        ),
        "next_step": _DueKind(
            "next_step",
            FOLLOW_UP_NEXT_STEP,
            Interaction.next_step,
            Interaction.next_due,
            "next:",
            Interaction.next_step.is_not(None),
        ),
    }


def _scan_owed(
    session: Session, kind: _DueKind, today: dt.date, lead_days: int, since: dt.date, fallback: int | None
) -> int:
    """Promises or next steps whose day is within `lead_days`, looked at from `since` on."""
    owner = func.coalesce(
        _active(Interaction.next_owner_user_id),
        _active(Interaction.owner_user_id),
        _active(Client.manager_user_id),
        literal(fallback),
    )
    rows = (
        select(
            Interaction.client_id,
            owner,
            literal(kind.rule),
            literal(kind.title),
            func.jsonb_build_object("text", kind.text),
            Interaction.id,
            _shown_from(kind.due, today, lead_days),
            kind.due,
            func.concat(kind.key, cast(Interaction.id, String)),
        )
        .join(Client, Client.id == Interaction.client_id)
        .where(
            kind.due.is_not(None),
            kind.open_,
            Interaction.status == "done",
            kind.due <= today + dt.timedelta(days=lead_days),
            kind.due > since,
            Client.merged_into_id.is_(None),
        )
    )
    return _insert_follow_ups(session, rows)


def _scan_quiet(
    session: Session,
    today: dt.date,
    *,
    rule: str,
    title: str,
    days: Any,
    counted: Any,
    zone: str,
    fallback: int | None,
    extra: tuple[Any, ...] = (),
) -> int:
    """Live clients with no `counted` interaction for `days` days (since they became clients
    when they have none): one pass over the interactions grouped per client, one insert.
    The cause is "quiet after the n-th such contact", so a new contact makes a new cause;
    a client with an open item of the rule gets no second one."""
    stats = (
        select(Interaction.client_id, func.max(Interaction.at).label("last_at"), func.count().label("n"))
        .where(Interaction.status == "done", counted)
        .group_by(Interaction.client_id)
        .subquery()
    )
    since = cast(func.timezone(zone, func.coalesce(stats.c.last_at, Client.created_at)), Date)
    already = exists().where(FollowUp.client_id == Client.id, FollowUp.rule == rule, FollowUp.status == "open")
    rows = (
        select(
            Client.id,
            func.coalesce(_active(Client.manager_user_id), literal(fallback)),
            literal(rule),
            literal(title),
            func.jsonb_build_object("date", cast(since, String)),
            literal(None),
            literal(today),
            literal(today),
            func.concat(f"{rule}:", cast(Client.id, String), ":", cast(func.coalesce(stats.c.n, 0), String)),
        )
        .select_from(Client)
        .outerjoin(stats, stats.c.client_id == Client.id)
        .where(
            Client.merged_into_id.is_(None),
            Client.archived_at.is_(None),
            Client.status.in_(("prospect", "active", "dormant")),
            days.is_not(None),
            since <= literal(today) - days,
            not_(already),
            *extra,
        )
    )
    return _insert_follow_ups(session, rows)


def _scan_silence(session: Session, today: dt.date, rules: list[FollowUpRule], zone: str, fallback: int | None) -> int:
    """Clients with no contact for N days (a category's own rule before the general one)."""
    general = next((r.days for r in rules if r.category_id is None), None)
    per_category = {r.category_id: r.days for r in rules if r.category_id is not None}
    days: Any = (
        case(*[(Client.category_id == cid, d) for cid, d in per_category.items()], else_=general)
        if per_category
        else literal(general)
    )
    return _scan_quiet(
        session,
        today,
        rule="silent",
        title=FOLLOW_UP_SILENT,
        days=days,
        counted=literal(True),
        zone=zone,
        fallback=fallback,
    )


def _scan_agreements(session: Session, today: dt.date, days_ahead: int, fallback: int | None) -> int:
    """Contracts and price lists ending within N days: renew them in time."""
    label = case((ClientAgreement.kind == "contract", FOLLOW_UP_CONTRACT), else_=FOLLOW_UP_PRICE_LIST)
    rows = (
        select(
            ClientAgreement.client_id,
            func.coalesce(_active(Client.manager_user_id), literal(fallback)),
            literal("contract"),
            label,
            func.jsonb_build_object("number", ClientAgreement.number, "date", cast(ClientAgreement.valid_to, String)),
            literal(None),
            literal(today),
            ClientAgreement.valid_to,
            func.concat("agreement:", cast(ClientAgreement.id, String), ":", cast(ClientAgreement.valid_to, String)),
        )
        .join(Client, Client.id == ClientAgreement.client_id)
        .where(
            ClientAgreement.archived_at.is_(None),
            ClientAgreement.valid_to >= today,
            ClientAgreement.valid_to <= today + dt.timedelta(days=days_ahead),
            Client.merged_into_id.is_(None),
            Client.archived_at.is_(None),
        )
    )
    return _insert_follow_ups(session, rows)


def _scan_promo(session: Session, today: dt.date, every_days: int, zone: str, fallback: int | None) -> int:
    """A promotional contact is due every N days, to clients who did not refuse marketing calls."""
    return _scan_quiet(
        session,
        today,
        rule="promo",
        title=FOLLOW_UP_PROMO,
        days=literal(every_days),
        counted=Interaction.promotional.is_(True),
        zone=zone,
        fallback=fallback,
        extra=(Client.phone.is_not(None), func.coalesce(_client_consent("phone", "marketing"), True)),
    )


def _client_consent(channel: str, purpose: str) -> Any:
    """The client's own newest word on a channel and purpose (NULL when none is on record)."""
    return (
        select(Consent.opted_in)
        .where(
            Consent.client_id == Client.id,
            Consent.contact_id.is_(None),
            Consent.channel == channel,
            Consent.purpose == purpose,
        )
        .order_by(Consent.at.desc(), Consent.id.desc())
        .limit(1)
        .correlate(Client)
        .scalar_subquery()
    )


# ---- contracts and price lists ---------------------------------------------------------------


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
    """A contract or price list, with its signed scan (one of the client's documents)."""
    from core.services.attachments import store_file

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
        _client(uow.session, client_id)
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


# ---- the daily plan (P1) and its actions ---------------------------------------------------


def daily_plan(uow: UnitOfWork, actor: Actor, day: dt.date | None = None, user_id: int | None = None) -> dict[str, Any]:
    """One manager's plan for a day: due and overdue follow-ups, appointments of the day and
    appointments still waiting for their result."""
    actor.require(CAN_EDIT_CRM)
    owner = user_id if user_id is not None else actor.user_id
    if owner != actor.user_id and actor.role not in (DIRECTOR, "administrator"):
        owner = actor.user_id
    with uow:
        today = company_today(uow.session)
        day = day or today
        follow_ups = [
            {
                "id": f.id,
                "client_id": f.client_id,
                "client": name,
                "title": f.title,
                "params": f.params,
                "rule": f.rule,
                "due": f.due_date,
                "overdue": f.due_date < today,
                "interaction_id": f.interaction_id,
            }
            for f, name in uow.session.execute(
                select(FollowUp, Client.name)
                .join(Client, Client.id == FollowUp.client_id)
                .where(FollowUp.owner_user_id == owner, FollowUp.status == "open", FollowUp.due_date <= day)
                .order_by(FollowUp.due_date, FollowUp.id)
            )
        ]
        end_of_day = _day_start(day + dt.timedelta(days=1), company_zone(uow.session))
        appointments = [
            {
                "id": i.id,
                "client_id": i.client_id,
                "client": name,
                "kind": i.kind,
                "topic": i.topic,
                "at": i.at,
                "overdue": i.at < _now(),
            }
            for i, name in uow.session.execute(
                select(Interaction, Client.name)
                .join(Client, Client.id == Interaction.client_id)
                .where(
                    Interaction.owner_user_id == owner,
                    Interaction.status == "planned",
                    Interaction.at < end_of_day,
                )
                .order_by(Interaction.at)
            )
        ]
        return {"day": day, "follow_ups": follow_ups, "appointments": appointments}


def _follow_up(session: Session, actor: Actor, follow_up_id: int) -> FollowUp:
    item = session.get(FollowUp, follow_up_id, with_for_update=True)
    if item is None:
        raise NotFound(N_("This plan item does not exist."))
    if item.status != "open":
        raise DomainError(N_("This plan item is already closed."))
    if item.owner_user_id != actor.user_id and actor.role not in (DIRECTOR, "administrator"):
        raise DomainError(N_("Only its owner or a director can change this plan item."))
    return item


def complete_follow_up(uow: UnitOfWork, actor: Actor, follow_up_id: int, result: str) -> None:
    actor.require(CAN_EDIT_CRM)
    if not result.strip():
        raise _invalid("result", N_("Enter the result."))
    with uow:
        item = _follow_up(uow.session, actor, follow_up_id)
        item.status, item.done_at, item.result = "done", _now(), result.strip()
        if item.rule == "promise" and item.interaction_id:
            interaction = uow.session.get(Interaction, item.interaction_id)
            if interaction is not None and interaction.promise_kept_at is None:
                interaction.promise_kept_at = _now()
        uow.commit()


def reschedule_follow_up(uow: UnitOfWork, actor: Actor, follow_up_id: int, new_date: dt.date, reason: str) -> None:
    actor.require(CAN_EDIT_CRM)
    with uow:
        errors = FieldErrors()
        if new_date <= company_today(uow.session):
            errors.add("new_date", N_("Choose a later day."))
        if not reason.strip():
            errors.add("reason", N_("Say why it moves."))
        errors.too_long("reason", reason, 300)
        errors.raise_if_any()
        item = _follow_up(uow.session, actor, follow_up_id)
        item.due_date, item.reschedule_reason = new_date, reason.strip()
        uow.commit()


def hand_over_follow_up(uow: UnitOfWork, actor: Actor, follow_up_id: int, to_user_id: int) -> None:
    actor.require(CAN_EDIT_CRM)
    with uow:
        user = uow.session.get(User, to_user_id)
        if user is None or not user.is_active or user.role not in CAN_EDIT_CRM:
            raise _invalid("to_user", N_("Choose an active colleague who works with clients."))
        item = _follow_up(uow.session, actor, follow_up_id)
        item.owner_user_id = to_user_id
        uow.commit()


# ---- result control (P2) -----------------------------------------------------------------


def appointment_reminders(uow: UnitOfWork, now: dt.datetime | None = None) -> int:
    """Remind the owner of an appointment whose time has passed without a result, again every
    few hours, and tell the directors after the configured number of reminders."""
    with uow:
        sent = _appointment_reminders(uow.session, now or dt.datetime.now(dt.UTC))
        uow.commit()
        return sent


def _appointment_reminders(session: Session, now: dt.datetime) -> int:
    from core.services.notifications import Notice, notify, users_with_roles

    delay = dt.timedelta(hours=get_int(session, "crm.result_delay_hours"))
    repeat = dt.timedelta(hours=get_int(session, "crm.reminder_repeat_hours"))
    most = get_int(session, "crm.reminders_before_escalation")
    zone = company_zone(session)
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
        local = interaction.at.astimezone(zone).strftime("%d/%m/%Y %H:%M")
        params = (("client", client_name), ("topic", interaction.topic), ("at", local))
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
                        title=N_("No result after {count} reminders: {topic} with {client}"),
                        body=N_("{owner} has not entered the result of the appointment of {at}."),
                        params=(*params, ("count", most), ("owner", owner.full_name if owner else "")),
                        entity_type="client",
                        entity_id=interaction.client_id,
                        dedupe_key=f"appt-escalated:{interaction.id}",
                    ),
                )
            )
        interaction.reminders_sent += 1
        interaction.last_reminded_at = now
    return sent


# ---- plan versus done (P4) -----------------------------------------------------------------


def plan_vs_done(
    uow: UnitOfWork, actor: Actor, first: dt.date, last: dt.date, user_ids: list[int] | None = None
) -> list[dict[str, Any]]:
    """Per manager, for a period: planned items, done on time, done late, not done,
    interactions logged and new clients."""
    actor.require(CAN_EDIT_CRM)
    if actor.role == SALES:
        user_ids = [actor.user_id] if actor.user_id is not None else []
    with uow:
        today = company_today(uow.session)
        zone = company_zone(uow.session)

        def local_day(column: Any) -> Any:
            return cast(func.timezone(str(zone), column), Date)

        managers = uow.session.execute(
            select(User.id, User.full_name)
            .where(User.role.in_(CAN_EDIT_CRM), User.id.in_(user_ids) if user_ids is not None else literal(True))
            .order_by(User.full_name)
        ).all()
        out = []
        for manager_id, name in managers:
            counts = {"on_time": 0, "late": 0, "not_done": 0, "pending": 0}
            for due, done_at in uow.session.execute(
                select(FollowUp.first_due_date, FollowUp.done_at).where(
                    FollowUp.owner_user_id == manager_id,
                    FollowUp.first_due_date.between(first, last),
                    FollowUp.status != "cancelled",
                )
            ):
                counts[plan_bucket(due, done_at.astimezone(zone).date() if done_at else None, today)] += 1
            for at, result_at in uow.session.execute(
                select(Interaction.at, Interaction.result_at).where(
                    Interaction.owner_user_id == manager_id,
                    Interaction.status != "cancelled",
                    local_day(Interaction.at).between(first, last),
                    Interaction.was_planned.is_(True),
                )
            ):
                done_on = result_at.astimezone(zone).date() if result_at else None
                counts[plan_bucket(at.astimezone(zone).date(), done_on, today)] += 1
            logged = uow.session.scalar(
                select(func.count()).where(
                    Interaction.owner_user_id == manager_id,
                    Interaction.status == "done",
                    local_day(Interaction.at).between(first, last),
                )
            )
            new_clients = uow.session.scalar(
                select(func.count()).where(
                    Client.manager_user_id == manager_id,
                    local_day(Client.created_at).between(first, last),
                    Client.merged_into_id.is_(None),
                )
            )
            out.append(
                {
                    "manager_id": manager_id,
                    "manager": name,
                    "planned": sum(counts.values()),
                    "done_on_time": counts["on_time"],
                    "done_late": counts["late"],
                    "not_done": counts["not_done"],
                    "pending": counts["pending"],
                    "interactions": logged or 0,
                    "new_clients": new_clients or 0,
                }
            )
        return out


# ---- consent register (C8) ---------------------------------------------------------------


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
        _client(uow.session, client_id)
        if contact_id is not None:
            contact = uow.session.get(ClientContact, contact_id)
            if contact is None or contact.client_id != client_id:
                raise _invalid("contact_id", N_("Choose a contact of this client."))
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


# ---- segments (C5) -----------------------------------------------------------------------


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
        since = _day_start(today - dt.timedelta(days=r["silent_days"]), company_zone(session))
        where.append(not_(contacted.where(Interaction.at >= since)))
    if "contacted_within_days" in r:
        since = _day_start(today - dt.timedelta(days=r["contacted_within_days"]), company_zone(session))
        where.append(contacted.where(Interaction.at >= since))
    if r.get("reachable") in CHANNELS:
        channel = r["reachable"]
        address = Client.email if channel == "email" else Client.phone
        newest = _client_consent(channel, "marketing")
        where.append(address.is_not(None))
        where.append(func.coalesce(newest, True))
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


def save_segment(uow: UnitOfWork, actor: Actor, name: str, rules: dict[str, Any], segment_id: int | None = None) -> int:
    """Save a new segment, or the one opened (`segment_id`); a new one cannot take the name
    of another."""
    actor.require(CAN_EDIT_CRM)
    clean = " ".join(name.split())
    if not clean:
        raise _invalid("segment_name", N_("Give the segment a name."))
    try:
        cleaned = clean_segment_rules(rules)
    except ValueError as exc:
        raise _invalid("segment_name", N_("Days cannot be negative.")) from exc
    with uow:
        same_name = uow.session.scalar(select(Segment).where(func.lower(Segment.name) == clean.lower()))
        if same_name is not None and same_name.id != segment_id:
            raise _invalid("segment_name", N_("Another segment has this name."))
        segment = uow.session.get(Segment, segment_id) if segment_id else None
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
            {"id": s.id, "name": s.name, "rules": s.rules}
            for s in uow.session.scalars(select(Segment).where(Segment.archived_at.is_(None)).order_by(Segment.name))
        ]
