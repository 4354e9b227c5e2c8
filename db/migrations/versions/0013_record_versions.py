"""A version counter on every audited record: no silent lost update.

Every table whose rows the activity log follows (db.base.Audited) gets `version integer NOT
NULL DEFAULT 1`. The ORM uses it as `version_id_col`: an UPDATE says `WHERE version = <the
one loaded>` and raises the number when something worth a log row changed. An edit form
passes the version it was opened with, and a save of a record changed since then is refused
with who changed it and when, instead of putting the old values back.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 00:13:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# the tables of the audited models (db.models; the users' table is app_user)
TABLES = (
    "app_user",
    "attachment",
    "client",
    "client_agreement",
    "client_category",
    "client_contact",
    "company_profile",
    "coupling",
    "document_type",
    "driver",
    "employee",
    "fleet_document",
    "follow_up",
    "follow_up_rule",
    "interaction",
    "item",
    "item_category",
    "maintenance_plan",
    "parameter",
    "repair",
    "repair_part",
    "segment",
    "stock_document",
    "stock_document_line",
    "vehicle",
    "vehicle_category",
    "warehouse",
)


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False))


def downgrade() -> None:
    for table in TABLES:
        op.drop_column(table, "version")
