"""Logins and sessions that cannot be turned against the users, and settings that cannot
switch protection off.

- `login_throttle`: failed logins counted per account *and source* and per source; the
  account's own lock is gone (a stranger could lock anyone out with it).
- `user_session`: every login is a session in the database; it ends on log-out, when the
  password or the role changes or the account is disabled, and when idle too long, on every
  app server at once.
- `parameter.min_value` / `max_value`: every business parameter has bounds.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 00:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# key -> (min, max): a number's range; a text's length; each entry of a list
BOUNDS = {
    "auth.max_failed_logins": ("3", "20"),
    "auth.lockout_minutes": ("1", "1440"),
    "auth.min_password_length": ("8", "128"),
    "attachments.max_size_mb": ("0.1", "100"),
    "fuel.price.diesel": ("0", "100000"),
    "fuel.price.petrol": ("0", "100000"),
    "costs.parking_per_night": ("0", "10000000"),
    "costs.toll_per_crossing": ("0", "10000000"),
    "costs.driver_daily_allowance": ("0", "10000000"),
    "reminders.lead_days": ("0", "365"),
    "fleet.expiring_warn_days": ("1", "365"),
    "fleet.maintenance_lead_km": ("0", "100000"),
    "fleet.heavy_trailer_kg": ("0", "100000"),
    "stock.invoice_prefix": ("1", "10"),
    "stock.document_prefix": ("1", "10"),
    "crm.result_delay_hours": ("0", "168"),
    "crm.reminder_repeat_hours": ("1", "720"),
    "crm.reminders_before_escalation": ("1", "20"),
    "crm.scan_lookback_days": ("1", "365"),
}
PARAMETERS = [
    (
        "auth.max_failed_per_source",
        "int",
        "30",
        None,
        "security",
        "Failed logins from one address, on any accounts, before that address must wait",
        "10",
        "1000",
    ),
    ("auth.session_idle_minutes", "int", "120", "min", "security", "A session idle this long ends", "5", "1440"),
]


def upgrade() -> None:
    op.add_column("parameter", sa.Column("min_value", sa.String(length=40), nullable=True))
    op.add_column("parameter", sa.Column("max_value", sa.String(length=40), nullable=True))
    for key, (low, high) in BOUNDS.items():
        op.execute(
            sa.text("UPDATE parameter SET min_value = :low, max_value = :high WHERE key = :key").bindparams(
                low=low, high=high, key=key
            )
        )
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
    op.bulk_insert(
        table,
        [
            dict(
                zip(
                    ("key", "kind", "value", "unit", "group_name", "description", "min_value", "max_value"),
                    p,
                    strict=True,
                )
            )
            for p in PARAMETERS
        ],
    )
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("failures", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_throttle")),
    )
    op.create_table(
        "user_session",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(length=30), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_user_session_user_id_app_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_user_session_token_hash")),
    )
    op.create_index("ix_user_session_open", "user_session", ["user_id"], postgresql_where=sa.text("ended_at IS NULL"))
    op.add_column("app_user", sa.Column("is_demo", sa.Boolean(), server_default="false", nullable=False))
    # the accounts an earlier demo load made (in one transaction, so at one moment, with the
    # demo's sales manager): the published password still opens them
    op.execute(
        "UPDATE app_user SET is_demo = true WHERE username IN "
        "('admin', 'director', 'sales', 'dispatcher', 'warehouse', 'accountant') AND created_at = "
        "(SELECT created_at FROM app_user WHERE username = 'sales' AND role = 'sales_manager')"
    )
    op.drop_constraint(op.f("ck_app_user_failed_logins_not_negative"), "app_user", type_="check")
    op.drop_column("app_user", "failed_logins")
    op.drop_column("app_user", "locked_until")


def downgrade() -> None:
    op.add_column("app_user", sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
    op.add_column("app_user", sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False))
    op.create_check_constraint(op.f("ck_app_user_failed_logins_not_negative"), "app_user", "failed_logins >= 0")
    op.drop_column("app_user", "is_demo")
    op.drop_index("ix_user_session_open", table_name="user_session")
    op.drop_table("user_session")
    op.drop_table("login_throttle")
    op.execute(
        sa.text("DELETE FROM parameter WHERE key IN ('auth.max_failed_per_source', 'auth.session_idle_minutes')")
    )
    op.drop_column("parameter", "max_value")
    op.drop_column("parameter", "min_value")
