"""Fleet: vehicles and trailers, categories, documents with validity, drivers, odometer,
repairs, maintenance plans, couplings.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 20:42:03.039117
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "document_type",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("applies_to", sa.String(length=10), nullable=False),
        sa.Column("required_for_dispatch", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "applies_to IN ('vehicle', 'trailer', 'driver')", name=op.f("ck_document_type_applies_to_known")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_type")),
    )
    op.create_index(
        "uq_document_type_applies_name", "document_type", ["applies_to", sa.literal_column("lower(name)")], unique=True
    )
    op.create_table(
        "vehicle_category",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("kind IN ('vehicle', 'trailer')", name=op.f("ck_vehicle_category_kind_known")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vehicle_category")),
    )
    op.create_index(
        "uq_vehicle_category_kind_name", "vehicle_category", ["kind", sa.literal_column("lower(name)")], unique=True
    )
    op.create_table(
        "driver",
        sa.Column("employee_id", sa.BigInteger(), nullable=False),
        sa.Column("licence_number", sa.String(length=30), nullable=False),
        sa.Column("licence_categories", postgresql.ARRAY(sa.String(length=4)), nullable=False),
        sa.Column("licence_valid_to", sa.Date(), nullable=False),
        sa.Column("experience_since", sa.Date(), nullable=True),
        sa.Column("qualifications", postgresql.ARRAY(sa.String(length=30)), server_default="{}", nullable=False),
        sa.Column("medical_status", sa.String(length=12), server_default="unknown", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "medical_status IN ('fit', 'restricted', 'unfit', 'unknown')", name=op.f("ck_driver_medical_known")
        ),
        sa.ForeignKeyConstraint(["employee_id"], ["employee.id"], name=op.f("fk_driver_employee_id_employee")),
        sa.PrimaryKeyConstraint("employee_id", name=op.f("pk_driver")),
    )
    op.create_index("uq_driver_licence_number", "driver", [sa.literal_column("upper(licence_number)")], unique=True)
    op.create_table(
        "vehicle",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("unit_type", sa.String(length=10), nullable=False),
        sa.Column("plate", sa.String(length=20), nullable=False),
        sa.Column(
            "plate_key",
            sa.String(length=20),
            sa.Computed("upper(regexp_replace(plate, '[^A-Za-z0-9]', '', 'g'))", persisted=True),
            nullable=False,
        ),
        sa.Column("vin", sa.String(length=17), nullable=True),
        sa.Column("make", sa.String(length=60), nullable=True),
        sa.Column("model", sa.String(length=60), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("category_id", sa.BigInteger(), nullable=True),
        sa.Column("body_type", sa.String(length=60), nullable=True),
        sa.Column("fuel_type", sa.String(length=10), server_default="diesel", nullable=False),
        sa.Column("required_licence", sa.String(length=4), nullable=True),
        sa.Column("fuel_norm_l_100km", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.Column("norm_per_tonne_100km", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.Column("trailer_pct", sa.Numeric(precision=5, scale=2), nullable=True),
        sa.Column("winter_pct", sa.Numeric(precision=5, scale=2), nullable=True),
        sa.Column("city_pct", sa.Numeric(precision=5, scale=2), nullable=True),
        sa.Column("hvac_l_per_hour", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.Column("max_speed_kmh", sa.Integer(), nullable=True),
        sa.Column("payload_kg", sa.Integer(), nullable=True),
        sa.Column("volume_m3", sa.Numeric(precision=8, scale=2), nullable=True),
        sa.Column("pallets", sa.Integer(), nullable=True),
        sa.Column("axles", sa.Integer(), nullable=True),
        sa.Column("odometer_km", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("status", sa.String(length=10), server_default="active", nullable=False),
        sa.Column("purchase_date", sa.Date(), nullable=True),
        sa.Column("purchase_price", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("responsible_user_id", sa.BigInteger(), nullable=True),
        sa.Column("photo_id", sa.BigInteger(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column(
            "search_text",
            sa.Text(),
            sa.Computed(
                "lower(plate || ' ' || coalesce(vin, '') || ' ' || coalesce(make, '') || ' ' || coalesce(model, '') || ' ' || coalesce(body_type, ''))",
                persisted=True,
            ),
            nullable=False,
        ),
        sa.CheckConstraint(
            "fuel_type IN ('diesel', 'petrol', 'electric', 'none')", name=op.f("ck_vehicle_fuel_type_known")
        ),
        sa.CheckConstraint(
            "status IN ('active', 'in_repair', 'reserved', 'sold')", name=op.f("ck_vehicle_status_known")
        ),
        sa.CheckConstraint("unit_type <> 'trailer' OR fuel_type = 'none'", name=op.f("ck_vehicle_trailer_has_no_fuel")),
        sa.CheckConstraint(
            "unit_type IN ('tractor', 'truck', 'van', 'trailer')", name=op.f("ck_vehicle_unit_type_known")
        ),
        sa.CheckConstraint(
            "fuel_norm_l_100km IS NULL OR fuel_norm_l_100km BETWEEN 0 AND 150", name=op.f("ck_vehicle_norm_sane")
        ),
        sa.CheckConstraint("odometer_km >= 0", name=op.f("ck_vehicle_odometer_not_negative")),
        sa.CheckConstraint(
            "payload_kg IS NULL OR payload_kg BETWEEN 0 AND 100000", name=op.f("ck_vehicle_payload_sane")
        ),
        sa.CheckConstraint("year IS NULL OR year BETWEEN 1950 AND 2100", name=op.f("ck_vehicle_year_sane")),
        sa.ForeignKeyConstraint(
            ["category_id"], ["vehicle_category.id"], name=op.f("fk_vehicle_category_id_vehicle_category")
        ),
        sa.ForeignKeyConstraint(
            ["photo_id"], ["attachment.id"], name=op.f("fk_vehicle_photo_id_attachment"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["responsible_user_id"], ["app_user.id"], name=op.f("fk_vehicle_responsible_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vehicle")),
    )
    op.create_index(
        "ix_vehicle_search_trgm",
        "vehicle",
        ["search_text"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"search_text": "gin_trgm_ops"},
    )
    op.create_index("ix_vehicle_unit_type_plate", "vehicle", ["unit_type", "plate"], unique=False)
    op.create_index("uq_vehicle_plate_key", "vehicle", ["plate_key"], unique=True)
    op.create_index("uq_vehicle_vin", "vehicle", ["vin"], unique=True, postgresql_where=sa.text("vin IS NOT NULL"))
    op.create_table(
        "coupling",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("tractor_id", sa.BigInteger(), nullable=False),
        sa.Column("trailer_id", sa.BigInteger(), nullable=False),
        sa.Column("coupled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uncoupled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.CheckConstraint(
            "uncoupled_at IS NULL OR uncoupled_at >= coupled_at", name=op.f("ck_coupling_period_ordered")
        ),
        sa.ForeignKeyConstraint(["tractor_id"], ["vehicle.id"], name=op.f("fk_coupling_tractor_id_vehicle")),
        sa.ForeignKeyConstraint(["trailer_id"], ["vehicle.id"], name=op.f("fk_coupling_trailer_id_vehicle")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coupling")),
    )
    op.create_index(
        "uq_coupling_current_tractor",
        "coupling",
        ["tractor_id"],
        unique=True,
        postgresql_where=sa.text("uncoupled_at IS NULL"),
    )
    op.create_index(
        "uq_coupling_current_trailer",
        "coupling",
        ["trailer_id"],
        unique=True,
        postgresql_where=sa.text("uncoupled_at IS NULL"),
    )
    op.create_table(
        "fleet_document",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("type_id", sa.BigInteger(), nullable=False),
        sa.Column("vehicle_id", sa.BigInteger(), nullable=True),
        sa.Column("employee_id", sa.BigInteger(), nullable=True),
        sa.Column("number", sa.String(length=60), nullable=True),
        sa.Column("issuer", sa.String(length=120), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("(vehicle_id IS NULL) <> (employee_id IS NULL)", name=op.f("ck_fleet_document_one_owner")),
        sa.CheckConstraint("valid_from IS NULL OR valid_to >= valid_from", name=op.f("ck_fleet_document_valid_period")),
        sa.ForeignKeyConstraint(["employee_id"], ["employee.id"], name=op.f("fk_fleet_document_employee_id_employee")),
        sa.ForeignKeyConstraint(
            ["type_id"], ["document_type.id"], name=op.f("fk_fleet_document_type_id_document_type")
        ),
        sa.ForeignKeyConstraint(["vehicle_id"], ["vehicle.id"], name=op.f("fk_fleet_document_vehicle_id_vehicle")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fleet_document")),
    )
    op.create_index("ix_fleet_document_employee", "fleet_document", ["employee_id"], unique=False)
    op.create_index(
        "ix_fleet_document_valid_to",
        "fleet_document",
        ["valid_to"],
        unique=False,
        postgresql_where=sa.text("archived_at IS NULL"),
    )
    op.create_index("ix_fleet_document_vehicle", "fleet_document", ["vehicle_id"], unique=False)
    op.create_table(
        "maintenance_plan",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("vehicle_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("every_km", sa.BigInteger(), nullable=True),
        sa.Column("every_months", sa.Integer(), nullable=True),
        sa.Column("last_done_date", sa.Date(), nullable=True),
        sa.Column("last_done_km", sa.BigInteger(), nullable=True),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "every_km IS NOT NULL OR every_months IS NOT NULL", name=op.f("ck_maintenance_plan_has_interval")
        ),
        sa.CheckConstraint("every_km IS NULL OR every_km > 0", name=op.f("ck_maintenance_plan_km_positive")),
        sa.CheckConstraint(
            "every_months IS NULL OR every_months > 0", name=op.f("ck_maintenance_plan_months_positive")
        ),
        sa.ForeignKeyConstraint(["vehicle_id"], ["vehicle.id"], name=op.f("fk_maintenance_plan_vehicle_id_vehicle")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_maintenance_plan")),
    )
    op.create_table(
        "odometer_reading",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("vehicle_id", sa.BigInteger(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("km", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.String(length=20), server_default="manual", nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("km >= 0", name=op.f("ck_odometer_reading_km_not_negative")),
        sa.ForeignKeyConstraint(["created_by"], ["app_user.id"], name=op.f("fk_odometer_reading_created_by_app_user")),
        sa.ForeignKeyConstraint(["vehicle_id"], ["vehicle.id"], name=op.f("fk_odometer_reading_vehicle_id_vehicle")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_odometer_reading")),
    )
    op.create_index("ix_odometer_reading_vehicle_at", "odometer_reading", ["vehicle_id", "read_at"], unique=False)
    op.create_table(
        "repair",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("vehicle_id", sa.BigInteger(), nullable=False),
        sa.Column("work_date", sa.Date(), nullable=False),
        sa.Column("odometer_km", sa.BigInteger(), nullable=True),
        sa.Column("work_done", sa.Text(), nullable=False),
        sa.Column("place", sa.String(length=120), nullable=True),
        sa.Column("labour_cost", sa.Numeric(precision=14, scale=2), server_default="0", nullable=False),
        sa.Column("plan_id", sa.BigInteger(), nullable=True),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("labour_cost >= 0", name=op.f("ck_repair_labour_not_negative")),
        sa.ForeignKeyConstraint(["plan_id"], ["maintenance_plan.id"], name=op.f("fk_repair_plan_id_maintenance_plan")),
        sa.ForeignKeyConstraint(["vehicle_id"], ["vehicle.id"], name=op.f("fk_repair_vehicle_id_vehicle")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_repair")),
    )
    op.create_index("ix_repair_vehicle_date", "repair", ["vehicle_id", "work_date"], unique=False)
    op.create_table(
        "repair_part",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("repair_id", sa.BigInteger(), nullable=False),
        sa.Column("item_name", sa.String(length=200), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=14, scale=3), nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("stock_issue_ref", sa.String(length=40), nullable=True),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_repair_part_quantity_positive")),
        sa.CheckConstraint("unit_price >= 0", name=op.f("ck_repair_part_price_not_negative")),
        sa.ForeignKeyConstraint(["repair_id"], ["repair.id"], name=op.f("fk_repair_part_repair_id_repair")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_repair_part")),
    )
    _seed()


def downgrade() -> None:
    op.execute("DELETE FROM parameter WHERE key LIKE 'fleet.%'")
    op.drop_table("repair_part")
    op.drop_index("ix_repair_vehicle_date", table_name="repair")
    op.drop_table("repair")
    op.drop_index("ix_odometer_reading_vehicle_at", table_name="odometer_reading")
    op.drop_table("odometer_reading")
    op.drop_table("maintenance_plan")
    op.drop_index("ix_fleet_document_vehicle", table_name="fleet_document")
    op.drop_index(
        "ix_fleet_document_valid_to", table_name="fleet_document", postgresql_where=sa.text("archived_at IS NULL")
    )
    op.drop_index("ix_fleet_document_employee", table_name="fleet_document")
    op.drop_table("fleet_document")
    op.drop_index(
        "uq_coupling_current_trailer", table_name="coupling", postgresql_where=sa.text("uncoupled_at IS NULL")
    )
    op.drop_index(
        "uq_coupling_current_tractor", table_name="coupling", postgresql_where=sa.text("uncoupled_at IS NULL")
    )
    op.drop_table("coupling")
    op.drop_index("uq_vehicle_vin", table_name="vehicle", postgresql_where=sa.text("vin IS NOT NULL"))
    op.drop_index("uq_vehicle_plate_key", table_name="vehicle")
    op.drop_index("ix_vehicle_unit_type_plate", table_name="vehicle")
    op.drop_index(
        "ix_vehicle_search_trgm",
        table_name="vehicle",
        postgresql_using="gin",
        postgresql_ops={"search_text": "gin_trgm_ops"},
    )
    op.drop_table("vehicle")
    op.drop_index("uq_driver_licence_number", table_name="driver")
    op.drop_table("driver")
    op.drop_index("uq_vehicle_category_kind_name", table_name="vehicle_category")
    op.drop_table("vehicle_category")
    op.drop_index("uq_document_type_applies_name", table_name="document_type")
    op.drop_table("document_type")


DOCUMENT_TYPES = [
    # name, applies to, required for dispatch
    ("Registration certificate", "vehicle", True),
    ("Insurance", "vehicle", True),
    ("Technical inspection", "vehicle", True),
    ("Transport operator licence", "vehicle", True),
    ("COMESA yellow card", "vehicle", False),
    ("Registration certificate", "trailer", True),
    ("Insurance", "trailer", True),
    ("Technical inspection", "trailer", True),
    ("Medical certificate", "driver", True),
    ("Passport", "driver", False),
    ("Professional driver card", "driver", False),
]
CATEGORIES = [
    ("vehicle", "Long-haul tractor"),
    ("vehicle", "Rigid truck"),
    ("vehicle", "Tipper"),
    ("vehicle", "Delivery van"),
    ("trailer", "Flatbed"),
    ("trailer", "Curtainsider"),
    ("trailer", "Tanker"),
    ("trailer", "Refrigerated"),
    ("trailer", "Container chassis"),
]
PARAMETERS = [
    (
        "fleet.expiring_warn_days",
        "int",
        "30",
        "days",
        "fleet",
        "A document is shown as expiring this many days before it ends",
    ),
    (
        "fleet.maintenance_lead_km",
        "int",
        "1000",
        "km",
        "fleet",
        "Maintenance is due this many kilometres before its interval",
    ),
    ("fleet.heavy_trailer_kg", "int", "750", "kg", "fleet", "A trailer heavier than this needs an E licence category"),
]


def _seed() -> None:
    doc_type = sa.table(
        "document_type",
        sa.column("name", sa.String),
        sa.column("applies_to", sa.String),
        sa.column("required_for_dispatch", sa.Boolean),
    )
    op.bulk_insert(doc_type, [dict(name=n, applies_to=a, required_for_dispatch=r) for n, a, r in DOCUMENT_TYPES])
    category = sa.table("vehicle_category", sa.column("kind", sa.String), sa.column("name", sa.String))
    op.bulk_insert(category, [dict(kind=k, name=n) for k, n in CATEGORIES])
    parameter = sa.table(
        "parameter",
        sa.column("key", sa.String),
        sa.column("kind", sa.String),
        sa.column("value", sa.Text),
        sa.column("unit", sa.String),
        sa.column("group_name", sa.String),
        sa.column("description", sa.String),
    )
    op.bulk_insert(
        parameter,
        [dict(key=k, kind=kind, value=v, unit=u, group_name=g, description=d) for k, kind, v, u, g, d in PARAMETERS],
    )
