"""Transport (SPEC T2): the directory of places and the distances between them.

A distance row is either the company's own (source `table`: road km and typical hours,
edited on screen or imported) or a routing server's answer kept as a cache (source
`routing`, with the moment it was fetched). Estimates are never stored. A row is for one
ordered pair, A to B; it serves B to A too unless B to A has a row of its own (distances are
symmetric by default, and a different way back can be entered).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import BigInteger, CheckConstraint, Computed, ForeignKey, Index, Numeric, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Audited, Base, CreatedAt, IntPK, in_list

PLACE_KINDS = ("town", "depot", "client_site", "border_post", "port")
DISTANCE_SOURCES = ("table", "routing")


class Place(Audited, Base):
    """A town, depot, client site, border post or port, with its coordinates."""

    __tablename__ = "place"
    __audit_type__ = "place"
    __table_args__ = (
        CheckConstraint(in_list("kind", PLACE_KINDS), name="kind_known"),
        CheckConstraint("country ~ '^[A-Z]{2}$'", name="country_iso"),
        CheckConstraint("latitude BETWEEN -90 AND 90", name="latitude_range"),
        CheckConstraint("longitude BETWEEN -180 AND 180", name="longitude_range"),
        CheckConstraint("client_id IS NULL OR kind = 'client_site'", name="client_only_on_client_site"),
        Index("uq_place_name_country", text("lower(name)"), "country", unique=True),
        Index("ix_place_client", "client_id"),
        Index(
            "ix_place_search_trgm",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
    )

    id: Mapped[IntPK]
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(12))
    country: Mapped[str] = mapped_column(String(2))
    region: Mapped[str | None] = mapped_column(String(80))
    latitude: Mapped[Decimal] = mapped_column(Numeric(9, 6))
    longitude: Mapped[Decimal] = mapped_column(Numeric(9, 6))
    client_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("client.id"))
    notes: Mapped[str | None] = mapped_column(Text)
    archived_at: Mapped[dt.datetime | None]
    created_at: Mapped[CreatedAt]
    search_text: Mapped[str] = mapped_column(
        Text, Computed("lower(name || ' ' || coalesce(region, '') || ' ' || country)", persisted=True)
    )


class Distance(Audited, Base):
    """Road km and hours from one place to another: the company's table, or a routing
    server's answer kept as a cache (written without the ORM, so not in the activity log)."""

    __tablename__ = "distance"
    __audit_type__ = "distance"
    __table_args__ = (
        CheckConstraint(in_list("source", DISTANCE_SOURCES), name="source_known"),
        CheckConstraint("from_place_id <> to_place_id", name="two_places"),
        CheckConstraint("km > 0 AND km <= 10000", name="km_sane"),
        CheckConstraint("hours IS NULL OR (hours > 0 AND hours <= 300)", name="hours_sane"),
        CheckConstraint("(source = 'routing') = (fetched_at IS NOT NULL)", name="fetched_when_routed"),
        Index("uq_distance_from_place_id_to_place_id", "from_place_id", "to_place_id", unique=True),
        Index("ix_distance_to_place_id", "to_place_id"),
    )

    id: Mapped[IntPK]
    from_place_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("place.id", ondelete="CASCADE"))
    to_place_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("place.id", ondelete="CASCADE"))
    km: Mapped[Decimal] = mapped_column(Numeric(8, 1))
    hours: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    source: Mapped[str] = mapped_column(String(10), server_default="table")
    fetched_at: Mapped[dt.datetime | None]
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[dt.datetime | None]
