"""Notices worded when read, one open notice per cause.

A notice keeps English message ids and their parameters (`title_msgid`, `body_msgid`, with
`*_plural` for a message with a count, and `params` as JSON), so each reader sees it in their
own language and number format, whenever it is read; `title`/`body` stay as the text of the
time, shown for the rows stored before this revision.

A notice names its cause (`low_stock:item:42:store:3`). It is *open* until that cause is
resolved (`resolved_at`): read or unread, a user has at most one open notice per cause, and
a new occurrence updates it rather than adding another (the unique partial index
`uq_notification_open_cause`, which `INSERT ... ON CONFLICT` uses, so two workers cannot add
two). The key of an occurrence (`dedupe_key`) stays unique per user for notices without a
cause; with a cause, the open notice remembers the latest occurrence's key.

Existing rows: the cause is read from the key of the scans and postings that made them; of
several open notices on one cause (eight "Diesel is running low"), the newest stays open
and counts the others (`times`), which are resolved and marked read; a low-stock notice
whose item is back at its reorder level is resolved. Expiry notices that pointed at the
document now point at the vehicle, trailer or driver it belongs to (the record a click
opens). The demo's welcome gets its message ids.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 00:14:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WELCOME = "Welcome to Twara"
WELCOME_BODY = "Demo data is loaded: employees, a fleet with drivers, clients, and one user per role."

# the cause of each kind of notice, from the key its maker gave it (core.services: stock
# notices, crm results, fleet scans)
CAUSES = """
UPDATE notification SET cause = CASE
    WHEN kind = 'low_stock' AND dedupe_key LIKE 'low:%'
        THEN 'low_stock:item:' || split_part(dedupe_key, ':', 2) || ':store:' || split_part(dedupe_key, ':', 3)
    WHEN kind = 'low_stock_digest' THEN 'low_stock_digest'
    WHEN kind = 'appointment_result' AND dedupe_key LIKE 'appt:%'
        THEN 'appointment_result:interaction:' || split_part(dedupe_key, ':', 2)
    WHEN kind = 'appointment_escalation' AND dedupe_key LIKE 'appt-escalated:%'
        THEN 'appointment_escalation:interaction:' || split_part(dedupe_key, ':', 2)
    WHEN kind IN ('document_expiring', 'document_expired') AND dedupe_key LIKE 'expiry:licence-%'
        THEN 'document_expiry:licence:' || substr(split_part(dedupe_key, ':', 2), 9)
    WHEN kind IN ('document_expiring', 'document_expired') AND dedupe_key LIKE 'expiry:%'
        THEN 'document_expiry:document:' || split_part(dedupe_key, ':', 2)
    WHEN kind = 'maintenance_due' AND dedupe_key LIKE 'maint:%'
        THEN 'maintenance:plan:' || split_part(dedupe_key, ':', 2)
END
"""

SUPERSEDED = """
WITH ranked AS (
    SELECT id, row_number() OVER (PARTITION BY user_id, cause ORDER BY created_at DESC, id DESC) AS rank,
           count(*) OVER (PARTITION BY user_id, cause) AS times
    FROM notification WHERE cause IS NOT NULL
),
newest AS (
    UPDATE notification n SET times = r.times FROM ranked r WHERE n.id = r.id AND r.rank = 1
)
UPDATE notification n SET resolved_at = now(), read_at = coalesce(n.read_at, now())
FROM ranked r WHERE n.id = r.id AND r.rank > 1
"""

BACK_IN_STOCK = """
UPDATE notification n SET resolved_at = now()
WHERE n.resolved_at IS NULL AND n.cause LIKE 'low_stock:item:%'
  AND NOT EXISTS (
      SELECT 1 FROM stock_balance b JOIN item i ON i.id = b.item_id
      WHERE b.item_id = split_part(n.cause, ':', 3)::bigint AND b.warehouse_id = split_part(n.cause, ':', 5)::bigint
        AND stock_is_low(b.qty, i.reorder_level)
  )
"""

# an expiry notice opens the record the document belongs to
RECORDS = [
    """
    UPDATE notification n
    SET entity_type = CASE WHEN d.vehicle_id IS NULL THEN 'driver'
                           WHEN v.unit_type = 'trailer' THEN 'trailer' ELSE 'vehicle' END,
        entity_id = coalesce(d.vehicle_id, d.employee_id)
    FROM fleet_document d LEFT JOIN vehicle v ON v.id = d.vehicle_id
    WHERE n.entity_type = 'document' AND d.id = n.entity_id
    """,
    "UPDATE notification SET entity_type = 'driver' WHERE entity_type = 'employee' AND kind LIKE 'document_%'",
    """
    UPDATE notification n SET entity_type = 'trailer'
    FROM vehicle v WHERE n.entity_type = 'vehicle' AND v.id = n.entity_id AND v.unit_type = 'trailer'
    """,
]


def upgrade() -> None:
    op.add_column("notification", sa.Column("title_msgid", sa.Text(), nullable=True))
    op.add_column("notification", sa.Column("title_plural", sa.Text(), nullable=True))
    op.add_column("notification", sa.Column("body_msgid", sa.Text(), nullable=True))
    op.add_column("notification", sa.Column("body_plural", sa.Text(), nullable=True))
    op.add_column(
        "notification",
        sa.Column("params", postgresql.JSONB(astext_type=sa.Text()), server_default="{}", nullable=False),
    )
    op.add_column("notification", sa.Column("cause", sa.String(length=200), nullable=True))
    op.add_column("notification", sa.Column("times", sa.Integer(), server_default="1", nullable=False))
    op.add_column(
        "notification",
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    )
    op.add_column("notification", sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True))
    op.create_check_constraint(op.f("ck_notification_times_positive"), "notification", "times >= 1")
    op.execute("UPDATE notification SET updated_at = created_at")
    op.execute(CAUSES)
    op.execute(SUPERSEDED)
    op.execute(BACK_IN_STOCK)
    for statement in RECORDS:
        op.execute(statement)
    op.execute(
        sa.text(
            "UPDATE notification SET title_msgid = :title, body_msgid = CASE WHEN body <> '' THEN :body END "
            "WHERE kind = 'welcome'"
        ).bindparams(title=WELCOME, body=WELCOME_BODY)
    )
    op.drop_index("uq_notification_user_dedupe", table_name="notification")
    op.drop_index("ix_notification_user_created", table_name="notification")
    op.create_index(
        "uq_notification_user_dedupe",
        "notification",
        ["user_id", "dedupe_key"],
        unique=True,
        postgresql_where=sa.text("cause IS NULL"),
    )
    op.create_index(
        "uq_notification_open_cause",
        "notification",
        ["user_id", "cause"],
        unique=True,
        postgresql_where=sa.text("resolved_at IS NULL"),
    )
    op.create_index(
        "ix_notification_open_causes",
        "notification",
        ["cause"],
        postgresql_where=sa.text("resolved_at IS NULL AND cause IS NOT NULL"),
        postgresql_ops={"cause": "text_pattern_ops"},
    )
    op.create_index("ix_notification_user_updated", "notification", ["user_id", "updated_at"])


def downgrade() -> None:
    op.drop_index("ix_notification_user_updated", table_name="notification")
    op.drop_index("ix_notification_open_causes", table_name="notification")
    op.drop_index("uq_notification_open_cause", table_name="notification")
    op.drop_index("uq_notification_user_dedupe", table_name="notification")
    # an occurrence raised again after its cause was resolved shares its key with the old row
    op.execute("""
        UPDATE notification n SET dedupe_key = NULL
        WHERE EXISTS (SELECT 1 FROM notification o
                      WHERE o.user_id = n.user_id AND o.dedupe_key = n.dedupe_key AND o.id > n.id)
    """)
    op.create_index("ix_notification_user_created", "notification", ["user_id", "created_at"])
    op.create_index("uq_notification_user_dedupe", "notification", ["user_id", "dedupe_key"], unique=True)
    op.drop_constraint(op.f("ck_notification_times_positive"), "notification", type_="check")
    for column in (
        "resolved_at",
        "updated_at",
        "times",
        "cause",
        "params",
        "body_plural",
        "body_msgid",
        "title_plural",
        "title_msgid",
    ):
        op.drop_column("notification", column)
