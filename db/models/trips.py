"""Trips (SPEC T4, T5): a vehicle (+ trailer) and a driver (+ a second) carrying one or more
orders over planned stops, with what really happened (odometer, fuel, expenses, arrivals,
proof of delivery) and the documents printed for it.

Double booking is refused by the database: every trip that is not cancelled holds a row of
`trip_booking` per vehicle, trailer and driver over its planned period, and an exclusion
constraint forbids two rows of one resource over overlapping periods. The rows are kept by a
trigger on `trip`, so no code path can book without them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, TSTZRANGE, ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Audited, Base, CreatedAt, IntPK, Money, in_list

TRIP_STATUSES = ("planned", "dispatched", "in_progress", "completed", "closed", "cancelled")
TRIP_STOP_KINDS = ("start", "pickup", "dropoff", "return")
EXPENSE_KINDS = ("parking", "toll", "border", "road_repair", "per_diem", "other")
BOOKING_RESOURCES = ("vehicle", "driver")
TRANSPORT_DOCUMENT_KINDS = ("waybill", "cmr", "delivery_note", "quote")


class Trip(Audited, Base):
    """A trip and its plan; the actuals are entered as it runs and compared when it closes."""

    __tablename__ = "trip"
    __audit_type__ = "trip"
    __audit_ignore__ = frozenset({"planned_cost", "actual_cost"})
    __table_args__ = (
        CheckConstraint(in_list("status", TRIP_STATUSES), name="status_known"),
        CheckConstraint("planned_end > planned_start", name="period_in_order"),
        CheckConstraint("trailer_id IS NULL OR trailer_id <> vehicle_id", name="trailer_not_vehicle"),
        CheckConstraint("second_driver_id IS NULL OR second_driver_id <> driver_id", name="two_different_drivers"),
        CheckConstraint(
            "odometer_in IS NULL OR odometer_out IS NULL OR odometer_in >= odometer_out", name="odometer_up"
        ),
        CheckConstraint("fuel_start_l IS NULL OR fuel_start_l >= 0", name="fuel_start_not_negative"),
        CheckConstraint("fuel_end_l IS NULL OR fuel_end_l >= 0", name="fuel_end_not_negative"),
        CheckConstraint("(status = 'closed') = (closed_at IS NOT NULL)", name="closed_when_closed"),
        Index("uq_trip_number", "number", unique=True),
        Index("ix_trip_vehicle_start", "vehicle_id", "planned_start"),
        Index("ix_trip_driver_start", "driver_id", "planned_start"),
        Index("ix_trip_status_start", "status", "planned_start"),
    )

    id: Mapped[IntPK]
    number: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(12), server_default="planned")
    vehicle_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("vehicle.id"))
    trailer_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("vehicle.id"))
    driver_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("driver.employee_id"))
    second_driver_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("driver.employee_id"))
    home_place_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("place.id"))
    planned_start: Mapped[dt.datetime]
    planned_end: Mapped[dt.datetime]
    # the plan: km and hours over the ordered stops, and its cost line by line
    planned_km: Mapped[Decimal | None] = mapped_column(Numeric(8, 1))
    planned_hours: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    planned_fuel_l: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    planned_cost_amount: Mapped[Money | None]
    planned_cost: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    # actuals
    odometer_out: Mapped[int | None] = mapped_column(BigInteger)
    odometer_in: Mapped[int | None] = mapped_column(BigInteger)
    fuel_start_l: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    fuel_end_l: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    dispatched_at: Mapped[dt.datetime | None]
    started_at: Mapped[dt.datetime | None]
    completed_at: Mapped[dt.datetime | None]
    closed_at: Mapped[dt.datetime | None]
    cancelled_at: Mapped[dt.datetime | None]
    # the closing: actual against planned per cost line, fuel against the norm
    actual_km: Mapped[Decimal | None] = mapped_column(Numeric(8, 1))
    actual_fuel_l: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    norm_fuel_l: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    actual_cost_amount: Mapped[Money | None]
    actual_cost: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    fuel_overuse: Mapped[bool | None]
    notes: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("app_user.id"))
    created_at: Mapped[CreatedAt]


class TripOrder(Base):
    """An order carried on a trip (an order may be split over trips, a trip carries many)."""

    __tablename__ = "trip_order"
    __table_args__ = (Index("ix_trip_order_order", "order_id"),)

    trip_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("trip.id", ondelete="CASCADE"), primary_key=True)
    order_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("transport_order.id"), primary_key=True)


class TripStop(Audited, Base):
    """A stop of the trip in the order driven: the start depot, each order's pick-ups and
    drop-offs, the return. Planned times come from the plan; actual ones from the driver;
    a drop-off carries its proof of delivery."""

    __tablename__ = "trip_stop"
    __audit_type__ = "trip_stop"
    __table_args__ = (
        CheckConstraint(in_list("kind", TRIP_STOP_KINDS), name="kind_known"),
        CheckConstraint("seq >= 0", name="seq_not_negative"),
        CheckConstraint("(kind IN ('pickup', 'dropoff')) = (order_stop_id IS NOT NULL)", name="order_stop_for_cargo"),
        CheckConstraint(
            "actual_departure IS NULL OR actual_arrival IS NULL OR actual_departure >= actual_arrival",
            name="leaves_after_arriving",
        ),
        CheckConstraint("pod_at IS NULL OR kind = 'dropoff'", name="pod_on_dropoff"),
        CheckConstraint("(pod_at IS NULL) = (pod_recipient IS NULL)", name="pod_named"),
        Index("uq_trip_stop_trip_id_seq", "trip_id", "seq", unique=True, postgresql_where=text("seq >= 0")),
        Index("ix_trip_stop_order_stop", "order_stop_id"),
    )

    id: Mapped[IntPK]
    trip_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("trip.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(8))
    place_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("place.id"))
    order_stop_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("order_stop.id"))
    # the leg that ends here
    leg_km: Mapped[Decimal | None] = mapped_column(Numeric(8, 1))
    leg_hours: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    leg_source: Mapped[str | None] = mapped_column(String(10))
    planned_arrival: Mapped[dt.datetime | None]
    planned_departure: Mapped[dt.datetime | None]
    actual_arrival: Mapped[dt.datetime | None]
    actual_departure: Mapped[dt.datetime | None]
    pod_recipient: Mapped[str | None] = mapped_column(String(120))
    pod_at: Mapped[dt.datetime | None]
    pod_attachment_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("attachment.id", ondelete="SET NULL"))
    notes: Mapped[str | None] = mapped_column(String(300))


class TripBooking(Base):
    """A vehicle, trailer or driver held by a trip over its planned period (kept by the
    trigger `trip_bookings`; vehicles and trailers share the `vehicle` ids, first and second
    drivers the `driver` ids)."""

    __tablename__ = "trip_booking"
    __table_args__ = (
        CheckConstraint(in_list("resource", BOOKING_RESOURCES), name="resource_known"),
        CheckConstraint("NOT isempty(period)", name="period_not_empty"),
        # one truck, trailer or driver is never on two trips at once (btree_gist, migration 0019)
        ExcludeConstraint(
            ("resource", "="), ("resource_id", "="), ("period", "&&"), using="gist", name="ex_trip_booking_overlap"
        ),
        Index("ix_trip_booking_trip", "trip_id"),
    )

    id: Mapped[IntPK]
    trip_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("trip.id", ondelete="CASCADE"))
    resource: Mapped[str] = mapped_column(String(8))
    resource_id: Mapped[int] = mapped_column(BigInteger)
    period: Mapped[Any] = mapped_column(TSTZRANGE)


class TripExpense(Audited, Base):
    """Money spent on the road (parking, tolls, border and road fees, per diem), in the
    currency it was paid in, with its receipt scans as attachments of the expense."""

    __tablename__ = "trip_expense"
    __audit_type__ = "trip_expense"
    __table_args__ = (
        CheckConstraint(in_list("kind", EXPENSE_KINDS), name="kind_known"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_iso"),
        Index("ix_trip_expense_trip", "trip_id"),
    )

    id: Mapped[IntPK]
    trip_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("trip.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(12))
    amount: Mapped[Money]
    currency: Mapped[str] = mapped_column(String(3))
    spent_on: Mapped[dt.date] = mapped_column(Date)
    place_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("place.id"))
    note: Mapped[str | None] = mapped_column(String(300))
    archived_at: Mapped[dt.datetime | None]
    created_at: Mapped[CreatedAt]


class TransportDocument(Base):
    """A printed transport document: a trip's waybill, an order's consignment note (CMR),
    delivery note or quote. Numbered without gaps per kind and year; the PDF is an attachment
    of the trip or order (and so in the client's documents)."""

    __tablename__ = "transport_document"
    __table_args__ = (
        CheckConstraint(in_list("kind", TRANSPORT_DOCUMENT_KINDS), name="kind_known"),
        CheckConstraint("(trip_id IS NULL) <> (order_id IS NULL)", name="one_owner"),
        CheckConstraint("number > 0", name="number_positive"),
        Index("uq_transport_document_kind_year_number", "kind", "year", "number", unique=True),
        Index("ix_transport_document_trip", "trip_id"),
        Index("ix_transport_document_order", "order_id"),
    )

    id: Mapped[IntPK]
    kind: Mapped[str] = mapped_column(String(14))
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(BigInteger)
    label: Mapped[str] = mapped_column(String(24))  # as printed: "WB-2026-00042"
    trip_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("trip.id"))
    order_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("transport_order.id"))
    attachment_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("attachment.id", ondelete="SET NULL"))
    language: Mapped[str] = mapped_column(String(5))
    created_by: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("app_user.id", ondelete="SET NULL"))
    created_at: Mapped[CreatedAt]
