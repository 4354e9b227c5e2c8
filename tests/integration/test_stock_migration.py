"""Migration 0009 (invoices become stock documents in the schema) goes down and up again
with the data: a posted document, its log rows and its posting function survive both ways."""

from __future__ import annotations

import os
import subprocess
import sys

from sqlalchemy import create_engine, text

from common.actor import Actor
from core.services import stock
from core.services.stock import DocumentInput, ItemInput, LineInput
from db.session import UnitOfWork, engine_for
from tests.clock import TODAY
from tests.conftest import ROOT, fresh_database


def alembic(location, *args: str) -> None:  # type: ignore[no-untyped-def]
    proc = subprocess.run(
        [sys.executable, "-m", "alembic", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": location.conninfo},
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_rename_to_stock_documents_goes_down_and_up_with_the_data(database):
    location = fresh_database(database, "twara_stock_rename")
    _, factory = engine_for(location.sqlalchemy_url)
    admin = Actor(user_id=None, username="admin-test", role="administrator")
    store = stock.create_warehouse(UnitOfWork(factory, admin), admin, "Store")
    item = stock.create_item(UnitOfWork(factory, admin), admin, ItemInput(name="Tyre", article="T1", unit="pcs"))
    receipt = DocumentInput("receipt", store, TODAY, [LineInput(item, "4", "250000")])
    document = stock.create_and_post(UnitOfWork(factory, admin), admin, receipt)
    ids = {"d": document}
    factory.kw["bind"].dispose()
    engine = create_engine(location.sqlalchemy_url)

    alembic(location, "downgrade", "0008")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT status FROM stock_invoice WHERE id = :d"), ids).scalar() == "posted"
        assert conn.execute(text("SELECT count(*) FROM stock_move WHERE invoice_id = :d"), ids).scalar() == 1
        logged = conn.execute(text("SELECT DISTINCT entity_type FROM activity_log WHERE entity_type LIKE 'stock%'"))
        assert {r[0] for r in logged} == {"stock_invoice", "stock_invoice_line"}
    engine.dispose()

    alembic(location, "upgrade", "head")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM stock_move WHERE document_id = :d"), ids).scalar() == 1
        logged = conn.execute(text("SELECT DISTINCT entity_type FROM activity_log WHERE entity_type LIKE 'stock%'"))
        assert {r[0] for r in logged} == {"stock_document", "stock_document_line"}
        line_log = conn.execute(
            text("SELECT changes -> 'after' FROM activity_log WHERE entity_type = 'stock_document_line'")
        ).scalar()
        assert line_log["document_id"] == document and "invoice_id" not in line_log
    engine.dispose()
    _, factory = engine_for(location.sqlalchemy_url)
    issue = DocumentInput("issue", store, TODAY, [LineInput(item, "1")])
    second = stock.create_and_post(UnitOfWork(factory, admin), admin, issue)  # the re-created function posts
    assert stock.balance(UnitOfWork(factory, admin), admin, item, store)[0] == 3
    with create_engine(location.sqlalchemy_url).connect() as conn:  # 0012's counter went on from WH-0000001
        assert conn.execute(text("SELECT number FROM stock_document WHERE id = :d"), {"d": second}).scalar() == (
            "WH-0000002"
        )
