"""Warehouse: nomenclature with barcodes, stores, invoices, the stock ledger and balances.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 21:27:13.739154
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "item_category",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("parent_id", sa.BigInteger(), nullable=True),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["item_category.id"], name=op.f("fk_item_category_parent_id_item_category")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_category")),
    )
    op.create_index(
        "uq_item_category_parent_name", "item_category", ["parent_id", sa.literal_column("lower(name)")], unique=True
    )
    op.create_table(
        "warehouse",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=10), server_default="store", nullable=False),
        sa.Column("keeper_user_id", sa.BigInteger(), nullable=True),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("kind IN ('store', 'tank', 'workshop')", name=op.f("ck_warehouse_kind_known")),
        sa.ForeignKeyConstraint(["keeper_user_id"], ["app_user.id"], name=op.f("fk_warehouse_keeper_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warehouse")),
    )
    op.create_index("uq_warehouse_name", "warehouse", [sa.literal_column("lower(name)")], unique=True)
    op.create_table(
        "item",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("article", sa.String(length=40), nullable=False),
        sa.Column("barcode", sa.String(length=40), nullable=False),
        sa.Column("classification", sa.String(length=20), nullable=True),
        sa.Column("unit", sa.String(length=6), nullable=False),
        sa.Column("category_id", sa.BigInteger(), nullable=True),
        sa.Column("reorder_level", sa.Numeric(precision=14, scale=3), server_default="0", nullable=False),
        sa.Column("reorder_qty", sa.Numeric(precision=14, scale=3), server_default="0", nullable=False),
        sa.Column("is_fuel", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("fuel_type", sa.String(length=10), nullable=True),
        sa.Column("photo_id", sa.BigInteger(), nullable=True),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column(
            "search_text",
            sa.Text(),
            sa.Computed(
                "lower(name || ' ' || article || ' ' || barcode || ' ' || coalesce(classification, ''))", persisted=True
            ),
            nullable=False,
        ),
        sa.CheckConstraint("unit IN ('l', 'pcs', 'kg', 'set', 'm', 'pair')", name=op.f("ck_item_unit_known")),
        sa.CheckConstraint("reorder_level >= 0 AND reorder_qty >= 0", name=op.f("ck_item_reorder_not_negative")),
        sa.ForeignKeyConstraint(["category_id"], ["item_category.id"], name=op.f("fk_item_category_id_item_category")),
        sa.ForeignKeyConstraint(
            ["photo_id"], ["attachment.id"], name=op.f("fk_item_photo_id_attachment"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item")),
    )
    op.create_index(
        "ix_item_search_trgm",
        "item",
        ["search_text"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"search_text": "gin_trgm_ops"},
    )
    op.create_index("uq_item_article", "item", [sa.literal_column("upper(article)")], unique=True)
    op.create_index("uq_item_barcode", "item", ["barcode"], unique=True)
    op.create_table(
        "stock_balance",
        sa.Column("item_id", sa.BigInteger(), nullable=False),
        sa.Column("warehouse_id", sa.BigInteger(), nullable=False),
        sa.Column("qty", sa.Numeric(precision=14, scale=3), server_default="0", nullable=False),
        sa.Column("value", sa.Numeric(precision=16, scale=2), server_default="0", nullable=False),
        sa.CheckConstraint("qty >= 0", name=op.f("ck_stock_balance_qty_not_negative")),
        sa.CheckConstraint("value >= 0", name=op.f("ck_stock_balance_value_not_negative")),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], name=op.f("fk_stock_balance_item_id_item")),
        sa.ForeignKeyConstraint(
            ["warehouse_id"], ["warehouse.id"], name=op.f("fk_stock_balance_warehouse_id_warehouse")
        ),
        sa.PrimaryKeyConstraint("item_id", "warehouse_id", name=op.f("pk_stock_balance")),
    )
    op.create_table(
        "stock_invoice",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), server_default="draft", nullable=False),
        sa.Column("doc_date", sa.Date(), nullable=False),
        sa.Column("warehouse_id", sa.BigInteger(), nullable=False),
        sa.Column("to_warehouse_id", sa.BigInteger(), nullable=True),
        sa.Column("supplier", sa.String(length=200), nullable=True),
        sa.Column("basis", sa.String(length=300), nullable=True),
        sa.Column("vehicle_id", sa.BigInteger(), nullable=True),
        sa.Column("employee_id", sa.BigInteger(), nullable=True),
        sa.Column("repair_id", sa.BigInteger(), nullable=True),
        sa.Column("odometer_km", sa.BigInteger(), nullable=True),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "kind <> 'transfer' OR (to_warehouse_id IS NOT NULL AND to_warehouse_id <> warehouse_id)",
            name=op.f("ck_stock_invoice_transfer_between_stores"),
        ),
        sa.CheckConstraint(
            "kind IN ('receipt', 'issue', 'transfer', 'writeoff', 'count')", name=op.f("ck_stock_invoice_kind_known")
        ),
        sa.CheckConstraint("status IN ('draft', 'posted', 'cancelled')", name=op.f("ck_stock_invoice_status_known")),
        sa.ForeignKeyConstraint(["created_by"], ["app_user.id"], name=op.f("fk_stock_invoice_created_by_app_user")),
        sa.ForeignKeyConstraint(["employee_id"], ["employee.id"], name=op.f("fk_stock_invoice_employee_id_employee")),
        sa.ForeignKeyConstraint(["repair_id"], ["repair.id"], name=op.f("fk_stock_invoice_repair_id_repair")),
        sa.ForeignKeyConstraint(
            ["to_warehouse_id"], ["warehouse.id"], name=op.f("fk_stock_invoice_to_warehouse_id_warehouse")
        ),
        sa.ForeignKeyConstraint(["vehicle_id"], ["vehicle.id"], name=op.f("fk_stock_invoice_vehicle_id_vehicle")),
        sa.ForeignKeyConstraint(
            ["warehouse_id"], ["warehouse.id"], name=op.f("fk_stock_invoice_warehouse_id_warehouse")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_invoice")),
    )
    op.create_index("ix_stock_invoice_date", "stock_invoice", ["doc_date"], unique=False)
    op.create_index("uq_stock_invoice_number", "stock_invoice", ["number"], unique=True)
    op.create_table(
        "stock_invoice_line",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("invoice_id", sa.BigInteger(), nullable=False),
        sa.Column("item_id", sa.BigInteger(), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=14, scale=3), nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=14, scale=4), nullable=True),
        sa.CheckConstraint("quantity >= 0", name=op.f("ck_stock_invoice_line_quantity_not_negative")),
        sa.CheckConstraint(
            "unit_price IS NULL OR unit_price >= 0", name=op.f("ck_stock_invoice_line_price_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["stock_invoice.id"], name=op.f("fk_stock_invoice_line_invoice_id_stock_invoice")
        ),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], name=op.f("fk_stock_invoice_line_item_id_item")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_invoice_line")),
    )
    op.create_index("ix_stock_invoice_line_invoice", "stock_invoice_line", ["invoice_id"], unique=False)
    op.create_table(
        "stock_move",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("item_id", sa.BigInteger(), nullable=False),
        sa.Column("warehouse_id", sa.BigInteger(), nullable=False),
        sa.Column("invoice_id", sa.BigInteger(), nullable=False),
        sa.Column("moved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("qty", sa.Numeric(precision=14, scale=3), nullable=False),
        sa.Column("value", sa.Numeric(precision=16, scale=2), nullable=False),
        sa.CheckConstraint("qty <> 0", name=op.f("ck_stock_move_qty_not_zero")),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["stock_invoice.id"], name=op.f("fk_stock_move_invoice_id_stock_invoice")
        ),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], name=op.f("fk_stock_move_item_id_item")),
        sa.ForeignKeyConstraint(["warehouse_id"], ["warehouse.id"], name=op.f("fk_stock_move_warehouse_id_warehouse")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_move")),
    )
    op.create_index("ix_stock_move_invoice", "stock_move", ["invoice_id"], unique=False)
    op.create_index(
        "ix_stock_move_item_store_at",
        "stock_move",
        ["item_id", "warehouse_id", "moved_at"],
        unique=False,
        postgresql_include=["qty", "value"],
    )
    _seed()


def downgrade() -> None:
    op.execute("DELETE FROM parameter WHERE key LIKE 'stock.%'")
    op.drop_index("ix_stock_move_item_store_at", table_name="stock_move", postgresql_include=["qty", "value"])
    op.drop_index("ix_stock_move_invoice", table_name="stock_move")
    op.drop_table("stock_move")
    op.drop_index("ix_stock_invoice_line_invoice", table_name="stock_invoice_line")
    op.drop_table("stock_invoice_line")
    op.drop_index("uq_stock_invoice_number", table_name="stock_invoice")
    op.drop_index("ix_stock_invoice_date", table_name="stock_invoice")
    op.drop_table("stock_invoice")
    op.drop_table("stock_balance")
    op.drop_index("uq_item_barcode", table_name="item")
    op.drop_index("uq_item_article", table_name="item")
    op.drop_index(
        "ix_item_search_trgm", table_name="item", postgresql_using="gin", postgresql_ops={"search_text": "gin_trgm_ops"}
    )
    op.drop_table("item")
    op.drop_index("uq_warehouse_name", table_name="warehouse")
    op.drop_table("warehouse")
    op.drop_index("uq_item_category_parent_name", table_name="item_category")
    op.drop_table("item_category")


PARAMETERS = [
    ("stock.invoice_prefix", "text", "WH", None, "warehouse", "Prefix of warehouse invoice numbers"),
]


def _seed() -> None:
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
