"""Clients and contacts from CSV or Excel (SPEC C1), with a per-row report; the merge of a
likely duplicate (duplicates.py finds them), losing nothing.

Import: every valid row is saved in its own savepoint; an invalid row is listed with the
column and the reason and saves nothing (a client row and its contact are one row). A row
that is likely a client met before (an earlier row of the file with the same name, phone
or e-mail, or a saved client found by the same matching as the client card's "likely
duplicates") is listed, and skipped unless the person chose to import such rows.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import DataError, IntegrityError

from common.actor import Actor
from common.errors import DomainError, FieldErrors, NotFound, ValidationError
from common.i18n import N_
from common.roles import CAN_EDIT_CRM, SALES
from core.contacts import email_field, phone_field
from core.crm import core_name, parse_tags
from core.imports import (
    SAME_EMAIL,
    SAME_NAME,
    SAME_PHONE,
    Duplicate,
    Fields,
    ImportReport,
    InFile,
)
from core.services.crm.clients import ClientInput, validate_client
from core.services.crm.duplicates import likely_duplicates
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

CLIENT_FIELDS = Fields(
    known=(
        "name",
        "kind",
        "trading_name",
        "tax_id",
        "country",
        "phone",
        "phone2",
        "email",
        "region",
        "address",
        "category",
        "status",
        "tags",
        "source",
        "contact_name",
        "contact_role",
        "contact_phone",
        "contact_email",
    ),
    synonyms={
        "client": "name",
        "client_name": "name",
        "customer": "name",
        "customer_name": "name",
        "company": "name",
        "company_name": "name",
        "trade_name": "trading_name",
        "brand": "trading_name",
        "tin": "tax_id",
        "tax_number": "tax_id",
        "tax_no": "tax_id",
        "nif": "tax_id",
        "vat": "tax_id",
        "vat_number": "tax_id",
        "country_code": "country",
        "nation": "country",
        "mobile": "phone",
        "mobile_phone": "phone",
        "cell": "phone",
        "tel": "phone",
        "telephone": "phone",
        "phone_number": "phone",
        "phone_1": "phone",
        "phone_2": "phone2",
        "other_phone": "phone2",
        "second_phone": "phone2",
        "e-mail": "email",
        "mail": "email",
        "email_address": "email",
        "city": "region",
        "town": "region",
        "district": "region",
        "province": "region",
        "location": "region",
        "street": "address",
        "postal_address": "address",
        "group": "category",
        "segment": "category",
        "type": "kind",
        "labels": "tags",
        "contact": "contact_name",
        "contact_person": "contact_name",
        "position": "contact_role",
        "job_title": "contact_role",
    },
)


def import_clients(
    uow: UnitOfWork, actor: Actor, rows: list[dict[str, str]], duplicates: str = "skip", dry_run: bool = False
) -> ImportReport:
    """Columns: CLIENT_FIELDS.known (the rows' keys, mapped by core.imports.map_columns).

    `duplicates`: "skip" (the default) or "import" the rows that are likely a client met
    before; `dry_run`: check everything, save nothing."""
    actor.require(CAN_EDIT_CRM)
    report = ImportReport(dry_run=dry_run)
    with uow:
        session = uow.session
        categories = {c.name.lower(): c.id for c in session.scalars(select(ClientCategory))}
        seen_tax: dict[str, int] = {}
        in_file = InFile()
        created: list[int] = []
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
                country=row.get("country", ""),
                phone=row.get("phone", ""),
                phone2=row.get("phone2", ""),
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
                report.refuse(number, errors.errors)
                continue
            keys = {
                SAME_NAME: core_name(values["name"]) or None,
                SAME_PHONE: values.get("phone"),
                SAME_EMAIL: (values.get("email") or "").lower() or None,
            }
            found = in_file.check(number, keys) or _saved_twin(session, number, values, created)
            if found is not None and report.duplicate(found, duplicates):
                continue
            if tax:
                seen_tax[tax] = number
            try:
                created.append(_save_row(session, values, row, contact_name, contact_phone, contact_email))
            except (IntegrityError, DataError):  # e.g. the same tax id saved by someone a moment ago
                report.refuse(number, {"tax_id": (N_("This row clashes with a client saved meanwhile."), {})})
                continue
            in_file.add(number, keys)
            report.imported += 1
        if not dry_run:
            uow.commit()
    return report


def _saved_twin(session: Any, number: int, values: dict[str, Any], created: list[int]) -> Duplicate | None:
    """The best saved client this row is likely a repeat of (not one this import made)."""
    matches = likely_duplicates(
        session,
        values["name"],
        values.get("tax_id"),
        values.get("phone"),
        values.get("email"),
        exclude=created,
        limit=1,
    )
    if not matches:
        return None
    best = matches[0]
    return Duplicate(number, best["reasons"], record=f"{best['code']} {best['name']}")


def _save_row(
    session: Any, values: dict[str, Any], row: dict[str, str], name: str, phone: str | None, email: str | None
) -> int:
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
    return int(client_id)


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
