"""Places and distances (SPEC T2): the directory of places with their coordinates, the
company's distance table (which also keeps a routing server's answers as a cache), and the
two settings an estimated distance needs.

Seeded with real places of a Rwandan haulier's work (Kigali and three of its freight
depots, the provincial towns, the border posts to Uganda, Tanzania, Burundi and DR Congo,
the sea ports of Dar es Salaam and Mombasa and the Isaka dry port) and with the road
distances of the main routes, as the company's table: road km by the usual truck route, and
typical driving hours of a loaded truck (border waits not included). Coordinates are decimal
degrees of the town centre, the border crossing or the port; a company corrects them on the
Places screen, where every change is in the activity log.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 00:18:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# key, kind, value, unit, group, description, least, greatest
PARAMETERS = [
    (
        "transport.road_factor",
        "decimal",
        "1.3",
        None,
        "transport",
        "Road factor: road kilometres per straight-line kilometre, for an estimated distance",
        "1",
        "3",
    ),
    (
        "transport.average_speed_kmh",
        "decimal",
        "45",
        "km/h",
        "transport",
        "Average speed of a loaded truck, for driving hours the distance table does not give",
        "10",
        "100",
    ),
]

# name, kind, country, region, latitude, longitude
PLACES = [
    ("Kigali", "town", "RW", "Kigali City", "-1.943889", "30.059444"),
    ("Kigali Special Economic Zone", "depot", "RW", "Kigali City", "-1.928000", "30.154000"),
    ("Kigali Logistics Platform (Masaka)", "depot", "RW", "Kigali City", "-1.993000", "30.190000"),
    ("Gikondo industrial area", "depot", "RW", "Kigali City", "-1.973000", "30.076000"),
    ("Muhanga", "town", "RW", "Southern Province", "-2.084500", "29.756600"),
    ("Huye", "town", "RW", "Southern Province", "-2.596700", "29.739400"),
    ("Musanze", "town", "RW", "Northern Province", "-1.499600", "29.634400"),
    ("Rubavu", "town", "RW", "Western Province", "-1.702800", "29.256400"),
    ("Rusizi", "town", "RW", "Western Province", "-2.484600", "28.907500"),
    ("Nyagatare", "town", "RW", "Eastern Province", "-1.294400", "30.327500"),
    ("Kayonza", "town", "RW", "Eastern Province", "-1.900000", "30.503000"),
    ("Rusumo border", "border_post", "RW", "Eastern Province", "-2.380600", "30.777200"),
    ("Gatuna-Katuna border", "border_post", "RW", "Northern Province", "-1.426500", "30.012000"),
    ("Kagitumba border", "border_post", "RW", "Eastern Province", "-1.057000", "30.460000"),
    ("Cyanika border", "border_post", "RW", "Northern Province", "-1.338000", "29.738000"),
    ("Nemba border", "border_post", "RW", "Eastern Province", "-2.371000", "30.219000"),
    ("Kampala", "town", "UG", "Central Region", "0.313600", "32.581100"),
    ("Dar es Salaam port", "port", "TZ", "Dar es Salaam", "-6.838000", "39.288000"),
    ("Isaka dry port", "port", "TZ", "Shinyanga", "-3.900000", "32.933300"),
    ("Mombasa port", "port", "KE", "Mombasa", "-4.056000", "39.648000"),
    ("Goma", "town", "CD", "North Kivu", "-1.679200", "29.222800"),
    ("Bukavu", "town", "CD", "South Kivu", "-2.508300", "28.860800"),
]

# from, to, road km, typical driving hours (each also serves the way back)
DISTANCES = [
    ("Kigali", "Gikondo industrial area", "5", "0.30"),
    ("Kigali", "Kigali Special Economic Zone", "12", "0.50"),
    ("Kigali", "Kigali Logistics Platform (Masaka)", "16", "0.60"),
    ("Kigali", "Muhanga", "50", "1.25"),
    ("Kigali", "Huye", "135", "3.25"),
    ("Muhanga", "Huye", "85", "2.00"),
    ("Kigali", "Musanze", "95", "2.50"),
    ("Musanze", "Rubavu", "62", "1.60"),
    ("Kigali", "Rubavu", "155", "4.00"),
    ("Rubavu", "Goma", "5", "0.50"),
    ("Kigali", "Goma", "160", "4.50"),
    ("Huye", "Rusizi", "150", "4.00"),
    ("Kigali", "Rusizi", "285", "7.25"),
    ("Rusizi", "Bukavu", "6", "0.50"),
    ("Kigali", "Bukavu", "291", "7.75"),
    ("Musanze", "Cyanika border", "25", "0.60"),
    ("Kigali", "Cyanika border", "120", "3.10"),
    ("Kigali", "Gatuna-Katuna border", "80", "2.00"),
    ("Gatuna-Katuna border", "Kampala", "430", "9.50"),
    ("Kigali", "Kampala", "510", "11.50"),
    ("Kigali", "Nyagatare", "160", "3.75"),
    ("Nyagatare", "Kagitumba border", "38", "0.90"),
    ("Kigali", "Kayonza", "75", "1.75"),
    ("Kayonza", "Rusumo border", "85", "2.25"),
    ("Kigali", "Rusumo border", "160", "4.00"),
    ("Kigali", "Nemba border", "70", "1.60"),
    ("Rusumo border", "Isaka dry port", "450", "9.00"),
    ("Kigali", "Isaka dry port", "610", "13.00"),
    ("Rusumo border", "Dar es Salaam port", "1335", "29.00"),
    ("Kigali", "Dar es Salaam port", "1495", "33.00"),
    ("Kampala", "Mombasa port", "1150", "25.00"),
    ("Kigali", "Mombasa port", "1660", "36.50"),
]


def upgrade() -> None:
    op.create_table(
        "place",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("region", sa.String(length=80), nullable=True),
        sa.Column("latitude", sa.Numeric(precision=9, scale=6), nullable=False),
        sa.Column("longitude", sa.Numeric(precision=9, scale=6), nullable=False),
        sa.Column("client_id", sa.BigInteger(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column(
            "search_text",
            sa.Text(),
            sa.Computed("lower(name || ' ' || coalesce(region, '') || ' ' || country)", persisted=True),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.CheckConstraint(
            "kind IN ('town', 'depot', 'client_site', 'border_post', 'port')", name=op.f("ck_place_kind_known")
        ),
        sa.CheckConstraint("country ~ '^[A-Z]{2}$'", name=op.f("ck_place_country_iso")),
        sa.CheckConstraint("latitude BETWEEN -90 AND 90", name=op.f("ck_place_latitude_range")),
        sa.CheckConstraint("longitude BETWEEN -180 AND 180", name=op.f("ck_place_longitude_range")),
        sa.CheckConstraint(
            "client_id IS NULL OR kind = 'client_site'", name=op.f("ck_place_client_only_on_client_site")
        ),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"], name=op.f("fk_place_client_id_client")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_place")),
    )
    op.create_index("uq_place_name_country", "place", [sa.literal_column("lower(name)"), "country"], unique=True)
    op.create_index("ix_place_client", "place", ["client_id"], unique=False)
    op.create_index(
        "ix_place_search_trgm",
        "place",
        ["search_text"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"search_text": "gin_trgm_ops"},
    )
    op.create_table(
        "distance",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("from_place_id", sa.BigInteger(), nullable=False),
        sa.Column("to_place_id", sa.BigInteger(), nullable=False),
        sa.Column("km", sa.Numeric(precision=8, scale=1), nullable=False),
        sa.Column("hours", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.Column("source", sa.String(length=10), server_default="table", nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.CheckConstraint("source IN ('table', 'routing')", name=op.f("ck_distance_source_known")),
        sa.CheckConstraint("from_place_id <> to_place_id", name=op.f("ck_distance_two_places")),
        sa.CheckConstraint("km > 0 AND km <= 10000", name=op.f("ck_distance_km_sane")),
        sa.CheckConstraint("hours IS NULL OR (hours > 0 AND hours <= 300)", name=op.f("ck_distance_hours_sane")),
        sa.CheckConstraint(
            "(source = 'routing') = (fetched_at IS NOT NULL)", name=op.f("ck_distance_fetched_when_routed")
        ),
        sa.ForeignKeyConstraint(
            ["from_place_id"], ["place.id"], name=op.f("fk_distance_from_place_id_place"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["to_place_id"], ["place.id"], name=op.f("fk_distance_to_place_id_place"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_distance")),
    )
    op.create_index("uq_distance_from_place_id_to_place_id", "distance", ["from_place_id", "to_place_id"], unique=True)
    op.create_index("ix_distance_to_place_id", "distance", ["to_place_id"], unique=False)

    places = sa.table(
        "place",
        sa.column("name", sa.String),
        sa.column("kind", sa.String),
        sa.column("country", sa.String),
        sa.column("region", sa.String),
        sa.column("latitude", sa.Numeric),
        sa.column("longitude", sa.Numeric),
    )
    names = ("name", "kind", "country", "region", "latitude", "longitude")
    op.bulk_insert(places, [dict(zip(names, p, strict=True)) for p in PLACES])
    for origin, destination, km, hours in DISTANCES:
        op.execute(
            sa.text(
                "INSERT INTO distance (from_place_id, to_place_id, km, hours, source) "
                "SELECT a.id, b.id, CAST(:km AS numeric), CAST(:hours AS numeric), 'table' "
                "FROM place a, place b WHERE a.name = :a AND b.name = :b"
            ).bindparams(a=origin, b=destination, km=km, hours=hours)
        )

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
    op.execute(sa.text("DELETE FROM parameter WHERE key IN ('transport.road_factor', 'transport.average_speed_kmh')"))
    op.drop_index("ix_distance_to_place_id", table_name="distance")
    op.drop_index("uq_distance_from_place_id_to_place_id", table_name="distance")
    op.drop_table("distance")
    op.drop_index("ix_place_search_trgm", table_name="place")
    op.drop_index("ix_place_client", table_name="place")
    op.drop_index("uq_place_name_country", table_name="place")
    op.drop_table("place")
