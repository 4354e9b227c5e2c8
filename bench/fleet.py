"""Fleet figures: the daily expiry scan over 10,000 units x 5 documents plus 10,000 drivers
(set-based, against a naive per-document loop doing the same notices), its idempotence, and
the dispatch compliance check."""

from __future__ import annotations

import datetime as dt
import os
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select, text

import config
import runtime as runtime_module
from common.actor import SYSTEM
from common.roles import DIRECTOR, DISPATCHER
from core.fleet import expiry_threshold
from core.services.fleet import check_dispatch, expiry_scan
from core.services.notifications import Notice, notify, users_with_roles
from core.services.settings import company_today, get_param
from core.services.users import UserInput, create_user
from db.models.fleet import Document, DocumentType, Driver, Vehicle
from db.models.hr import Employee
from db.session import UnitOfWork
from demo.load import load_demo
from runtime import init_runtime


def naive_scan(session, today: dt.date) -> int:  # type: ignore[no-untyped-def]
    """The obvious way: load every document, decide in Python, notify one by one."""
    leads = get_param(session, "reminders.lead_days")
    assert isinstance(leads, tuple)
    dispatchers = users_with_roles(session, frozenset({DISPATCHER}))
    directors = users_with_roles(session, frozenset({DIRECTOR}))
    posted = 0
    docs = session.execute(
        select(Document, DocumentType, Vehicle, Employee)
        .join(DocumentType, DocumentType.id == Document.type_id)
        .outerjoin(Vehicle, Vehicle.id == Document.vehicle_id)
        .outerjoin(Employee, Employee.id == Document.employee_id)
        .where(Document.archived_at.is_(None))
    ).all()
    newest: dict[tuple[int, int | None, int | None], dt.date] = {}
    for doc, _, _, _ in docs:
        key = (doc.type_id, doc.vehicle_id, doc.employee_id)
        newest[key] = max(newest.get(key, doc.valid_to), doc.valid_to)
    for doc, doc_type, unit, employee in docs:
        if newest[(doc.type_id, doc.vehicle_id, doc.employee_id)] != doc.valid_to:
            continue
        threshold = expiry_threshold(doc.valid_to, today, leads)
        if threshold is None:
            continue
        owner = unit.plate if unit else employee.full_name
        users = [unit.responsible_user_id] if unit and unit.responsible_user_id else list(dispatchers)
        if threshold == -1 and doc_type.required_for_dispatch:
            users += directors
        title = "{doc} of {owner} expired on {date}" if threshold == -1 else "{doc} of {owner} ends on {date}"
        posted += len(
            notify(
                session,
                users,
                Notice(
                    kind="document",
                    title=title,
                    params=(("doc", doc_type.name), ("owner", owner), ("date", doc.valid_to)),
                    dedupe_key=f"expiry:{doc.id}:{doc.valid_to}:{threshold}",
                    cause=f"document_expiry:document:{doc.id}",
                ),
            )
        )
    for card, employee in session.execute(select(Driver, Employee).join(Employee, Employee.id == Driver.employee_id)):
        threshold = expiry_threshold(card.licence_valid_to, today, leads)
        if threshold is None:
            continue
        users = list(dispatchers) + (directors if threshold == -1 else [])
        posted += len(
            notify(
                session,
                users,
                Notice(
                    kind="document",
                    title="Driving licence of {owner} ends on {date}",
                    params=(("owner", employee.full_name), ("date", card.licence_valid_to)),
                    dedupe_key=f"expiry:licence-{card.employee_id}:{card.licence_valid_to}:{threshold}",
                    cause=f"document_expiry:licence:{card.employee_id}",
                ),
            )
        )
    return posted


def run() -> int:
    print("Twara fleet benchmark (2 cores)\n")
    os.environ["TWARA_DATA_DIR"] = str(Path(tempfile.mkdtemp(prefix="twara-fleet-")))
    os.environ.pop("DATABASE_URL", None)
    config.get_config.cache_clear()
    runtime_module.reset_runtime()
    rt = init_runtime(start_worker=False)
    t0 = time.perf_counter()
    result = load_demo(rt.sessionmaker, "large", with_stock=False, with_transport=False)
    print(f"  loaded {result.fleet} in {time.perf_counter() - t0:.1f} s")
    for name, role in (("disp1", "dispatcher"), ("disp2", "dispatcher"), ("boss", "director")):
        create_user(
            UnitOfWork(rt.sessionmaker, SYSTEM),
            SYSTEM,
            UserInput(name, name.title() + " Bench", role),
            "Bench-pass-2026",
        )
    with rt.sessionmaker() as s:
        today = company_today(s)  # the company's day, as the daily job's scan takes it
        docs = s.execute(text("SELECT count(*) FROM fleet_document")).scalar_one()
        drivers = s.scalar(select(func.count()).select_from(Driver))
    print(f"  {docs:,} documents, {drivers:,} drivers\n")

    # the naive loop, on the same data, in a transaction rolled back afterwards
    with rt.sessionmaker() as s:
        t0 = time.perf_counter()
        naive_notices = naive_scan(s, today)
        naive_s = time.perf_counter() - t0
        s.rollback()
    t0 = time.perf_counter()
    first = expiry_scan(rt.uow(), today)  # what the daily job runs
    scan_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    second = expiry_scan(rt.uow(), today)
    again_s = time.perf_counter() - t0
    print("Daily expiry scan:")
    print(f"  naive per-document loop  {naive_s * 1000:8.0f} ms   {naive_notices:,} notices")
    print(
        f"  Twara (one statement)    {scan_s * 1000:8.0f} ms   {first.notices:,} notices   "
        f"ratio naive/Twara {naive_s / scan_s:.1f}x   target < 2000 ms {'OK' if scan_s < 2 else 'SLOW'}"
    )
    print(
        f"  second run (idempotent)  {again_s * 1000:8.0f} ms   {second.notices} notices   "
        f"{'OK' if second.notices == 0 else 'NOT IDEMPOTENT'}"
    )
    same = naive_notices == first.notices
    print(f"  same notices both ways: {'yes' if same else 'NO'}\n")

    with rt.sessionmaker() as s:
        tractor = s.scalar(select(Vehicle.id).where(Vehicle.unit_type == "tractor").limit(1))
        trailer = s.scalar(select(Vehicle.id).where(Vehicle.unit_type == "trailer").limit(1))
        driver = s.scalar(select(Driver.employee_id).limit(1))
    times = []
    for _ in range(200):
        t0 = time.perf_counter()
        check_dispatch(
            UnitOfWork(rt.sessionmaker, SYSTEM), SYSTEM, tractor, trailer, driver, today, today + dt.timedelta(days=3)
        )
        times.append(time.perf_counter() - t0)
    median = statistics.median(times)
    p95 = sorted(times)[int(len(times) * 0.95)]
    print("Dispatch compliance check (200 calls):")
    print(f"  median {median * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms   target < 20 ms {'OK' if p95 < 0.02 else 'SLOW'}")
    ok = scan_s < 2 and second.notices == 0 and same and p95 < 0.02
    print("\nall targets met" if ok else "\nSOME TARGETS MISSED")
    runtime_module.reset_runtime()
    return 0 if ok else 1
