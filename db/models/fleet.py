"""Fleet (SPEC F1-F7): power units and trailers, their documents, odometer, repairs,
maintenance plans and couplings; drivers' cards."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
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
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Audited, Base, CreatedAt, IntPK, Money, Quantity, in_list

UNIT_TYPES = ("tractor", "truck", "van", "trailer")
STATUSES = ("active", "in_repair", "reserved", "sold")
FUEL_TYPES = ("diesel", "petrol", "electric", "none")


class VehicleCategory(Audited, Base):
    """Company-defined categories, separate for power units and trailers."""

    __tablename__ = "vehicle_category"
    __audit_type__ = "vehicle_category"
    __table_args__ = (
        CheckConstraint("kind IN ('vehicle', 'trailer')", name="kind_known"),
        Index("uq_vehicle_category_kind_name", "kind", text("lower(name)"), unique=True),
    )

    id: Mapped[IntPK]
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(80))
    archived_at: Mapped[dt.datetime | None]


class Vehicle(Audited, Base):
    __tablename__ = "vehicle"
    __audit_type__ = "vehicle"
    __table_args__ = (
        CheckConstraint(in_list("unit_type", UNIT_TYPES), name="unit_type_known"),
        CheckConstraint(in_list("status", STATUSES), name="status_known"),
        CheckConstraint(in_list("fuel_type", FUEL_TYPES), name="fuel_type_known"),
        CheckConstraint("payload_kg IS NULL OR payload_kg BETWEEN 0 AND 100000", name="payload_sane"),
        CheckConstraint("fuel_norm_l_100km IS NULL OR fuel_norm_l_100km BETWEEN 0 AND 150", name="norm_sane"),
        CheckConstraint("odometer_km >= 0", name="odometer_not_negative"),
        CheckConstraint("year IS NULL OR year BETWEEN 1950 AND 2100", name="year_sane"),
        CheckConstraint("unit_type <> 'trailer' OR fuel_type = 'none'", name="trailer_has_no_fuel"),
        Index("uq_vehicle_plate_key", "plate_key", unique=True),
        Index("uq_vehicle_vin", "vin", unique=True, postgresql_where=text("vin IS NOT NULL")),
        Index(
            "ix_vehicle_search_trgm",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
        Index("ix_vehicle_unit_type_plate", "unit_type", "plate"),
    )

    id: Mapped[IntPK]
    unit_type: Mapped[str] = mapped_column(String(10))
    plate: Mapped[str] = mapped_column(String(20))
    plate_key: Mapped[str] = mapped_column(
        String(20), Computed("upper(regexp_replace(plate, '[^A-Za-z0-9]', '', 'g'))", persisted=True)
    )
    vin: Mapped[str | None] = mapped_column(String(17))
    make: Mapped[str | None] = mapped_column(String(60))
    model: Mapped[str | None] = mapped_column(String(60))
    year: Mapped[int | None] = mapped_column(Integer)
    category_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("vehicle_category.id"))
    body_type: Mapped[str | None] = mapped_column(String(60))
    fuel_type: Mapped[str] = mapped_column(String(10), server_default="diesel")
    required_licence: Mapped[str | None] = mapped_column(String(4))
    # consumption norm (SPEC F2) and its adjustments
    fuel_norm_l_100km: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    norm_per_tonne_100km: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    trailer_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    winter_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    city_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    hvac_l_per_hour: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    max_speed_kmh: Mapped[int | None] = mapped_column(Integer)
    payload_kg: Mapped[int | None] = mapped_column(Integer)
    volume_m3: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    pallets: Mapped[int | None] = mapped_column(Integer)
    axles: Mapped[int | None] = mapped_column(Integer)
    odometer_km: Mapped[int] = mapped_column(BigInteger, server_default="0")
    status: Mapped[str] = mapped_column(String(10), server_default="active")
    purchase_date: Mapped[dt.date | None]
    purchase_price: Mapped[Money | None]
    responsible_user_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("app_user.id"))
    photo_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("attachment.id", ondelete="SET NULL"))
    notes: Mapped[str | None] = mapped_column(Text)
    archived_at: Mapped[dt.datetime | None]
    created_at: Mapped[CreatedAt]
    search_text: Mapped[str] = mapped_column(
        Text,
        Computed(
            "lower(plate || ' ' || coalesce(vin, '') || ' ' || coalesce(make, '') || ' ' "
            "|| coalesce(model, '') || ' ' || coalesce(body_type, ''))",
            persisted=True,
        ),
    )


class OdometerReading(Base):
    """The odometer log: readings never go backwards in time order."""

    __tablename__ = "odometer_reading"
    __table_args__ = (
        CheckConstraint("km >= 0", name="km_not_negative"),
        Index("ix_odometer_reading_vehicle_at", "vehicle_id", "read_at"),
    )

    id: Mapped[IntPK]
    vehicle_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("vehicle.id"))
    read_at: Mapped[dt.datetime]
    km: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(20), server_default="manual")
    note: Mapped[str | None] = mapped_column(String(200))
    created_by: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("app_user.id"))
    created_at: Mapped[CreatedAt]


class Coupling(Audited, Base):
    """A tractor (or truck) pulling a trailer from one moment to another."""

    __tablename__ = "coupling"
    __audit_type__ = "coupling"
    __table_args__ = (
        CheckConstraint("uncoupled_at IS NULL OR uncoupled_at >= coupled_at", name="period_ordered"),
        Index("uq_coupling_current_tractor", "tractor_id", unique=True, postgresql_where=text("uncoupled_at IS NULL")),
        Index("uq_coupling_current_trailer", "trailer_id", unique=True, postgresql_where=text("uncoupled_at IS NULL")),
    )

    id: Mapped[IntPK]
    tractor_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("vehicle.id"))
    trailer_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("vehicle.id"))
    coupled_at: Mapped[dt.datetime]
    uncoupled_at: Mapped[dt.datetime | None]
    note: Mapped[str | None] = mapped_column(String(200))


class Repair(Audited, Base):
    """Repair and maintenance work on a unit (SPEC F2)."""

    __tablename__ = "repair"
    __audit_type__ = "repair"
    __table_args__ = (
        CheckConstraint("labour_cost >= 0", name="labour_not_negative"),
        Index("ix_repair_vehicle_date", "vehicle_id", "work_date"),
    )

    id: Mapped[IntPK]
    vehicle_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("vehicle.id"))
    work_date: Mapped[dt.date] = mapped_column(Date)
    odometer_km: Mapped[int | None] = mapped_column(BigInteger)
    work_done: Mapped[str] = mapped_column(Text)
    place: Mapped[str | None] = mapped_column(String(120))
    labour_cost: Mapped[Money] = mapped_column(server_default="0")
    plan_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("maintenance_plan.id"))
    archived_at: Mapped[dt.datetime | None]
    created_at: Mapped[CreatedAt]


class RepairPart(Audited, Base):
    __tablename__ = "repair_part"
    __audit_type__ = "repair_part"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price >= 0", name="price_not_negative"),
    )

    id: Mapped[IntPK]
    repair_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("repair.id"))
    item_name: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[Quantity]
    unit_price: Mapped[Money]
    stock_issue_ref: Mapped[str | None] = mapped_column(String(40))  # the warehouse issue, when linked


class MaintenancePlan(Audited, Base):
    """Preventive maintenance every N km and/or every M months."""

    __tablename__ = "maintenance_plan"
    __audit_type__ = "maintenance_plan"
    __table_args__ = (
        CheckConstraint("every_km IS NOT NULL OR every_months IS NOT NULL", name="has_interval"),
        CheckConstraint("every_km IS NULL OR every_km > 0", name="km_positive"),
        CheckConstraint("every_months IS NULL OR every_months > 0", name="months_positive"),
    )

    id: Mapped[IntPK]
    vehicle_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("vehicle.id"))
    name: Mapped[str] = mapped_column(String(120))
    every_km: Mapped[int | None] = mapped_column(BigInteger)
    every_months: Mapped[int | None] = mapped_column(Integer)
    last_done_date: Mapped[dt.date | None]
    last_done_km: Mapped[int | None] = mapped_column(BigInteger)
    archived_at: Mapped[dt.datetime | None]


class DocumentType(Audited, Base):
    """A catalog the company edits: which documents exist and which dispatch needs."""

    __tablename__ = "document_type"
    __audit_type__ = "document_type"
    __table_args__ = (
        CheckConstraint("applies_to IN ('vehicle', 'trailer', 'driver')", name="applies_to_known"),
        Index("uq_document_type_applies_name", "applies_to", text("lower(name)"), unique=True),
    )

    id: Mapped[IntPK]
    name: Mapped[str] = mapped_column(String(100))
    applies_to: Mapped[str] = mapped_column(String(10))
    required_for_dispatch: Mapped[bool] = mapped_column(server_default="false")
    archived_at: Mapped[dt.datetime | None]


class Document(Audited, Base):
    """A registration, insurance, inspection, permit, medical certificate... with validity."""

    __tablename__ = "fleet_document"
    __audit_type__ = "document"
    __table_args__ = (
        CheckConstraint("(vehicle_id IS NULL) <> (employee_id IS NULL)", name="one_owner"),
        CheckConstraint("valid_from IS NULL OR valid_to >= valid_from", name="valid_period"),
        Index("ix_fleet_document_valid_to", "valid_to", postgresql_where=text("archived_at IS NULL")),
        Index("ix_fleet_document_vehicle", "vehicle_id"),
        Index("ix_fleet_document_employee", "employee_id"),
    )

    id: Mapped[IntPK]
    type_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("document_type.id"))
    vehicle_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("vehicle.id"))
    employee_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("employee.id"))
    number: Mapped[str | None] = mapped_column(String(60))
    issuer: Mapped[str | None] = mapped_column(String(120))
    valid_from: Mapped[dt.date | None]
    valid_to: Mapped[dt.date]
    notes: Mapped[str | None] = mapped_column(Text)
    archived_at: Mapped[dt.datetime | None]
    created_at: Mapped[CreatedAt]


class Driver(Audited, Base):
    """The driver card on an employee's personal card (SPEC F5)."""

    __tablename__ = "driver"
    __audit_type__ = "driver"
    __table_args__ = (
        CheckConstraint("medical_status IN ('fit', 'restricted', 'unfit', 'unknown')", name="medical_known"),
        Index("uq_driver_licence_number", text("upper(licence_number)"), unique=True),
    )

    employee_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("employee.id"), primary_key=True)
    licence_number: Mapped[str] = mapped_column(String(30))
    licence_categories: Mapped[list[str]] = mapped_column(ARRAY(String(4)))
    licence_valid_to: Mapped[dt.date]
    experience_since: Mapped[dt.date | None]
    qualifications: Mapped[list[str]] = mapped_column(ARRAY(String(30)), server_default="{}")
    medical_status: Mapped[str] = mapped_column(String(12), server_default="unknown")
    created_at: Mapped[CreatedAt]
