"""Transport orders (SPEC T1, C4): what a client asks to have carried, from where to where,
its stops with their time windows, its price (frozen when the order is confirmed) and the
story of its status.

Statuses: request -> quoted -> confirmed -> planned -> in_transit -> delivered -> closed, and
cancelled (with a reason) from any state before delivery. Every change of status is a row of
`order_status_event`: the order's history and the client's timeline read it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Computed,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Audited, Base, CreatedAt, IntPK, Money, in_list

ORDER_STATUSES = (
    "request",
    "quoted",
    "confirmed",
    "planned",
    "in_transit",
    "delivered",
    "closed",
    "cancelled",
)
SERVICES = ("ftl", "ltl", "container", "distribution")
STOP_KINDS = ("pickup", "dropoff")
ORDER_CATALOGS = ("order_category", "cargo_type", "cancel_reason")
DISTANCE_SOURCES = ("table", "routing", "estimate")


class OrderCatalogEntry(Audited, Base):
    """Catalogs the company edits for its orders: order categories (U2), cargo types, and the
    reasons an order is cancelled for."""

    __tablename__ = "order_catalog"
    __audit_type__ = "order_catalog"
    __table_args__ = (
        CheckConstraint(in_list("kind", ORDER_CATALOGS), name="kind_known"),
        CheckConstraint("length(trim(name)) > 0", name="name_not_blank"),
        Index("uq_order_catalog_kind_name", "kind", text("lower(name)"), unique=True),
    )

    id: Mapped[IntPK]
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(120))
    archived_at: Mapped[dt.datetime | None]


class TransportOrder(Audited, Base):
    """A client's transport order, with its cargo and (once priced) its price and breakdown."""

    __tablename__ = "transport_order"
    __audit_type__ = "transport_order"
    __audit_ignore__ = frozenset({"price_breakdown"})
    __table_args__ = (
        CheckConstraint(in_list("status", ORDER_STATUSES), name="status_known"),
        CheckConstraint(in_list("service", SERVICES), name="service_known"),
        CheckConstraint("weight_kg IS NULL OR weight_kg >= 0", name="weight_not_negative"),
        CheckConstraint("volume_m3 IS NULL OR volume_m3 >= 0", name="volume_not_negative"),
        CheckConstraint("pallets IS NULL OR pallets >= 0", name="pallets_not_negative"),
        CheckConstraint("un_number IS NULL OR un_number ~ '^[0-9]{4}$'", name="un_number_format"),
        CheckConstraint("NOT dangerous OR (un_number IS NOT NULL AND adr_class IS NOT NULL)", name="dangerous_named"),
        CheckConstraint(
            "NOT temperature_controlled OR (temp_min_c IS NOT NULL AND temp_max_c IS NOT NULL"
            " AND temp_min_c <= temp_max_c)",
            name="temperature_range",
        ),
        CheckConstraint(
            "requested_delivery_date IS NULL OR requested_pickup_date IS NULL"
            " OR requested_delivery_date >= requested_pickup_date",
            name="delivery_after_pickup",
        ),
        CheckConstraint("(price_amount IS NULL) = (price_currency IS NULL)", name="price_has_currency"),
        CheckConstraint("price_currency IS NULL OR price_currency ~ '^[A-Z]{3}$'", name="currency_iso"),
        CheckConstraint("(status = 'cancelled') = (cancelled_at IS NOT NULL)", name="cancelled_when_cancelled"),
        CheckConstraint("cancelled_at IS NULL OR cancel_reason_id IS NOT NULL", name="cancel_has_reason"),
        CheckConstraint(
            "distance_source IS NULL OR " + in_list("distance_source", DISTANCE_SOURCES), name="distance_source_known"
        ),
        Index("uq_transport_order_number", "number", unique=True),
        Index("ix_transport_order_client", "client_id", "requested_pickup_date"),
        Index("ix_transport_order_status", "status", "requested_pickup_date"),
        Index(
            "ix_transport_order_search_trgm",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
    )

    id: Mapped[IntPK]
    number: Mapped[str] = mapped_column(String(20))
    client_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("client.id"))
    contact_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("client_contact.id"))
    category_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("order_catalog.id"))
    manager_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("app_user.id"))
    service: Mapped[str] = mapped_column(String(12), server_default="ftl")
    status: Mapped[str] = mapped_column(String(12), server_default="request")
    # cargo
    cargo_description: Mapped[str] = mapped_column(String(300))
    cargo_type_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("order_catalog.id"))
    weight_kg: Mapped[Decimal | None] = mapped_column(Numeric(10, 1))
    volume_m3: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    pallets: Mapped[int | None] = mapped_column(Integer)
    dangerous: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    un_number: Mapped[str | None] = mapped_column(String(4))
    adr_class: Mapped[str | None] = mapped_column(String(6))
    temperature_controlled: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    temp_min_c: Mapped[Decimal | None] = mapped_column(Numeric(4, 1))
    temp_max_c: Mapped[Decimal | None] = mapped_column(Numeric(4, 1))
    # what the cargo needs
    body_type: Mapped[str | None] = mapped_column(String(60))
    vehicle_category_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("vehicle_category.id"))
    requested_pickup_date: Mapped[dt.date | None] = mapped_column(Date)
    requested_delivery_date: Mapped[dt.date | None] = mapped_column(Date)
    extra_services: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    # the route as priced: origin to destination over its stops
    distance_km: Mapped[Decimal | None] = mapped_column(Numeric(8, 1))
    distance_source: Mapped[str | None] = mapped_column(String(10))
    # the price, with the breakdown naming each price-list line; frozen at confirmation
    price_amount: Mapped[Money | None]
    price_currency: Mapped[str | None] = mapped_column(String(3))
    price_breakdown: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    priced_at: Mapped[dt.datetime | None]
    quote_valid_until: Mapped[dt.date | None] = mapped_column(Date)
    confirmed_at: Mapped[dt.datetime | None]
    delivered_at: Mapped[dt.datetime | None]
    closed_at: Mapped[dt.datetime | None]
    cancelled_at: Mapped[dt.datetime | None]
    cancel_reason_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("order_catalog.id"))
    cancel_note: Mapped[str | None] = mapped_column(String(300))
    client_reference: Mapped[str | None] = mapped_column(String(60))
    notes: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("app_user.id"))
    created_at: Mapped[CreatedAt]
    search_text: Mapped[str] = mapped_column(
        Text,
        Computed(
            "lower(number || ' ' || cargo_description || ' ' || coalesce(client_reference, ''))",
            persisted=True,
        ),
    )


class OrderStop(Audited, Base):
    """A pick-up or drop-off of an order: the place, the address on site, the time window and
    who to ask for there. `seq` is the order the client gave them in."""

    __tablename__ = "order_stop"
    __audit_type__ = "order_stop"
    __table_args__ = (
        CheckConstraint(in_list("kind", STOP_KINDS), name="kind_known"),
        CheckConstraint("seq >= 1", name="seq_positive"),
        CheckConstraint("window_from IS NULL OR window_to IS NULL OR window_from <= window_to", name="window_in_order"),
        Index("uq_order_stop_order_id_seq", "order_id", "seq", unique=True),
        Index("ix_order_stop_place", "place_id"),
    )

    id: Mapped[IntPK]
    order_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("transport_order.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(8))
    place_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("place.id"))
    address: Mapped[str | None] = mapped_column(String(300))
    window_from: Mapped[dt.datetime | None]
    window_to: Mapped[dt.datetime | None]
    contact_name: Mapped[str | None] = mapped_column(String(120))
    contact_phone: Mapped[str | None] = mapped_column(String(24))
    notes: Mapped[str | None] = mapped_column(String(300))


class OrderStatusEvent(Base):
    """One change of an order's status: who, when, from what to what, and why (a cancel's
    reason). Append-only; the order's history and the client's timeline read it."""

    __tablename__ = "order_status_event"
    __table_args__ = (
        CheckConstraint("from_status IS NULL OR " + in_list("from_status", ORDER_STATUSES), name="from_known"),
        CheckConstraint(in_list("to_status", ORDER_STATUSES), name="to_known"),
        Index("ix_order_status_event_order", "order_id", "at"),
    )

    id: Mapped[IntPK]
    order_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("transport_order.id", ondelete="CASCADE"))
    at: Mapped[CreatedAt]
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str] = mapped_column(String(12))
    user_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("app_user.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(String(300))


class TransportDocumentCounter(Base):
    """The last number given per kind of transport document and year (orders, trips,
    waybills, consignment notes, delivery notes, quotes). The row is taken with
    `UPDATE ... RETURNING` inside the document's transaction and stays locked until it ends,
    so numbers have no gaps even with many app servers."""

    __tablename__ = "transport_counter"
    __table_args__ = (CheckConstraint("last_number > 0", name="last_number_positive"),)

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(BigInteger)
