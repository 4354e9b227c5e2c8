"""Orders and trips (SPEC T1, T4, T5): transport orders with their stops and status events,
the order catalogs (categories, cargo types, cancel reasons), trips with their orders, stops,
expenses and bookings (an exclusion constraint refuses double booking of a truck, trailer or
driver, kept by a trigger so no code path can skip it), fuel issued to a trip, the gapless
counters and the printed transport documents; and the settings route cost and quotes need.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 05:27:13
"""

from collections.abc import Sequence
from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Every trip that is not cancelled books its vehicle, trailer and drivers over its planned
# period; the exclusion constraint on trip_booking refuses a second booking of any of them.
BOOKINGS_TRIGGER = """
CREATE FUNCTION trip_bookings() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    span tstzrange := tstzrange(NEW.planned_start, NEW.planned_end, '[)');
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.vehicle_id IS NOT DISTINCT FROM OLD.vehicle_id
           AND NEW.trailer_id IS NOT DISTINCT FROM OLD.trailer_id
           AND NEW.driver_id IS NOT DISTINCT FROM OLD.driver_id
           AND NEW.second_driver_id IS NOT DISTINCT FROM OLD.second_driver_id
           AND NEW.planned_start = OLD.planned_start AND NEW.planned_end = OLD.planned_end
           AND (NEW.status = 'cancelled') = (OLD.status = 'cancelled') THEN
            RETURN NEW;
        END IF;
        DELETE FROM trip_booking WHERE trip_id = NEW.id;
    END IF;
    IF NEW.status <> 'cancelled' THEN
        INSERT INTO trip_booking (trip_id, resource, resource_id, period)
        SELECT NEW.id, r.resource, r.resource_id, span
        FROM (VALUES ('vehicle', NEW.vehicle_id), ('vehicle', NEW.trailer_id),
                     ('driver', NEW.driver_id), ('driver', NEW.second_driver_id)) AS r(resource, resource_id)
        WHERE r.resource_id IS NOT NULL;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER trip_bookings AFTER INSERT OR UPDATE ON trip
    FOR EACH ROW EXECUTE FUNCTION trip_bookings();
"""

CATEGORIES = [  # the order catalogs: (kind, name)
    ("order_category", "Domestic"),
    ("order_category", "Cross-border"),
    ("order_category", "Contract customer"),
    ("order_category", "Spot"),
    ("cargo_type", "General cargo"),
    ("cargo_type", "Construction materials"),
    ("cargo_type", "Food and beverages"),
    ("cargo_type", "Agricultural produce"),
    ("cargo_type", "Fuel and chemicals"),
    ("cargo_type", "Containers"),
    ("cargo_type", "Machinery"),
    ("cancel_reason", "Client cancelled"),
    ("cancel_reason", "Price not accepted"),
    ("cancel_reason", "No vehicle available"),
    ("cancel_reason", "Cargo not ready"),
    ("cancel_reason", "Entered twice"),
    ("cancel_reason", "Other"),
]

# key, kind, value, unit, group, description, least, greatest
PARAMETERS = [
    (
        "transport.min_margin_pct",
        "decimal",
        "12",
        "%",
        "transport",
        "Minimum margin of an order before a warning",
        "-100",
        "100",
    ),
    ("transport.quote_valid_days", "int", "14", "days", "transport", "How long a quote stays valid", "1", "365"),
    ("transport.driving_hours_per_day", "decimal", "9", "h", "transport", "Driving hours in a driver's day", "4", "16"),
    ("transport.night_starts_hour", "int", "20", "h", "transport", "Hour the night surcharge starts", "0", "23"),
    ("transport.night_ends_hour", "int", "6", "h", "transport", "Hour the night surcharge ends", "0", "23"),
    (
        "transport.fuel_overuse_pct",
        "decimal",
        "5",
        "%",
        "transport",
        "Fuel over the norm tolerated before a trip is flagged",
        "0",
        "100",
    ),
    (
        "costs.driver_night_allowance",
        "decimal",
        "10000",
        "RWF",
        "costs",
        "Driver's allowance per night away",
        "0",
        "1000000",
    ),
    ("costs.driver_pay_per_km", "decimal", "0", "RWF/km", "costs", "Driver's pay per km driven", "0", "10000"),
    ("costs.driver_pay_per_trip", "decimal", "0", "RWF", "costs", "Driver's pay per trip", "0", "10000000"),
]


def _previous(filename: str) -> ModuleType:
    spec = spec_from_file_location(filename.removesuffix(".py"), Path(__file__).with_name(filename))
    assert spec is not None and spec.loader is not None
    module = module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_LOGGED_0012 = "to_jsonb(d) - 'posted_at' - 'cancelled_at' - 'version'"


def create_and_post(with_trip: bool) -> str:
    """0012's stock_create_and_post, word for word, except that its creation log row leaves out
    `trip_id` as it leaves out the other columns not set on creation (db/audit.py logs the
    columns set; a fuel issue is linked to its trip afterwards, and that change is logged)."""
    body = _previous("0012_stock_create_and_post.py").CREATE_AND_POST
    assert body.count(_LOGGED_0012) == 1
    if with_trip:
        body = body.replace(_LOGGED_0012, _LOGGED_0012 + " - 'trip_id'")
    return body.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")  # the exclusion constraint's = on bigint
    op.create_table(
        "order_catalog",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.CheckConstraint(
            "kind IN ('order_category', 'cargo_type', 'cancel_reason')", name=op.f("ck_order_catalog_kind_known")
        ),
        sa.CheckConstraint("length(trim(name)) > 0", name=op.f("ck_order_catalog_name_not_blank")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_catalog")),
    )
    op.create_index(
        "uq_order_catalog_kind_name", "order_catalog", ["kind", sa.literal_column("lower(name)")], unique=True
    )
    op.create_table(
        "transport_counter",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("last_number > 0", name=op.f("ck_transport_counter_last_number_positive")),
        sa.PrimaryKeyConstraint("kind", "year", name=op.f("pk_transport_counter")),
    )
    op.create_table(
        "transport_order",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("client_id", sa.BigInteger(), nullable=False),
        sa.Column("contact_id", sa.BigInteger(), nullable=True),
        sa.Column("category_id", sa.BigInteger(), nullable=True),
        sa.Column("manager_id", sa.BigInteger(), nullable=True),
        sa.Column("service", sa.String(length=12), server_default="ftl", nullable=False),
        sa.Column("status", sa.String(length=12), server_default="request", nullable=False),
        sa.Column("cargo_description", sa.String(length=300), nullable=False),
        sa.Column("cargo_type_id", sa.BigInteger(), nullable=True),
        sa.Column("weight_kg", sa.Numeric(precision=10, scale=1), nullable=True),
        sa.Column("volume_m3", sa.Numeric(precision=8, scale=2), nullable=True),
        sa.Column("pallets", sa.Integer(), nullable=True),
        sa.Column("dangerous", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("un_number", sa.String(length=4), nullable=True),
        sa.Column("adr_class", sa.String(length=6), nullable=True),
        sa.Column("temperature_controlled", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("temp_min_c", sa.Numeric(precision=4, scale=1), nullable=True),
        sa.Column("temp_max_c", sa.Numeric(precision=4, scale=1), nullable=True),
        sa.Column("body_type", sa.String(length=60), nullable=True),
        sa.Column("vehicle_category_id", sa.BigInteger(), nullable=True),
        sa.Column("requested_pickup_date", sa.Date(), nullable=True),
        sa.Column("requested_delivery_date", sa.Date(), nullable=True),
        sa.Column(
            "extra_services",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column("distance_km", sa.Numeric(precision=8, scale=1), nullable=True),
        sa.Column("distance_source", sa.String(length=10), nullable=True),
        sa.Column("price_amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("price_currency", sa.String(length=3), nullable=True),
        sa.Column("price_breakdown", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("priced_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("quote_valid_until", sa.Date(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancel_reason_id", sa.BigInteger(), nullable=True),
        sa.Column("cancel_note", sa.String(length=300), nullable=True),
        sa.Column("client_reference", sa.String(length=60), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column(
            "search_text",
            sa.Text(),
            sa.Computed(
                "lower(number || ' ' || cargo_description || ' ' || coalesce(client_reference, ''))", persisted=True
            ),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.CheckConstraint(
            "(status = 'cancelled') = (cancelled_at IS NOT NULL)",
            name=op.f("ck_transport_order_cancelled_when_cancelled"),
        ),
        sa.CheckConstraint(
            "distance_source IS NULL OR distance_source IN ('table', 'routing', 'estimate')",
            name=op.f("ck_transport_order_distance_source_known"),
        ),
        sa.CheckConstraint(
            "price_currency IS NULL OR price_currency ~ '^[A-Z]{3}$'", name=op.f("ck_transport_order_currency_iso")
        ),
        sa.CheckConstraint(
            "service IN ('ftl', 'ltl', 'container', 'distribution')", name=op.f("ck_transport_order_service_known")
        ),
        sa.CheckConstraint(
            "status IN ('request', 'quoted', 'confirmed', 'planned', 'in_transit', 'delivered', 'closed', 'cancelled')",
            name=op.f("ck_transport_order_status_known"),
        ),
        sa.CheckConstraint(
            "un_number IS NULL OR un_number ~ '^[0-9]{4}$'", name=op.f("ck_transport_order_un_number_format")
        ),
        sa.CheckConstraint(
            "(price_amount IS NULL) = (price_currency IS NULL)", name=op.f("ck_transport_order_price_has_currency")
        ),
        sa.CheckConstraint(
            "NOT dangerous OR (un_number IS NOT NULL AND adr_class IS NOT NULL)",
            name=op.f("ck_transport_order_dangerous_named"),
        ),
        sa.CheckConstraint(
            "NOT temperature_controlled OR (temp_min_c IS NOT NULL AND temp_max_c IS NOT NULL AND temp_min_c <= temp_max_c)",
            name=op.f("ck_transport_order_temperature_range"),
        ),
        sa.CheckConstraint(
            "cancelled_at IS NULL OR cancel_reason_id IS NOT NULL", name=op.f("ck_transport_order_cancel_has_reason")
        ),
        sa.CheckConstraint("pallets IS NULL OR pallets >= 0", name=op.f("ck_transport_order_pallets_not_negative")),
        sa.CheckConstraint(
            "requested_delivery_date IS NULL OR requested_pickup_date IS NULL OR requested_delivery_date >= requested_pickup_date",
            name=op.f("ck_transport_order_delivery_after_pickup"),
        ),
        sa.CheckConstraint("volume_m3 IS NULL OR volume_m3 >= 0", name=op.f("ck_transport_order_volume_not_negative")),
        sa.CheckConstraint("weight_kg IS NULL OR weight_kg >= 0", name=op.f("ck_transport_order_weight_not_negative")),
        sa.ForeignKeyConstraint(
            ["cancel_reason_id"], ["order_catalog.id"], name=op.f("fk_transport_order_cancel_reason_id_order_catalog")
        ),
        sa.ForeignKeyConstraint(
            ["cargo_type_id"], ["order_catalog.id"], name=op.f("fk_transport_order_cargo_type_id_order_catalog")
        ),
        sa.ForeignKeyConstraint(
            ["category_id"], ["order_catalog.id"], name=op.f("fk_transport_order_category_id_order_catalog")
        ),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"], name=op.f("fk_transport_order_client_id_client")),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["client_contact.id"], name=op.f("fk_transport_order_contact_id_client_contact")
        ),
        sa.ForeignKeyConstraint(["created_by"], ["app_user.id"], name=op.f("fk_transport_order_created_by_app_user")),
        sa.ForeignKeyConstraint(["manager_id"], ["app_user.id"], name=op.f("fk_transport_order_manager_id_app_user")),
        sa.ForeignKeyConstraint(
            ["vehicle_category_id"],
            ["vehicle_category.id"],
            name=op.f("fk_transport_order_vehicle_category_id_vehicle_category"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transport_order")),
    )
    op.create_index(
        "ix_transport_order_client", "transport_order", ["client_id", "requested_pickup_date"], unique=False
    )
    op.create_index(
        "ix_transport_order_search_trgm",
        "transport_order",
        ["search_text"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"search_text": "gin_trgm_ops"},
    )
    op.create_index("ix_transport_order_status", "transport_order", ["status", "requested_pickup_date"], unique=False)
    op.create_index("uq_transport_order_number", "transport_order", ["number"], unique=True)
    op.create_table(
        "trip",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=12), server_default="planned", nullable=False),
        sa.Column("vehicle_id", sa.BigInteger(), nullable=False),
        sa.Column("trailer_id", sa.BigInteger(), nullable=True),
        sa.Column("driver_id", sa.BigInteger(), nullable=False),
        sa.Column("second_driver_id", sa.BigInteger(), nullable=True),
        sa.Column("home_place_id", sa.BigInteger(), nullable=True),
        sa.Column("planned_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("planned_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("planned_km", sa.Numeric(precision=8, scale=1), nullable=True),
        sa.Column("planned_hours", sa.Numeric(precision=7, scale=2), nullable=True),
        sa.Column("planned_fuel_l", sa.Numeric(precision=10, scale=2), nullable=True),
        sa.Column("planned_cost_amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("planned_cost", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("odometer_out", sa.BigInteger(), nullable=True),
        sa.Column("odometer_in", sa.BigInteger(), nullable=True),
        sa.Column("fuel_start_l", sa.Numeric(precision=8, scale=2), nullable=True),
        sa.Column("fuel_end_l", sa.Numeric(precision=8, scale=2), nullable=True),
        sa.Column("dispatched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("actual_km", sa.Numeric(precision=8, scale=1), nullable=True),
        sa.Column("actual_fuel_l", sa.Numeric(precision=10, scale=2), nullable=True),
        sa.Column("norm_fuel_l", sa.Numeric(precision=10, scale=2), nullable=True),
        sa.Column("actual_cost_amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("actual_cost", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("fuel_overuse", sa.Boolean(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.CheckConstraint("(status = 'closed') = (closed_at IS NOT NULL)", name=op.f("ck_trip_closed_when_closed")),
        sa.CheckConstraint(
            "status IN ('planned', 'dispatched', 'in_progress', 'completed', 'closed', 'cancelled')",
            name=op.f("ck_trip_status_known"),
        ),
        sa.CheckConstraint("fuel_end_l IS NULL OR fuel_end_l >= 0", name=op.f("ck_trip_fuel_end_not_negative")),
        sa.CheckConstraint("fuel_start_l IS NULL OR fuel_start_l >= 0", name=op.f("ck_trip_fuel_start_not_negative")),
        sa.CheckConstraint(
            "odometer_in IS NULL OR odometer_out IS NULL OR odometer_in >= odometer_out",
            name=op.f("ck_trip_odometer_up"),
        ),
        sa.CheckConstraint("planned_end > planned_start", name=op.f("ck_trip_period_in_order")),
        sa.CheckConstraint(
            "second_driver_id IS NULL OR second_driver_id <> driver_id", name=op.f("ck_trip_two_different_drivers")
        ),
        sa.CheckConstraint("trailer_id IS NULL OR trailer_id <> vehicle_id", name=op.f("ck_trip_trailer_not_vehicle")),
        sa.ForeignKeyConstraint(["created_by"], ["app_user.id"], name=op.f("fk_trip_created_by_app_user")),
        sa.ForeignKeyConstraint(["driver_id"], ["driver.employee_id"], name=op.f("fk_trip_driver_id_driver")),
        sa.ForeignKeyConstraint(["home_place_id"], ["place.id"], name=op.f("fk_trip_home_place_id_place")),
        sa.ForeignKeyConstraint(
            ["second_driver_id"], ["driver.employee_id"], name=op.f("fk_trip_second_driver_id_driver")
        ),
        sa.ForeignKeyConstraint(["trailer_id"], ["vehicle.id"], name=op.f("fk_trip_trailer_id_vehicle")),
        sa.ForeignKeyConstraint(["vehicle_id"], ["vehicle.id"], name=op.f("fk_trip_vehicle_id_vehicle")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trip")),
    )
    op.create_index("ix_trip_driver_start", "trip", ["driver_id", "planned_start"], unique=False)
    op.create_index("ix_trip_status_start", "trip", ["status", "planned_start"], unique=False)
    op.create_index("ix_trip_vehicle_start", "trip", ["vehicle_id", "planned_start"], unique=False)
    op.create_index("uq_trip_number", "trip", ["number"], unique=True)
    op.create_table(
        "order_status_event",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("from_status", sa.String(length=12), nullable=True),
        sa.Column("to_status", sa.String(length=12), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.CheckConstraint(
            "from_status IS NULL OR from_status IN ('request', 'quoted', 'confirmed', 'planned', 'in_transit', 'delivered', 'closed', 'cancelled')",
            name=op.f("ck_order_status_event_from_known"),
        ),
        sa.CheckConstraint(
            "to_status IN ('request', 'quoted', 'confirmed', 'planned', 'in_transit', 'delivered', 'closed', 'cancelled')",
            name=op.f("ck_order_status_event_to_known"),
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["transport_order.id"],
            name=op.f("fk_order_status_event_order_id_transport_order"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_order_status_event_user_id_app_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_status_event")),
    )
    op.create_index("ix_order_status_event_order", "order_status_event", ["order_id", "at"], unique=False)
    op.create_table(
        "order_stop",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("place_id", sa.BigInteger(), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("window_from", sa.DateTime(timezone=True), nullable=True),
        sa.Column("window_to", sa.DateTime(timezone=True), nullable=True),
        sa.Column("contact_name", sa.String(length=120), nullable=True),
        sa.Column("contact_phone", sa.String(length=24), nullable=True),
        sa.Column("notes", sa.String(length=300), nullable=True),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.CheckConstraint("kind IN ('pickup', 'dropoff')", name=op.f("ck_order_stop_kind_known")),
        sa.CheckConstraint("seq >= 1", name=op.f("ck_order_stop_seq_positive")),
        sa.CheckConstraint(
            "window_from IS NULL OR window_to IS NULL OR window_from <= window_to",
            name=op.f("ck_order_stop_window_in_order"),
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["transport_order.id"],
            name=op.f("fk_order_stop_order_id_transport_order"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["place_id"], ["place.id"], name=op.f("fk_order_stop_place_id_place")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_stop")),
    )
    op.create_index("ix_order_stop_place", "order_stop", ["place_id"], unique=False)
    op.create_index("uq_order_stop_order_id_seq", "order_stop", ["order_id", "seq"], unique=True)
    op.create_table(
        "transport_document",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=14), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.BigInteger(), nullable=False),
        sa.Column("label", sa.String(length=24), nullable=False),
        sa.Column("trip_id", sa.BigInteger(), nullable=True),
        sa.Column("order_id", sa.BigInteger(), nullable=True),
        sa.Column("attachment_id", sa.BigInteger(), nullable=True),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "kind IN ('waybill', 'cmr', 'delivery_note', 'quote')", name=op.f("ck_transport_document_kind_known")
        ),
        sa.CheckConstraint("(trip_id IS NULL) <> (order_id IS NULL)", name=op.f("ck_transport_document_one_owner")),
        sa.CheckConstraint("number > 0", name=op.f("ck_transport_document_number_positive")),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["attachment.id"],
            name=op.f("fk_transport_document_attachment_id_attachment"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["app_user.id"], name=op.f("fk_transport_document_created_by_app_user"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["transport_order.id"], name=op.f("fk_transport_document_order_id_transport_order")
        ),
        sa.ForeignKeyConstraint(["trip_id"], ["trip.id"], name=op.f("fk_transport_document_trip_id_trip")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transport_document")),
    )
    op.create_index("ix_transport_document_order", "transport_document", ["order_id"], unique=False)
    op.create_index("ix_transport_document_trip", "transport_document", ["trip_id"], unique=False)
    op.create_index(
        "uq_transport_document_kind_year_number", "transport_document", ["kind", "year", "number"], unique=True
    )
    op.create_table(
        "trip_booking",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("trip_id", sa.BigInteger(), nullable=False),
        sa.Column("resource", sa.String(length=8), nullable=False),
        sa.Column("resource_id", sa.BigInteger(), nullable=False),
        sa.Column("period", postgresql.TSTZRANGE(), nullable=False),
        postgresql.ExcludeConstraint(
            (sa.column("resource"), "="),
            (sa.column("resource_id"), "="),
            (sa.column("period"), "&&"),
            using="gist",
            name="ex_trip_booking_overlap",
        ),
        sa.CheckConstraint("resource IN ('vehicle', 'driver')", name=op.f("ck_trip_booking_resource_known")),
        sa.CheckConstraint("NOT isempty(period)", name=op.f("ck_trip_booking_period_not_empty")),
        sa.ForeignKeyConstraint(
            ["trip_id"], ["trip.id"], name=op.f("fk_trip_booking_trip_id_trip"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trip_booking")),
    )
    op.create_index("ix_trip_booking_trip", "trip_booking", ["trip_id"], unique=False)
    op.create_table(
        "trip_expense",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("trip_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("spent_on", sa.Date(), nullable=False),
        sa.Column("place_id", sa.BigInteger(), nullable=True),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f("ck_trip_expense_currency_iso")),
        sa.CheckConstraint(
            "kind IN ('parking', 'toll', 'border', 'road_repair', 'per_diem', 'other')",
            name=op.f("ck_trip_expense_kind_known"),
        ),
        sa.CheckConstraint("amount > 0", name=op.f("ck_trip_expense_amount_positive")),
        sa.ForeignKeyConstraint(["place_id"], ["place.id"], name=op.f("fk_trip_expense_place_id_place")),
        sa.ForeignKeyConstraint(
            ["trip_id"], ["trip.id"], name=op.f("fk_trip_expense_trip_id_trip"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trip_expense")),
    )
    op.create_index("ix_trip_expense_trip", "trip_expense", ["trip_id"], unique=False)
    op.create_table(
        "trip_order",
        sa.Column("trip_id", sa.BigInteger(), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["transport_order.id"], name=op.f("fk_trip_order_order_id_transport_order")
        ),
        sa.ForeignKeyConstraint(["trip_id"], ["trip.id"], name=op.f("fk_trip_order_trip_id_trip"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("trip_id", "order_id", name=op.f("pk_trip_order")),
    )
    op.create_index("ix_trip_order_order", "trip_order", ["order_id"], unique=False)
    op.create_table(
        "trip_stop",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("trip_id", sa.BigInteger(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("place_id", sa.BigInteger(), nullable=False),
        sa.Column("order_stop_id", sa.BigInteger(), nullable=True),
        sa.Column("leg_km", sa.Numeric(precision=8, scale=1), nullable=True),
        sa.Column("leg_hours", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.Column("leg_source", sa.String(length=10), nullable=True),
        sa.Column("planned_arrival", sa.DateTime(timezone=True), nullable=True),
        sa.Column("planned_departure", sa.DateTime(timezone=True), nullable=True),
        sa.Column("actual_arrival", sa.DateTime(timezone=True), nullable=True),
        sa.Column("actual_departure", sa.DateTime(timezone=True), nullable=True),
        sa.Column("pod_recipient", sa.String(length=120), nullable=True),
        sa.Column("pod_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("pod_attachment_id", sa.BigInteger(), nullable=True),
        sa.Column("notes", sa.String(length=300), nullable=True),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.CheckConstraint(
            "(kind IN ('pickup', 'dropoff')) = (order_stop_id IS NOT NULL)",
            name=op.f("ck_trip_stop_order_stop_for_cargo"),
        ),
        sa.CheckConstraint("kind IN ('start', 'pickup', 'dropoff', 'return')", name=op.f("ck_trip_stop_kind_known")),
        sa.CheckConstraint("pod_at IS NULL OR kind = 'dropoff'", name=op.f("ck_trip_stop_pod_on_dropoff")),
        sa.CheckConstraint("(pod_at IS NULL) = (pod_recipient IS NULL)", name=op.f("ck_trip_stop_pod_named")),
        sa.CheckConstraint(
            "actual_departure IS NULL OR actual_arrival IS NULL OR actual_departure >= actual_arrival",
            name=op.f("ck_trip_stop_leaves_after_arriving"),
        ),
        sa.CheckConstraint("seq >= 0", name=op.f("ck_trip_stop_seq_not_negative")),
        sa.ForeignKeyConstraint(
            ["order_stop_id"], ["order_stop.id"], name=op.f("fk_trip_stop_order_stop_id_order_stop")
        ),
        sa.ForeignKeyConstraint(["place_id"], ["place.id"], name=op.f("fk_trip_stop_place_id_place")),
        sa.ForeignKeyConstraint(
            ["pod_attachment_id"],
            ["attachment.id"],
            name=op.f("fk_trip_stop_pod_attachment_id_attachment"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(["trip_id"], ["trip.id"], name=op.f("fk_trip_stop_trip_id_trip"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trip_stop")),
    )
    op.create_index("ix_trip_stop_order_stop", "trip_stop", ["order_stop_id"], unique=False)
    op.create_index(
        "uq_trip_stop_trip_id_seq", "trip_stop", ["trip_id", "seq"], unique=True, postgresql_where=sa.text("seq >= 0")
    )
    op.add_column("stock_document", sa.Column("trip_id", sa.BigInteger(), nullable=True))
    op.create_index(
        "ix_stock_document_trip",
        "stock_document",
        ["trip_id"],
        unique=False,
        postgresql_where=sa.text("trip_id IS NOT NULL"),
    )
    op.create_foreign_key(op.f("fk_stock_document_trip_id_trip"), "stock_document", "trip", ["trip_id"], ["id"])
    op.execute(BOOKINGS_TRIGGER)
    op.execute(create_and_post(with_trip=True))
    catalog = sa.table("order_catalog", sa.column("kind", sa.String), sa.column("name", sa.String))
    op.bulk_insert(catalog, [{"kind": kind, "name": name} for kind, name in CATEGORIES])
    parameters = sa.table(
        "parameter",
        sa.column("key", sa.String),
        sa.column("kind", sa.String),
        sa.column("value", sa.Text),
        sa.column("unit", sa.String),
        sa.column("group_name", sa.String),
        sa.column("description", sa.String),
        sa.column("min_value", sa.String),
        sa.column("max_value", sa.String),
    )
    keys = ("key", "kind", "value", "unit", "group_name", "description", "min_value", "max_value")
    op.bulk_insert(parameters, [dict(zip(keys, p, strict=True)) for p in PARAMETERS])


def downgrade() -> None:
    op.execute(
        sa.text("DELETE FROM parameter WHERE key IN :keys").bindparams(
            sa.bindparam("keys", [p[0] for p in PARAMETERS], expanding=True)
        )
    )
    op.execute(create_and_post(with_trip=False))
    op.execute("DROP TRIGGER IF EXISTS trip_bookings ON trip")
    op.execute("DROP FUNCTION IF EXISTS trip_bookings()")
    op.drop_constraint(op.f("fk_stock_document_trip_id_trip"), "stock_document", type_="foreignkey")
    op.drop_index(
        "ix_stock_document_trip", table_name="stock_document", postgresql_where=sa.text("trip_id IS NOT NULL")
    )
    op.drop_column("stock_document", "trip_id")
    op.drop_index("uq_trip_stop_trip_id_seq", table_name="trip_stop", postgresql_where=sa.text("seq >= 0"))
    op.drop_index("ix_trip_stop_order_stop", table_name="trip_stop")
    op.drop_table("trip_stop")
    op.drop_index("ix_trip_order_order", table_name="trip_order")
    op.drop_table("trip_order")
    op.drop_index("ix_trip_expense_trip", table_name="trip_expense")
    op.drop_table("trip_expense")
    op.drop_index("ix_trip_booking_trip", table_name="trip_booking")
    op.drop_table("trip_booking")
    op.drop_index("uq_transport_document_kind_year_number", table_name="transport_document")
    op.drop_index("ix_transport_document_trip", table_name="transport_document")
    op.drop_index("ix_transport_document_order", table_name="transport_document")
    op.drop_table("transport_document")
    op.drop_index("uq_order_stop_order_id_seq", table_name="order_stop")
    op.drop_index("ix_order_stop_place", table_name="order_stop")
    op.drop_table("order_stop")
    op.drop_index("ix_order_status_event_order", table_name="order_status_event")
    op.drop_table("order_status_event")
    op.drop_index("uq_trip_number", table_name="trip")
    op.drop_index("ix_trip_vehicle_start", table_name="trip")
    op.drop_index("ix_trip_status_start", table_name="trip")
    op.drop_index("ix_trip_driver_start", table_name="trip")
    op.drop_table("trip")
    op.drop_index("uq_transport_order_number", table_name="transport_order")
    op.drop_index("ix_transport_order_status", table_name="transport_order")
    op.drop_index(
        "ix_transport_order_search_trgm",
        table_name="transport_order",
        postgresql_using="gin",
        postgresql_ops={"search_text": "gin_trgm_ops"},
    )
    op.drop_index("ix_transport_order_client", table_name="transport_order")
    op.drop_table("transport_order")
    op.drop_table("transport_counter")
    op.drop_index("uq_order_catalog_kind_name", table_name="order_catalog")
    op.drop_table("order_catalog")
