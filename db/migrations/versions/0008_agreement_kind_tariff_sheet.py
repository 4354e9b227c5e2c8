"""CRM: the agreement kind `price_list` (a client's scanned price-list document) becomes
`tariff_sheet`, so that the price lists of the transport work own the name. The rows are
renamed and the CHECK swapped; the column widens to hold the new word. The screen still
says "Price list".

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHECK = "ck_client_agreement_kind_known"  # the full name 0006 gave it (op.f: no convention on top)


def upgrade() -> None:
    op.drop_constraint(op.f(CHECK), "client_agreement", type_="check")
    op.alter_column(
        "client_agreement", "kind", type_=sa.String(length=12), existing_type=sa.String(length=10), nullable=False
    )
    op.execute("UPDATE client_agreement SET kind = 'tariff_sheet' WHERE kind = 'price_list'")
    op.create_check_constraint(op.f(CHECK), "client_agreement", "kind IN ('contract', 'tariff_sheet')")


def downgrade() -> None:
    op.drop_constraint(op.f(CHECK), "client_agreement", type_="check")
    op.execute("UPDATE client_agreement SET kind = 'price_list' WHERE kind = 'tariff_sheet'")
    op.alter_column(
        "client_agreement", "kind", type_=sa.String(length=10), existing_type=sa.String(length=12), nullable=False
    )
    op.create_check_constraint(op.f(CHECK), "client_agreement", "kind IN ('contract', 'price_list')")
