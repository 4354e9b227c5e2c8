"""CRM (SPEC C1-C5, C8, P1, P2, P4): clients and their contacts, interactions, follow-ups,
the consent register and saved segments."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, Boolean, CheckConstraint, Computed, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Audited, Base, CreatedAt, IntPK, in_list

CLIENT_KINDS = ("company", "person")
CLIENT_STATUSES = ("prospect", "active", "dormant", "lost")
INTERACTION_KINDS = ("call", "meeting", "visit", "email", "sms", "letter")
INTERACTION_STATUSES = ("planned", "done", "cancelled")
FOLLOW_UP_STATUSES = ("open", "done", "cancelled")
RULE_KINDS = ("silent", "promise", "next_step", "promo", "no_offer", "contract")
CHANNELS = ("email", "sms", "phone")
PURPOSES = ("marketing", "service")
AGREEMENT_KINDS = ("contract", "tariff_sheet")  # a tariff sheet: a client's scanned price-list document
CONSENT_HOW = ("form", "stop_reply", "unsubscribe_link", "phone", "paper", "import")


class ClientCategory(Audited, Base):
    """Company-defined client categories (SPEC C5)."""

    __tablename__ = "client_category"
    __audit_type__ = "client_category"
    __table_args__ = (Index("uq_client_category_name", text("lower(name)"), unique=True),)

    id: Mapped[IntPK]
    name: Mapped[str] = mapped_column(String(80))
    archived_at: Mapped[dt.datetime | None]


class Client(Audited, Base):
    """A company or a private person that sends or might send cargo (SPEC C1)."""

    __tablename__ = "client"
    __audit_type__ = "client"
    __table_args__ = (
        CheckConstraint(in_list("kind", CLIENT_KINDS), name="kind_known"),
        CheckConstraint(in_list("status", CLIENT_STATUSES), name="status_known"),
        CheckConstraint("country ~ '^[A-Z]{2}$'", name="country_iso"),
        Index("uq_client_code", "code", unique=True),
        Index("uq_client_tax_id", "tax_id", unique=True, postgresql_where=text("merged_into_id IS NULL")),
        Index("ix_client_manager", "manager_user_id"),
        Index("ix_client_phone", "phone"),
        Index("ix_client_email", text("lower(email)")),
        Index(
            "ix_client_search_trgm",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
    )

    id: Mapped[IntPK]
    code: Mapped[str] = mapped_column(String(12))
    kind: Mapped[str] = mapped_column(String(8), server_default="company")
    name: Mapped[str] = mapped_column(String(200))  # legal name, or the person's full name
    trading_name: Mapped[str | None] = mapped_column(String(200))
    tax_id: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str | None] = mapped_column(String(2))  # ISO 3166; empty: the company's country
    address: Mapped[str | None] = mapped_column(String(300))
    region: Mapped[str | None] = mapped_column(String(80))
    phone: Mapped[str | None] = mapped_column(String(24))
    phone2: Mapped[str | None] = mapped_column(String(24))
    email: Mapped[str | None] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str | None] = mapped_column(String(80))
    manager_user_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("app_user.id"))
    category_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("client_category.id"))
    tags: Mapped[list[str]] = mapped_column(ARRAY(String(40)), server_default="{}")
    cargo_types: Mapped[str | None] = mapped_column(String(300))
    usual_routes: Mapped[str | None] = mapped_column(String(300))
    volumes: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10), server_default="prospect")
    merged_into_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("client.id"))
    archived_at: Mapped[dt.datetime | None]
    created_at: Mapped[CreatedAt]
    search_text: Mapped[str] = mapped_column(
        Text,
        Computed(
            "lower(code || ' ' || name || ' ' || coalesce(trading_name, '') || ' ' || coalesce(tax_id, '') || ' ' "
            "|| coalesce(phone, '') || ' ' || coalesce(email, '') || ' ' || coalesce(region, ''))",
            persisted=True,
        ),
    )


class ClientContact(Audited, Base):
    """A contact person at a client, with their own phones and e-mail."""

    __tablename__ = "client_contact"
    __audit_type__ = "client_contact"
    __table_args__ = (Index("ix_client_contact_client", "client_id"),)

    id: Mapped[IntPK]
    client_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("client.id"))
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str | None] = mapped_column(String(80))
    phone: Mapped[str | None] = mapped_column(String(24))
    email: Mapped[str | None] = mapped_column(String(200))
    archived_at: Mapped[dt.datetime | None]
    created_at: Mapped[CreatedAt]


class Interaction(Audited, Base):
    """A call, meeting, visit, e-mail, SMS or letter (SPEC C2). A planned one is an
    appointment until its result is entered (SPEC P2)."""

    __tablename__ = "interaction"
    __audit_type__ = "interaction"
    __audit_ignore__ = frozenset({"reminders_sent", "last_reminded_at"})
    __table_args__ = (
        CheckConstraint(in_list("kind", INTERACTION_KINDS), name="kind_known"),
        CheckConstraint(in_list("status", INTERACTION_STATUSES), name="status_known"),
        Index("ix_interaction_client_at", "client_id", "at"),
        Index("ix_interaction_owner_at", "owner_user_id", "at"),
        Index("ix_interaction_planned", "at", postgresql_where=text("status = 'planned'")),
        Index("ix_interaction_next_due", "next_due", postgresql_where=text("next_due IS NOT NULL")),
        Index(
            "ix_interaction_promise_due",
            "promise_due",
            postgresql_where=text("promise_due IS NOT NULL AND promise_kept_at IS NULL"),
        ),
    )

    id: Mapped[IntPK]
    client_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("client.id"))
    contact_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("client_contact.id"))
    kind: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(10), server_default="done")
    at: Mapped[dt.datetime]  # when it happened, or when it is planned
    owner_user_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("app_user.id"))
    topic: Mapped[str] = mapped_column(String(200))
    result: Mapped[str | None] = mapped_column(Text)
    promise: Mapped[str | None] = mapped_column(String(300))
    promise_due: Mapped[dt.date | None]
    promise_kept_at: Mapped[dt.datetime | None]
    next_step: Mapped[str | None] = mapped_column(String(300))
    next_due: Mapped[dt.date | None]
    next_owner_user_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("app_user.id"))
    was_planned: Mapped[bool] = mapped_column(Boolean, server_default="false")  # an appointment (P4 counts it)
    promotional: Mapped[bool] = mapped_column(Boolean, server_default="false")  # a marketing contact (promo rule)
    reminders_sent: Mapped[int] = mapped_column(Integer, server_default="0")
    last_reminded_at: Mapped[dt.datetime | None]
    result_at: Mapped[dt.datetime | None]
    created_at: Mapped[CreatedAt]


class ClientAgreement(Audited, Base):
    """A contract or a tariff sheet (a scanned price-list document, shown as "Price list") of
    a client with its validity (SPEC C3, C4): the follow-up scan reminds the manager before
    it ends; the signed scan is an attachment."""

    __tablename__ = "client_agreement"
    __audit_type__ = "client_agreement"
    __table_args__ = (
        CheckConstraint(in_list("kind", AGREEMENT_KINDS), name="kind_known"),
        CheckConstraint("valid_to >= valid_from", name="period_ordered"),
        Index("ix_client_agreement_client", "client_id"),
        Index("ix_client_agreement_valid_to", "valid_to", postgresql_where=text("archived_at IS NULL")),
    )

    id: Mapped[IntPK]
    client_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("client.id"))
    kind: Mapped[str] = mapped_column(String(12))
    number: Mapped[str] = mapped_column(String(40))
    valid_from: Mapped[dt.date]
    valid_to: Mapped[dt.date]
    attachment_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("attachment.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(String(300))
    archived_at: Mapped[dt.datetime | None]
    created_at: Mapped[CreatedAt]


class FollowUpRule(Audited, Base):
    """A monitoring rule the company configures (SPEC C4): `days` of silence, before a
    promise or step is due, etc.; optionally for one client category only."""

    __tablename__ = "follow_up_rule"
    __audit_type__ = "follow_up_rule"
    __table_args__ = (
        CheckConstraint(in_list("kind", RULE_KINDS), name="kind_known"),
        CheckConstraint("days >= 0", name="days_not_negative"),
    )

    id: Mapped[IntPK]
    kind: Mapped[str] = mapped_column(String(10))
    days: Mapped[int] = mapped_column(Integer)
    category_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("client_category.id"))
    active: Mapped[bool] = mapped_column(Boolean, server_default="true")


class FollowUp(Audited, Base):
    """A due item on a manager's plan (SPEC C4, P1), produced once per cause (dedupe key)."""

    __tablename__ = "follow_up"
    __audit_type__ = "follow_up"
    __table_args__ = (
        CheckConstraint(in_list("status", FOLLOW_UP_STATUSES), name="status_known"),
        Index("uq_follow_up_dedupe", "dedupe_key", unique=True),
        Index("ix_follow_up_owner_open", "owner_user_id", "due_date", postgresql_where=text("status = 'open'")),
        Index("ix_follow_up_client", "client_id"),
    )

    id: Mapped[IntPK]
    client_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("client.id"))
    owner_user_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("app_user.id"))
    rule: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(300))  # a message id, shown translated with `params`
    params: Mapped[dict[str, Any]] = mapped_column(server_default="{}")
    interaction_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("interaction.id"))
    due_date: Mapped[dt.date]
    first_due_date: Mapped[dt.date]
    dedupe_key: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(10), server_default="open")
    done_at: Mapped[dt.datetime | None]
    result: Mapped[str | None] = mapped_column(Text)
    reschedule_reason: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[CreatedAt]


class Consent(Base):
    """The consent register (SPEC C8), append-only: the newest row per client or contact,
    channel and purpose is in force; opting back in is a row like any other."""

    __tablename__ = "consent"
    __table_args__ = (
        CheckConstraint(in_list("channel", CHANNELS), name="channel_known"),
        CheckConstraint(in_list("purpose", PURPOSES), name="purpose_known"),
        CheckConstraint(in_list("how", CONSENT_HOW), name="how_known"),
        Index("ix_consent_subject", "client_id", "contact_id", "channel", "purpose", "at"),
    )

    id: Mapped[IntPK]
    client_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("client.id"))
    contact_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("client_contact.id"))
    channel: Mapped[str] = mapped_column(String(6))
    purpose: Mapped[str] = mapped_column(String(10))
    opted_in: Mapped[bool]
    how: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(String(300))
    recorded_by: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("app_user.id"))
    at: Mapped[CreatedAt]


class Segment(Audited, Base):
    """A saved group of clients built from rules (SPEC C5), used by campaigns."""

    __tablename__ = "segment"
    __audit_type__ = "segment"
    __table_args__ = (Index("uq_segment_name", text("lower(name)"), unique=True),)

    id: Mapped[IntPK]
    name: Mapped[str] = mapped_column(String(120))
    rules: Mapped[dict[str, Any]] = mapped_column(server_default="{}")
    created_by: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("app_user.id"))
    archived_at: Mapped[dt.datetime | None]
    created_at: Mapped[CreatedAt]
