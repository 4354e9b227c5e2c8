"""Concurrent keepers on real PostgreSQL: no balance ever negative, every balance equal to
the sum of its movements, no lost update; a killed posting leaves nothing half-done."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from decimal import Decimal
from typing import Any

from sqlalchemy import create_engine, text

from common.actor import Actor
from common.errors import DomainError
from core.services import stock
from core.services.stock import DocumentInput, ItemInput, LineInput
from db.session import UnitOfWork, engine_for
from tests.clock import TODAY
from tests.conftest import ROOT, fresh_database

KEEPER = Actor(user_id=None, username="keeper-test", role="warehouse_keeper")


def _four_keepers(database, name: str, post):  # type: ignore[no-untyped-def]
    """Four keepers, 25 random receipts and issues each over 3 items of one store, posted
    with `post(factory, data)` at once; returns (location, factory, refused messages)."""
    location = fresh_database(database, name)
    _, factory = engine_for(location.sqlalchemy_url)
    admin = Actor(user_id=None, username="admin-test", role="administrator")
    store = stock.create_warehouse(UnitOfWork(factory, admin), admin, "Tank")
    items = [
        stock.create_item(UnitOfWork(factory, KEEPER), KEEPER, ItemInput(name=f"Item {i}", article=f"A{i}", unit="l"))
        for i in range(3)
    ]
    refused: list[str] = []
    unexpected: list[BaseException] = []

    def keeper(seed: int) -> None:
        rng = random.Random(seed)
        for _ in range(25):
            kind = rng.choice(["receipt", "issue", "issue"])
            lines = [
                LineInput(rng.choice(items), str(rng.randint(1, 40)), str(rng.randint(1, 9) * 100))
                for _ in range(rng.randint(1, 3))
            ]
            try:
                post(factory, DocumentInput(kind=kind, warehouse_id=store, doc_date=TODAY, lines=lines))
            except DomainError as exc:
                refused.append(exc.message)
            except BaseException as exc:
                unexpected.append(exc)

    threads = [threading.Thread(target=keeper, args=(seed,)) for seed in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert unexpected == []
    return location, factory, refused


def _draft_then_post(factory, data) -> None:  # type: ignore[no-untyped-def]
    document = stock.create_document(UnitOfWork(factory, KEEPER), KEEPER, data)
    stock.post_document(UnitOfWork(factory, KEEPER), KEEPER, document)


def test_concurrent_receipts_and_issues_keep_the_book_exact(database):
    location, factory, refused = _four_keepers(database, "twara_stock_race", _draft_then_post)
    assert refused and all("left" in m for m in refused)  # some issues found the store short
    with create_engine(location.sqlalchemy_url).connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM stock_balance WHERE qty < 0")).scalar() == 0
        posted = conn.execute(text("SELECT count(*) FROM stock_document WHERE status = 'posted'")).scalar()
        assert posted == 100 - len(refused)
    assert stock.ledger_mismatches(UnitOfWork(factory, KEEPER), KEEPER) == []


def test_a_posting_killed_half_way_leaves_no_partial_invoice(database):
    location = fresh_database(database, "twara_stock_kill")
    _, factory = engine_for(location.sqlalchemy_url)
    admin = Actor(user_id=None, username="admin-test", role="administrator")
    store = stock.create_warehouse(UnitOfWork(factory, admin), admin, "Store")
    item = stock.create_item(UnitOfWork(factory, KEEPER), KEEPER, ItemInput(name="Tyre", article="T1", unit="pcs"))
    document = stock.create_document(
        UnitOfWork(factory, KEEPER),
        KEEPER,
        DocumentInput(kind="receipt", warehouse_id=store, doc_date=TODAY, lines=[LineInput(item, "4", "250000")] * 3),
    )
    # a child process posts the document but is killed after the movements, before the commit
    script = f"""
import os, signal
from sqlalchemy.orm import Session
from common.actor import Actor
from core.services import stock
from db.session import UnitOfWork, engine_for
_, factory = engine_for({location.sqlalchemy_url!r})
keeper = Actor(None, "k", "warehouse_keeper")
def die(self):
    os.kill(os.getpid(), signal.SIGKILL)
Session.commit = die
UnitOfWork.run_alone = lambda self, statement, params: None  # the whole unit-of-work way
stock.post_document(UnitOfWork(factory, keeper), keeper, {document})
"""
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env={**os.environ}, timeout=120)
    assert proc.returncode == -signal.SIGKILL
    with create_engine(location.sqlalchemy_url).connect() as conn:
        assert (
            conn.execute(text("SELECT status FROM stock_document WHERE id = :i"), {"i": document}).scalar() == "draft"
        )
        assert conn.execute(text("SELECT count(*) FROM stock_move")).scalar() == 0
    stock.post_document(UnitOfWork(factory, KEEPER), KEEPER, document)  # and it can be posted afterwards
    assert stock.balance(UnitOfWork(factory, KEEPER), KEEPER, item, store) == (Decimal(12), Decimal("3000000.00"))


def test_a_posting_cut_off_inside_the_database_leaves_no_partial_invoice(database):
    """The Post button's posting is one statement in a transaction of its own. Its keeper's
    process dies while the statement waits for a balance another keeper holds, and the server
    ends the orphaned session: the document, already marked posted inside the statement, is a
    draft again and no movement is left."""
    location = fresh_database(database, "twara_stock_cut")
    engine, factory = engine_for(location.sqlalchemy_url)
    admin = Actor(user_id=None, username="admin-test", role="administrator")
    store = stock.create_warehouse(UnitOfWork(factory, admin), admin, "Store")
    item = stock.create_item(UnitOfWork(factory, KEEPER), KEEPER, ItemInput(name="Tyre", article="T1", unit="pcs"))
    first = DocumentInput(kind="receipt", warehouse_id=store, doc_date=TODAY, lines=[LineInput(item, "1", "100")])
    stock.create_and_post(UnitOfWork(factory, KEEPER), KEEPER, first)
    document = stock.create_document(
        UnitOfWork(factory, KEEPER),
        KEEPER,
        DocumentInput(kind="receipt", warehouse_id=store, doc_date=TODAY, lines=[LineInput(item, "4", "250000")] * 3),
    )
    script = f"""
from common.actor import Actor
from core.services import stock
from db.session import UnitOfWork, engine_for
_, factory = engine_for({location.sqlalchemy_url!r})
keeper = Actor(None, "k", "warehouse_keeper")
stock.post_document(UnitOfWork(factory, keeper), keeper, {document})
"""
    with engine.connect() as holder:
        holder.execute(text("SELECT 1 FROM stock_balance WHERE item_id = :i FOR UPDATE"), {"i": item})
        proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, env={**os.environ})
        with engine.connect() as watch:
            waiting = None
            for _ in range(600):
                waiting = watch.execute(
                    text(
                        "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                        "AND query LIKE '%stock_post_document%'"
                    )
                ).scalar()
                watch.rollback()  # a new transaction sees a new snapshot of the activity
                if waiting is not None:
                    break
                time.sleep(0.05)
            assert waiting is not None, "the posting never reached the held balance"
            proc.kill()
            assert proc.wait(timeout=60) == -signal.SIGKILL
            watch.execute(text("SELECT pg_terminate_backend(:p)"), {"p": waiting})
        holder.rollback()
    with engine.connect() as conn:
        assert (
            conn.execute(text("SELECT status FROM stock_document WHERE id = :i"), {"i": document}).scalar() == "draft"
        )
        assert (
            conn.execute(text("SELECT count(*) FROM stock_move WHERE document_id = :i"), {"i": document}).scalar() == 0
        )
    assert stock.balance(UnitOfWork(factory, KEEPER), KEEPER, item, store) == (Decimal(1), Decimal("100.00"))
    stock.post_document(UnitOfWork(factory, KEEPER), KEEPER, document)  # and it can be posted afterwards
    assert stock.balance(UnitOfWork(factory, KEEPER), KEEPER, item, store) == (Decimal(13), Decimal("3000100.00"))
    assert stock.ledger_mismatches(UnitOfWork(factory, KEEPER), KEEPER) == []


def test_the_post_button_hands_over_what_the_database_alone_cannot_do(database):
    """On a real server the Post button's posting is one statement of its own; a fuel issue
    with an odometer reading and an issue that falls below the reorder level are handed to a
    whole unit of work, and come out with their reading and their notice."""
    from core.services import fleet
    from core.services.fleet import UnitInput
    from core.services.notifications import unread_count
    from core.services.users import UserInput, create_user

    location = fresh_database(database, "twara_stock_alone")
    _, factory = engine_for(location.sqlalchemy_url)
    admin = Actor(user_id=None, username="admin-test", role="administrator")
    uid = create_user(
        UnitOfWork(factory, admin),
        admin,
        UserInput(username="keeper", full_name="Keeper Test", role="warehouse_keeper"),
        "Good-pass-123",
    )
    keeper = Actor(user_id=uid, username="keeper", role="warehouse_keeper")
    tank = stock.create_warehouse(UnitOfWork(factory, admin), admin, "Diesel tank", "tank", uid)
    diesel = stock.create_item(
        UnitOfWork(factory, keeper),
        keeper,
        ItemInput(name="Diesel", article="FUEL-D", unit="l", reorder_level="500", is_fuel=True, fuel_type="diesel"),
    )
    truck = fleet.create_unit(
        UnitOfWork(factory, admin), admin, UnitInput(unit_type="tractor", plate="RAB 123 A"), odometer_km=100_000
    )
    today = TODAY

    def post(lines: list[LineInput], **kw: Any) -> list[int]:
        data = DocumentInput(kind="issue", warehouse_id=tank, doc_date=today, lines=lines, **kw)
        document = stock.create_document(UnitOfWork(factory, keeper), keeper, data)
        return stock.post_document(UnitOfWork(factory, keeper), keeper, document)

    def press_post(lines: list[LineInput], **kw: Any) -> int:
        data = DocumentInput(kind="issue", warehouse_id=tank, doc_date=today, lines=lines, **kw)
        return stock.create_and_post(UnitOfWork(factory, keeper), keeper, data)

    receipt = DocumentInput(
        kind="receipt", warehouse_id=tank, doc_date=today, lines=[LineInput(diesel, "1000", "1600")]
    )
    stock.create_and_post(UnitOfWork(factory, keeper), keeper, receipt)
    assert post([LineInput(diesel, "100")]) == []  # alone
    assert post([LineInput(diesel, "200")], vehicle_id=truck, odometer_km=100_450) == []
    assert fleet.get_unit(UnitOfWork(factory, admin), admin, truck)["odometer_km"] == 100_450
    assert unread_count(UnitOfWork(factory, keeper), keeper) == 0
    assert post([LineInput(diesel, "300")]) == [diesel]
    assert unread_count(UnitOfWork(factory, keeper), keeper) == 1
    assert stock.balance(UnitOfWork(factory, keeper), keeper, diesel, tank)[0] == Decimal(400)
    # the Post button of a new document hands over the same way
    press_post([LineInput(diesel, "10")], vehicle_id=truck, odometer_km=100_900)
    assert fleet.get_unit(UnitOfWork(factory, admin), admin, truck)["odometer_km"] == 100_900
    stock.create_and_post(UnitOfWork(factory, keeper), keeper, receipt)  # above the level again
    press_post([LineInput(diesel, "100")])  # alone
    assert unread_count(UnitOfWork(factory, keeper), keeper) == 1
    press_post([LineInput(diesel, "500")])  # 1,290 l down to 790 l: not low yet
    low = press_post([LineInput(diesel, "300")])
    # the second fall below the level updates the keeper's one open notice on diesel in the tank
    assert unread_count(UnitOfWork(factory, keeper), keeper) == 1
    assert stock.balance(UnitOfWork(factory, keeper), keeper, diesel, tank)[0] == Decimal(490)
    with create_engine(location.sqlalchemy_url).connect() as conn:
        posted = conn.execute(
            text("SELECT count(*) FROM activity_log WHERE entity_type = 'stock_document' AND changes ? 'posted_at'")
        ).scalar()
        created = conn.execute(
            text("SELECT count(*) FROM activity_log WHERE entity_type = 'stock_document' AND action = 'create'")
        ).scalar()
        numbers = conn.execute(text("SELECT number FROM stock_document ORDER BY number")).scalars().all()
        noticed = conn.execute(text("SELECT dedupe_key, times FROM notification")).all()
    assert posted == created == 9  # each document created and posted logged once, the handed-over ones too
    assert numbers == [f"WH-{n:07d}" for n in range(1, 10)]  # the refused attempts gave their numbers back
    assert [tuple(r) for r in noticed] == [(f"low:{diesel}:{tank}:{low}", 2)]
    assert stock.ledger_mismatches(UnitOfWork(factory, keeper), keeper) == []


def test_keepers_pressing_post_at_once_get_numbers_without_gaps(database):
    """Four keepers pressing Post on new documents at once (the database function alone, in
    autocommit), some refused for want of stock: every posted document has a number, the
    numbers run 1, 2, 3... with no gap and no repeat, and the book is exact."""
    location, factory, refused = _four_keepers(
        database, "twara_stock_numbers", lambda f, data: stock.create_and_post(UnitOfWork(f, KEEPER), KEEPER, data)
    )
    assert refused and all("left" in m for m in refused)
    with create_engine(location.sqlalchemy_url).connect() as conn:
        numbers = conn.execute(text("SELECT number FROM stock_document ORDER BY number")).scalars().all()
        assert numbers == [f"WH-{n:07d}" for n in range(1, 101 - len(refused))]
        assert conn.execute(text("SELECT count(*) FROM stock_document WHERE status <> 'posted'")).scalar() == 0
        logged = conn.execute(
            text("SELECT count(*) FROM activity_log WHERE entity_type = 'stock_document' AND action = 'create'")
        ).scalar()
        assert logged == len(numbers)
        assert conn.execute(text("SELECT count(*) FROM stock_balance WHERE qty < 0")).scalar() == 0
    assert stock.ledger_mismatches(UnitOfWork(factory, KEEPER), KEEPER) == []
