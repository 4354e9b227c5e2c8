"""A session's whole life is bounded, not only its idle time.

A login is now remembered by the browser (a cookie carrying the session's token, see
`ui.auth`), so a session that is kept busy must still end some time: `auth.session_max_hours`
after its login, however active, as well as after `auth.session_idle_minutes` without a
click. The cookie's Max-Age is this lifetime.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 00:16:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# key, kind, value, unit, group, description, min, max
PARAMETERS = [
    (
        "auth.session_max_hours",
        "int",
        "12",
        "hours",
        "security",
        "A session ends this long after its login, even when in use",
        "1",
        "720",
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
    columns = ("key", "kind", "value", "unit", "group_name", "description", "min_value", "max_value")
    op.bulk_insert(table, [dict(zip(columns, p, strict=True)) for p in PARAMETERS])


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM parameter WHERE key = 'auth.session_max_hours'"))
