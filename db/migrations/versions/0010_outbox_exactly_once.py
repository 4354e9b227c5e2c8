"""The outbox sends each message at most once: a message is claimed (`sending`, with
`claimed_at`) in its own transaction before the provider is called; `unknown` and `held`
mark a message whose fate an interruption left open (asked of the provider, or left to an
administrator).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = "status IN ('queued', 'sent', 'failed', 'not_sent')"
NEW = "status IN ('queued', 'sending', 'sent', 'failed', 'unknown', 'held', 'not_sent')"


def upgrade() -> None:
    op.add_column("email_outbox", sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
    op.drop_constraint(op.f("ck_email_outbox_status_known"), "email_outbox", type_="check")
    op.create_check_constraint(op.f("ck_email_outbox_status_known"), "email_outbox", NEW)
    op.create_index(
        "ix_email_outbox_in_doubt",
        "email_outbox",
        ["claimed_at"],
        postgresql_where=sa.text("status IN ('sending', 'unknown')"),
    )


def downgrade() -> None:
    op.drop_index("ix_email_outbox_in_doubt", table_name="email_outbox")
    # a message in doubt goes back to the queue it came from: an administrator checks the outbox
    op.execute("UPDATE email_outbox SET status = 'failed' WHERE status IN ('sending', 'unknown', 'held')")
    op.drop_constraint(op.f("ck_email_outbox_status_known"), "email_outbox", type_="check")
    op.create_check_constraint(op.f("ck_email_outbox_status_known"), "email_outbox", OLD)
    op.drop_column("email_outbox", "claimed_at")
