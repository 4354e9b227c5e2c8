"""Positions and departments become catalogs; clients and the company get a country.

An employee's position and department were free text, filtered as if they were fixed
values, so a typo made a new department. They become two catalogs the company edits
(`staff_catalog`, one row per position or department) and the employee points to an
entry. The texts already typed become the first entries: spaces trimmed and runs of spaces
made one, one entry per text whatever its case (the spelling most employees carry wins,
then the first in alphabetical order), and each employee points to the entry of its text.
A company that typed none yet (a new install) starts with the usual positions and
departments of a transport company (STAFF_SEEDS: message ids, shown translated while they
keep their name). The employee's search text no longer holds the two names (a generated
column cannot read another table): the search looks them up in the catalog.

A client's country (ISO 3166 code; none: the company's own) and the company's country
(Rwanda unless changed) say which tax-id rule applies: 9 digits in Rwanda.

Going down puts the texts back from the catalog and drops it; the countries are dropped.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 00:17:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEARCH_WITH_NAMES = (
    "lower(code || ' ' || full_name || ' ' || coalesce(position, '') || ' ' "
    "|| coalesce(department, '') || ' ' || coalesce(phone, '') || ' ' "
    "|| coalesce(phone_alt, '') || ' ' || coalesce(email, ''))"
)
SEARCH = (
    "lower(code || ' ' || full_name || ' ' || coalesce(phone, '') || ' ' "
    "|| coalesce(phone_alt, '') || ' ' || coalesce(email, ''))"
)
KINDS = ("position", "department")
# a new company's first entries (kind, name); the names are message ids (tools/messages.py)
STAFF_SEEDS = [
    ("position", "Driver"),
    ("position", "Driver assistant"),
    ("position", "Dispatcher"),
    ("position", "Mechanic"),
    ("position", "Warehouse keeper"),
    ("position", "Accountant"),
    ("position", "Sales manager"),
    ("position", "Managing director"),
    ("department", "Transport"),
    ("department", "Garage"),
    ("department", "Warehouse"),
    ("department", "Sales"),
    ("department", "Finance"),
    ("department", "Management"),
]


def _clean(column: str) -> str:
    """The SQL of a typed text as an entry's name: trimmed, each run of spaces made one."""
    return f"regexp_replace(trim({column}), '\\s+', ' ', 'g')"


def _search_column(expression: str) -> None:
    op.drop_index("ix_employee_search_trgm", table_name="employee")
    op.drop_column("employee", "search_text")
    op.add_column(
        "employee", sa.Column("search_text", sa.Text(), sa.Computed(expression, persisted=True), nullable=False)
    )
    op.create_index(
        "ix_employee_search_trgm",
        "employee",
        ["search_text"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"search_text": "gin_trgm_ops"},
    )


def upgrade() -> None:
    op.create_table(
        "staff_catalog",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.CheckConstraint("kind IN ('position', 'department')", name=op.f("ck_staff_catalog_kind_known")),
        sa.CheckConstraint("length(trim(name)) > 0", name=op.f("ck_staff_catalog_name_not_blank")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_catalog")),
    )
    op.create_index(
        "uq_staff_catalog_kind_name", "staff_catalog", ["kind", sa.literal_column("lower(name)")], unique=True
    )
    for kind in KINDS:
        column = f"{kind}_id"
        op.add_column("employee", sa.Column(column, sa.BigInteger(), nullable=True))
        op.create_foreign_key(
            op.f(f"fk_employee_{column}_staff_catalog"), "employee", "staff_catalog", [column], ["id"]
        )
        op.execute(
            f"""
            INSERT INTO staff_catalog (kind, name)
            SELECT DISTINCT ON (lower(name)) '{kind}', name
            FROM (SELECT {_clean(kind)} AS name, count(*) AS n FROM employee
                  WHERE {kind} IS NOT NULL AND trim({kind}) <> '' GROUP BY 1) typed
            ORDER BY lower(name), n DESC, name
            """
        )
        op.execute(
            f"""
            UPDATE employee e SET {column} = c.id FROM staff_catalog c
            WHERE c.kind = '{kind}' AND lower(c.name) = lower({_clean("e." + kind)})
            """
        )
        op.create_index(f"ix_employee_{column}", "employee", [column], unique=False)
    for kind in KINDS:  # nothing typed yet: the usual entries
        typed = op.get_bind().execute(sa.text("SELECT count(*) FROM staff_catalog WHERE kind = :k"), {"k": kind})
        if not typed.scalar():
            seeds = sa.table("staff_catalog", sa.column("kind", sa.String), sa.column("name", sa.String))
            op.bulk_insert(seeds, [{"kind": k, "name": name} for k, name in STAFF_SEEDS if k == kind])
    op.drop_index("ix_employee_department", table_name="employee")
    _search_column(SEARCH)
    for kind in KINDS:
        op.drop_column("employee", kind)

    op.add_column("company_profile", sa.Column("country", sa.String(length=2), server_default="RW", nullable=False))
    op.create_check_constraint(op.f("ck_company_profile_country_iso"), "company_profile", "country ~ '^[A-Z]{2}$'")
    op.add_column("client", sa.Column("country", sa.String(length=2), nullable=True))
    op.create_check_constraint(op.f("ck_client_country_iso"), "client", "country ~ '^[A-Z]{2}$'")


def downgrade() -> None:
    op.drop_constraint(op.f("ck_client_country_iso"), "client", type_="check")
    op.drop_column("client", "country")
    op.drop_constraint(op.f("ck_company_profile_country_iso"), "company_profile", type_="check")
    op.drop_column("company_profile", "country")

    for kind in KINDS:
        op.add_column("employee", sa.Column(kind, sa.String(length=120), nullable=True))
        op.execute(f"UPDATE employee e SET {kind} = c.name FROM staff_catalog c WHERE c.id = e.{kind}_id")
    _search_column(SEARCH_WITH_NAMES)
    op.create_index("ix_employee_department", "employee", ["department"], unique=False)
    for kind in KINDS:
        column = f"{kind}_id"
        op.drop_index(f"ix_employee_{column}", table_name="employee")
        op.drop_constraint(op.f(f"fk_employee_{column}_staff_catalog"), "employee", type_="foreignkey")
        op.drop_column("employee", column)
    op.drop_index("uq_staff_catalog_kind_name", table_name="staff_catalog")
    op.drop_table("staff_catalog")
