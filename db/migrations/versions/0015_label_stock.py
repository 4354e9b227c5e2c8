"""The label stock barcode labels print on: a company setting (A4 sheets of 3 x 8 labels of
70 x 37 mm unless the company buys another stock; the stocks are in core/printing.py).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 00:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# key, kind, value, unit, group, description, least length, greatest length
PARAMETERS = [
    (
        "stock.label_stock",
        "text",
        "a4-3x8-70x37",
        None,
        "warehouse",
        "Label sheets that barcode labels print on",
        "1",
        "20",
    ),
]


def upgrade() -> None:
    table = sa.table(
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
    names = ("key", "kind", "value", "unit", "group_name", "description", "min_value", "max_value")
    op.bulk_insert(table, [dict(zip(names, p, strict=True)) for p in PARAMETERS])


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM parameter WHERE key = 'stock.label_stock'"))
