"""Warehouse (SPEC W1-W5): nomenclature, stores, stock documents (the "invoices" users see
on screen), the append-only stock ledger and the balances derived from it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import BigInteger, CheckConstraint, Computed, ForeignKey, Index, Numeric, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Audited, Base, CreatedAt, IntPK, Quantity, in_list

UNITS = ("l", "pcs", "kg", "set", "m", "pair")
DOCUMENT_KINDS = ("receipt", "issue", "transfer", "writeoff", "count")
DOCUMENT_STATUSES = ("draft", "posted", "cancelled")


class ItemCategory(Audited, Base):
    __tablename__ = "item_category"
    __audit_type__ = "item_category"
    __table_args__ = (Index("uq_item_category_parent_name", "parent_id", text("lower(name)"), unique=True),)

    id: Mapped[IntPK]
    name: Mapped[str] = mapped_column(String(100))
    parent_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("item_category.id"))
    archived_at: Mapped[dt.datetime | None]


class Item(Audited, Base):
    """A nomenclature item: fuel, oil, a filter, a tyre..."""

    __tablename__ = "item"
    __audit_type__ = "item"
    __table_args__ = (
        CheckConstraint(in_list("unit", UNITS), name="unit_known"),
        CheckConstraint("reorder_level >= 0 AND reorder_qty >= 0", name="reorder_not_negative"),
        Index("uq_item_article", text("upper(article)"), unique=True),
        Index("uq_item_barcode", "barcode", unique=True),
        Index(
            "ix_item_search_trgm", "search_text", postgresql_using="gin", postgresql_ops={"search_text": "gin_trgm_ops"}
        ),
    )

    id: Mapped[IntPK]
    name: Mapped[str] = mapped_column(String(200))
    article: Mapped[str] = mapped_column(String(40))
    barcode: Mapped[str] = mapped_column(String(40))
    classification: Mapped[str | None] = mapped_column(String(20))
    unit: Mapped[str] = mapped_column(String(6))
    category_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("item_category.id"))
    reorder_level: Mapped[Quantity] = mapped_column(server_default="0")
    reorder_qty: Mapped[Quantity] = mapped_column(server_default="0")
    is_fuel: Mapped[bool] = mapped_column(server_default="false")
    fuel_type: Mapped[str | None] = mapped_column(String(10))
    photo_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("attachment.id", ondelete="SET NULL"))
    archived_at: Mapped[dt.datetime | None]
    created_at: Mapped[CreatedAt]
    search_text: Mapped[str] = mapped_column(
        Text,
        Computed(
            "lower(name || ' ' || article || ' ' || barcode || ' ' || coalesce(classification, ''))", persisted=True
        ),
    )


class Warehouse(Audited, Base):
    __tablename__ = "warehouse"
    __audit_type__ = "warehouse"
    __table_args__ = (
        CheckConstraint("kind IN ('store', 'tank', 'workshop')", name="kind_known"),
        Index("uq_warehouse_name", text("lower(name)"), unique=True),
    )

    id: Mapped[IntPK]
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(10), server_default="store")
    keeper_user_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("app_user.id"))
    archived_at: Mapped[dt.datetime | None]


class StockDocument(Audited, Base):
    """A goods document (receipt, issue, transfer, write-off, inventory count), on screen an
    "invoice": draft -> posted -> cancelled (a cancel posts the reversal)."""

    __tablename__ = "stock_document"
    __audit_type__ = "stock_document"
    __table_args__ = (
        CheckConstraint(in_list("kind", DOCUMENT_KINDS), name="kind_known"),
        CheckConstraint(in_list("status", DOCUMENT_STATUSES), name="status_known"),
        CheckConstraint(
            "kind <> 'transfer' OR (to_warehouse_id IS NOT NULL AND to_warehouse_id <> warehouse_id)",
            name="transfer_between_stores",
        ),
        Index("uq_stock_document_number", "number", unique=True),
        Index("ix_stock_document_date", "doc_date"),
        Index("ix_stock_document_trip", "trip_id", postgresql_where=text("trip_id IS NOT NULL")),
    )

    id: Mapped[IntPK]
    number: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), server_default="draft")
    doc_date: Mapped[dt.date]
    warehouse_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("warehouse.id"))
    to_warehouse_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("warehouse.id"))
    supplier: Mapped[str | None] = mapped_column(String(200))
    basis: Mapped[str | None] = mapped_column(String(300))
    vehicle_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("vehicle.id"))
    employee_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("employee.id"))
    repair_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("repair.id"))
    trip_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("trip.id"))  # fuel issued to a trip (W5)
    odometer_km: Mapped[int | None] = mapped_column(BigInteger)
    posted_at: Mapped[dt.datetime | None]
    cancelled_at: Mapped[dt.datetime | None]
    created_by: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("app_user.id"))
    created_at: Mapped[CreatedAt]
    lines: Mapped[list[StockDocumentLine]] = relationship(order_by="StockDocumentLine.id")


class StockDocumentLine(Audited, Base):
    __tablename__ = "stock_document_line"
    __audit_type__ = "stock_document_line"
    __table_args__ = (
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        CheckConstraint("unit_price IS NULL OR unit_price >= 0", name="price_not_negative"),
        Index("ix_stock_document_line_document", "document_id"),
    )

    id: Mapped[IntPK]
    document_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("stock_document.id"))
    item_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("item.id"))
    quantity: Mapped[Quantity]
    unit_price: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))


class StockMove(Base):
    """The stock ledger: append-only; a cancelled document adds reversing rows."""

    __tablename__ = "stock_move"
    __table_args__ = (
        CheckConstraint("qty <> 0", name="qty_not_zero"),
        Index(
            "ix_stock_move_item_store_at", "item_id", "warehouse_id", "moved_at", postgresql_include=["qty", "value"]
        ),
        Index("ix_stock_move_document", "document_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    item_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("item.id"))
    warehouse_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("warehouse.id"))
    document_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("stock_document.id"))
    moved_at: Mapped[dt.datetime]
    qty: Mapped[Quantity]
    value: Mapped[Decimal] = mapped_column(Numeric(16, 2))


class StockBalance(Base):
    """Current quantity and value per item and store, updated in the posting transaction.
    The database refuses a negative quantity, so two keepers cannot issue the same last litres."""

    __tablename__ = "stock_balance"
    __table_args__ = (
        CheckConstraint("qty >= 0", name="qty_not_negative"),
        CheckConstraint("value >= 0", name="value_not_negative"),
    )

    item_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("item.id"), primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("warehouse.id"), primary_key=True)
    qty: Mapped[Quantity] = mapped_column(server_default="0")
    value: Mapped[Decimal] = mapped_column(Numeric(16, 2), server_default="0")


class StockDocumentCounter(Base):
    """The last number given to a stock document, per prefix (parameter `stock.invoice_prefix`).
    Taken by the database function `stock_next_number` (migration 0012): its row stays locked
    until the document's transaction ends, so the numbers of a prefix have no gaps."""

    __tablename__ = "stock_document_counter"
    __table_args__ = (CheckConstraint("last_number > 0", name="last_number_positive"),)

    prefix: Mapped[str] = mapped_column(String(20), primary_key=True)
    last_number: Mapped[int] = mapped_column(BigInteger)
