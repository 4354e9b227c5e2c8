"""Foundation: users, employees, attachments, activity log, notifications, outbox, settings.

Revision ID: 0001
Revises:
Create Date: 2026-11-29 20:01:54.111128
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table(
        "activity_log",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("clock_timestamp()"), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("username", sa.String(length=60), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=40), nullable=True),
        sa.Column("changes", postgresql.JSONB(astext_type=sa.Text()), server_default="{}", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_log")),
    )
    op.create_index("ix_activity_log_at", "activity_log", ["at"], unique=False)
    op.create_index("ix_activity_log_entity", "activity_log", ["entity_type", "entity_id", "at"], unique=False)
    op.create_index("ix_activity_log_user_at", "activity_log", ["user_id", "at"], unique=False)
    op.create_table(
        "company_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("tax_id", sa.String(length=30), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("currency", sa.String(length=3), server_default="RWF", nullable=False),
        sa.Column("timezone", sa.String(length=60), server_default="Africa/Kigali", nullable=False),
        sa.Column("default_language", sa.String(length=5), server_default="en", nullable=False),
        sa.Column("logo", sa.LargeBinary(), nullable=True),
        sa.CheckConstraint("default_language IN ('en', 'rw')", name=op.f("ck_company_profile_language_known")),
        sa.CheckConstraint("id = 1", name=op.f("ck_company_profile_single_row")),
        sa.CheckConstraint("length(currency) = 3", name=op.f("ck_company_profile_currency_iso")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company_profile")),
    )
    op.create_table(
        "email_outbox",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("provider_message_id", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('queued', 'sent', 'failed', 'not_sent')", name=op.f("ck_email_outbox_status_known")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_outbox")),
    )
    op.create_index(
        "ix_email_outbox_pending",
        "email_outbox",
        ["id"],
        unique=False,
        postgresql_where=sa.text("status IN ('queued', 'failed')"),
    )
    op.create_table(
        "employee",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.String(length=120), nullable=True),
        sa.Column("department", sa.String(length=120), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("phone_alt", sa.String(length=20), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("national_id", sa.String(length=30), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("hire_date", sa.Date(), nullable=True),
        sa.Column("photo_id", sa.BigInteger(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column(
            "search_text",
            sa.Text(),
            sa.Computed(
                "lower(code || ' ' || full_name || ' ' || coalesce(position, '') || ' ' "
                "|| coalesce(department, '') || ' ' || coalesce(phone, '') || ' ' "
                "|| coalesce(phone_alt, '') || ' ' || coalesce(email, ''))",
                persisted=True,
            ),
            nullable=False,
        ),
        sa.CheckConstraint("length(trim(full_name)) > 0", name=op.f("ck_employee_full_name_not_blank")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employee")),
        sa.UniqueConstraint("code", name=op.f("uq_employee_code")),
    )
    op.create_index("ix_employee_department", "employee", ["department"], unique=False)
    op.create_index("ix_employee_full_name", "employee", ["full_name", "id"], unique=False)
    op.create_index(
        "ix_employee_search_trgm",
        "employee",
        ["search_text"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"search_text": "gin_trgm_ops"},
    )
    op.create_table(
        "parameter",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("unit", sa.String(length=30), nullable=True),
        sa.Column("group_name", sa.String(length=40), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "kind IN ('decimal', 'int', 'text', 'bool', 'int_list')", name=op.f("ck_parameter_kind_known")
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_parameter")),
    )
    op.create_table(
        "app_user",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(length=60), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("language", sa.String(length=5), server_default="en", nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("employee_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("language IN ('en', 'rw')", name=op.f("ck_app_user_language_known")),
        sa.CheckConstraint(
            "role IN ('administrator', 'director', 'sales_manager', 'dispatcher', 'warehouse_keeper', 'accountant')",
            name=op.f("ck_app_user_role_known"),
        ),
        sa.CheckConstraint("failed_logins >= 0", name=op.f("ck_app_user_failed_logins_not_negative")),
        sa.ForeignKeyConstraint(
            ["employee_id"], ["employee.id"], name=op.f("fk_app_user_employee_id_employee"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
    )
    op.create_index("uq_app_user_username_lower", "app_user", [sa.literal_column("lower(username)")], unique=True)
    op.create_table(
        "attachment",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=20), server_default="document", nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("mime_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("thumbnail", sa.LargeBinary(), nullable=True),
        sa.Column("uploaded_by", sa.BigInteger(), nullable=True),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("kind IN ('document', 'photo')", name=op.f("ck_attachment_kind_known")),
        sa.CheckConstraint("size_bytes > 0", name=op.f("ck_attachment_size_positive")),
        sa.ForeignKeyConstraint(
            ["uploaded_by"], ["app_user.id"], name=op.f("fk_attachment_uploaded_by_app_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
    )
    op.create_index("ix_attachment_owner", "attachment", ["entity_type", "entity_id"], unique=False)
    op.create_foreign_key(
        op.f("fk_employee_photo_id_attachment"),
        "employee",
        "attachment",
        ["photo_id"],
        ["id"],
        ondelete="SET NULL",
    )
    op.create_table(
        "notification",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), server_default="", nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=True),
        sa.Column("entity_id", sa.BigInteger(), nullable=True),
        sa.Column("dedupe_key", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_notification_user_id_app_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
    )
    op.create_index(
        "ix_notification_unread", "notification", ["user_id"], unique=False, postgresql_where=sa.text("read_at IS NULL")
    )
    op.create_index("ix_notification_user_created", "notification", ["user_id", "created_at"], unique=False)
    op.create_index("uq_notification_user_dedupe", "notification", ["user_id", "dedupe_key"], unique=True)
    _seed()


def downgrade() -> None:
    op.drop_index("uq_notification_user_dedupe", table_name="notification")
    op.drop_index("ix_notification_user_created", table_name="notification")
    op.drop_index("ix_notification_unread", table_name="notification", postgresql_where=sa.text("read_at IS NULL"))
    op.drop_table("notification")
    op.drop_constraint(op.f("fk_employee_photo_id_attachment"), "employee", type_="foreignkey")
    op.drop_index("ix_attachment_owner", table_name="attachment")
    op.drop_table("attachment")
    op.drop_index("uq_app_user_username_lower", table_name="app_user")
    op.drop_table("app_user")
    op.drop_table("parameter")
    op.drop_index("ix_employee_search_trgm", table_name="employee")
    op.drop_index("ix_employee_full_name", table_name="employee")
    op.drop_index("ix_employee_department", table_name="employee")
    op.drop_table("employee")
    op.drop_index(
        "ix_email_outbox_pending", table_name="email_outbox", postgresql_where=sa.text("status IN ('queued', 'failed')")
    )
    op.drop_table("email_outbox")
    op.drop_table("company_profile")
    op.drop_index("ix_activity_log_user_at", table_name="activity_log")
    op.drop_index("ix_activity_log_entity", table_name="activity_log")
    op.drop_index("ix_activity_log_at", table_name="activity_log")
    op.drop_table("activity_log")


# Business parameters a company tunes, with believable Rwandan defaults (2026).
# Later revisions add their own; the Settings page edits the values.
PARAMETERS = [
    # key, kind, value, unit, group, description
    ("auth.max_failed_logins", "int", "5", None, "security", "Failed logins in a row before the account is locked"),
    ("auth.lockout_minutes", "int", "15", "min", "security", "How long a locked account stays locked"),
    ("auth.min_password_length", "int", "10", None, "security", "Shortest password accepted"),
    ("attachments.max_size_mb", "decimal", "10", "MB", "files", "Largest file that may be attached"),
    ("fuel.price.diesel", "decimal", "1639", "RWF/l", "fuel", "Diesel price per litre"),
    ("fuel.price.petrol", "decimal", "1633", "RWF/l", "fuel", "Petrol price per litre"),
    ("costs.parking_per_night", "decimal", "5000", "RWF", "costs", "Parking cost per night away"),
    ("costs.toll_per_crossing", "decimal", "0", "RWF", "costs", "Road toll per crossing"),
    ("costs.driver_daily_allowance", "decimal", "15000", "RWF", "costs", "Driver's daily allowance on a trip"),
    (
        "reminders.lead_days",
        "int_list",
        "30,14,7,1",
        "days",
        "reminders",
        "Days before a deadline when reminders go out",
    ),
    (
        "notifications.email_enabled",
        "bool",
        "true",
        None,
        "reminders",
        "Also e-mail notices to people who have an e-mail address",
    ),
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
    company = sa.table(
        "company_profile",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("currency", sa.String),
        sa.column("timezone", sa.String),
    )
    op.bulk_insert(company, [dict(id=1, name="Twara Transport Ltd", currency="RWF", timezone="Africa/Kigali")])
