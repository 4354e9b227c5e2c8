"""Clients and contacts from CSV or Excel (SPEC C1), with a per-row report; likely
duplicates (similar name, same phone, e-mail or tax id) and their merge, losing nothing.

Import: every valid row is saved in its own savepoint; an invalid row is listed with the
column and the reason and saves nothing (a client row and its contact are one row).
"""

from __future__ import annotations

from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import func, literal, or_, select, update
from sqlalchemy.exc import DataError, IntegrityError

from common.actor import Actor
from common.errors import DomainError, FieldErrors, NotFound, ValidationError
from common.i18n import N_
from common.roles import CAN_EDIT_CRM, CAN_VIEW_CRM, SALES
from core.contacts import email_field, phone_field
from core.crm import parse_tags
from core.imports import ImportReport, RowError
from core.services.crm.clients import ClientInput, validate_client
from db.audit import log_event
from db.models.crm import (
    CLIENT_STATUSES,
    Client,
    ClientAgreement,
    ClientCategory,
    ClientContact,
    Consent,
    FollowUp,
    Interaction,
)
from db.models.files import Attachment
from db.session import UnitOfWork

SIMILAR_NAME = 88  # rapidfuzz token-set ratio from which two names are "likely the same"
LEGAL_WORDS = {"ltd", "limited", "sarl", "s.a.r.l", "plc", "co", "company", "inc", "sa", "the"}


def import_clients(uow: UnitOfWork, actor: Actor, rows: list[dict[str, str]]) -> ImportReport:
    """Columns: name, kind, trading_name, tax_id, phone, email, region, address, category,
    status, tags, source, contact_name, contact_role, contact_phone, contact_email."""
    actor.require(CAN_EDIT_CRM)
    report = ImportReport()
    with uow:
        session = uow.session
        categories = {c.name.lower(): c.id for c in session.scalars(select(ClientCategory))}
        seen_tax: dict[str, int] = {}
        for number, row in enumerate(rows, start=2):
            errors = FieldErrors()
            category = (row.get("category") or "").strip()
            if category and category.lower() not in categories:
                errors.add("category", N_("Unknown category {name}."), name=category)
            status = (row.get("status") or "active").strip().lower()
            if status not in CLIENT_STATUSES:
                errors.add("status", N_("Choose a status."))
            kind = (row.get("kind") or "company").strip().lower()
            data = ClientInput(
                name=row.get("name", ""),
                kind="person" if kind.startswith("p") else "company",
                trading_name=row.get("trading_name", ""),
                tax_id=row.get("tax_id", ""),
                phone=row.get("phone", ""),
                email=row.get("email", ""),
                region=row.get("region", ""),
                address=row.get("address", ""),
                category_id=categories.get(category.lower()) if category else None,
                tags=parse_tags(row.get("tags", "")),
                source=row.get("source", "") or "import",
                status=status if status in CLIENT_STATUSES else "active",
                manager_user_id=actor.user_id if actor.role == SALES else None,
            )
            values: dict[str, Any] = {}
            try:
                values = validate_client(session, data)
            except ValidationError as exc:
                for column, (message, params) in exc.errors.items():
                    errors.add(column, message, **params)
            tax = values.get("tax_id")
            if tax and tax in seen_tax:
                errors.add("tax_id", N_("The same tax id is on row {n} of this file."), n=seen_tax[tax])
            contact_name = " ".join((row.get("contact_name") or "").split())
            contact_phone = phone_field(row.get("contact_phone", ""), errors, "contact_phone")
            contact_email = email_field(row.get("contact_email", ""), errors, "contact_email")
            if (contact_phone or contact_email) and not contact_name:
                errors.add("contact_name", N_("Enter the contact's name."))
            errors.too_long("contact_name", contact_name, 120)
            if errors:
                report.errors += [RowError(number, f, m, p) for f, (m, p) in errors.errors.items()]
                continue
            if tax:
                seen_tax[tax] = number
            try:
                _save_row(session, values, row, contact_name, contact_phone, contact_email)
            except (IntegrityError, DataError):  # e.g. the same tax id saved by someone a moment ago
                report.errors.append(RowError(number, "tax_id", N_("This row clashes with a client saved meanwhile.")))
                continue
            report.imported += 1
        uow.commit()
    return report


def _save_row(
    session: Any, values: dict[str, Any], row: dict[str, str], name: str, phone: str | None, email: str | None
) -> None:
    """One client (and its contact) in its own savepoint: a failure undoes this row only."""
    with session.begin_nested():
        client_id = session.scalar(select(func.nextval("client_id_seq")))
        session.add(Client(id=client_id, code=f"C{client_id:06d}", **values))
        session.flush()
        if name:
            session.add(
                ClientContact(
                    client_id=client_id,
                    name=name,
                    role=(row.get("contact_role") or "").strip()[:80] or None,
                    phone=phone,
                    email=email,
                )
            )
            session.flush()


def _core_name(name: str) -> str:
    words = [w for w in name.lower().replace(".", " ").replace(",", " ").split() if w not in LEGAL_WORDS]
    return " ".join(words)


def find_duplicates(uow: UnitOfWork, actor: Actor, client_id: int, limit: int = 10) -> list[dict[str, Any]]:
    """Likely duplicates of one client: the same tax id, phone or e-mail, or a similar name
    (trigram candidates from the database, scored with rapidfuzz), best first."""
    actor.require(CAN_VIEW_CRM)
    with uow:
        me = uow.session.get(Client, client_id)
        if me is None:
            raise NotFound(N_("This client does not exist."))
        same = [
            cond
            for cond in (
                Client.tax_id == me.tax_id if me.tax_id else None,
                Client.phone == me.phone if me.phone else None,
                Client.phone2 == me.phone if me.phone else None,
                func.lower(Client.email) == me.email.lower() if me.email else None,
            )
            if cond is not None
        ]
        core = _core_name(me.name)
        # word similarity against the indexed search text (GIN trigram index): candidates only
        similar = literal(core).op("<%")(Client.search_text)
        candidates = uow.session.scalars(
            select(Client)
            .where(
                Client.id != me.id,
                Client.merged_into_id.is_(None),
                or_(similar, *same),
            )
            .limit(200)
        ).all()
        out: list[dict[str, Any]] = []
        for other in candidates:
            reasons = []
            if me.tax_id and other.tax_id == me.tax_id:
                reasons.append(N_("same tax id"))
            if me.phone and me.phone in (other.phone, other.phone2):
                reasons.append(N_("same phone"))
            if me.email and other.email and other.email.lower() == me.email.lower():
                reasons.append(N_("same e-mail"))
            score = fuzz.token_set_ratio(core, _core_name(other.name))
            if score >= SIMILAR_NAME:
                reasons.append(N_("similar name"))
            if reasons:
                out.append(
                    {"id": other.id, "code": other.code, "name": other.name, "score": round(score), "reasons": reasons}
                )
        out.sort(key=lambda r: (-len(r["reasons"]), -r["score"]))
        return out[:limit]


def merge_clients(uow: UnitOfWork, actor: Actor, keep_id: int, merge_id: int) -> None:
    """Merge `merge_id` into `keep_id`: every interaction, contact, follow-up, consent row,
    contract and document moves to the kept client; empty fields of the kept client are filled; tags are
    joined. The merged client stays (archived, pointing to the kept one) with its history."""
    actor.require(CAN_EDIT_CRM)
    if keep_id == merge_id:
        raise ValidationError({"merge_id": (N_("A client cannot be merged into itself."), {})})
    with uow:
        s = uow.session
        first, second = sorted((keep_id, merge_id))  # lock both in one order
        locked = {c.id: c for c in s.scalars(select(Client).where(Client.id.in_((first, second))).with_for_update())}
        keep, gone = locked.get(keep_id), locked.get(merge_id)
        if keep is None or gone is None:
            raise NotFound(N_("This client does not exist."))
        if keep.merged_into_id is not None or gone.merged_into_id is not None:
            raise DomainError(N_("This client was merged into another one."))
        # the ids of every moved record go into the merge's log entry: each move can be traced
        moved: dict[str, list[int]] = {}
        for model in (Interaction, ClientContact, FollowUp, Consent, ClientAgreement):
            ids = list(s.scalars(select(model.id).where(model.client_id == merge_id)))  # type: ignore[attr-defined]
            if ids:
                s.execute(update(model).where(model.id.in_(ids)).values(client_id=keep_id))  # type: ignore[attr-defined]
            moved[model.__tablename__] = ids
        files = list(
            s.scalars(select(Attachment.id).where(Attachment.entity_type == "client", Attachment.entity_id == merge_id))
        )
        if files:
            s.execute(update(Attachment).where(Attachment.id.in_(files)).values(entity_id=keep_id))
        moved["attachment"] = files
        tax_id = gone.tax_id
        gone.merged_into_id = keep_id
        gone.archived_at = func.now()
        gone.tax_id = None  # the kept client may take it over
        s.flush()
        for key in (
            "trading_name",
            "address",
            "region",
            "phone",
            "phone2",
            "email",
            "website",
            "source",
            "manager_user_id",
            "category_id",
            "cargo_types",
            "usual_routes",
            "volumes",
        ):
            if getattr(keep, key) in (None, "") and getattr(gone, key) not in (None, ""):
                setattr(keep, key, getattr(gone, key))
        if keep.tax_id is None and tax_id:
            keep.tax_id = tax_id
        keep.tags = list(dict.fromkeys([*(keep.tags or []), *(gone.tags or [])]))
        log_event(s, "merge", "client", keep_id, {"merged": gone.code, "moved": moved})
        uow.commit()
