"""Warehouse figures: the Post button's throughput with 4 concurrent keepers (each click
`stock.create_and_post`, from the keeper's input to the committed posting) against pgbench
(TPC-B, the same 4 clients, the wheel's pgbench) on the same server in the same run; and a
balance at a past date over 5,000,000 movements."""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import text

SECONDS = 20
CLIENTS = 4
PER_WRITER = 3000
ROUNDS = 3


def pgbench_tps(rt) -> float:  # type: ignore[no-untyped-def]
    from psycopg.conninfo import conninfo_to_dict

    params = conninfo_to_dict(rt.location.conninfo)
    import psycopg

    with psycopg.connect(rt.location.conninfo, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS pgbench_twara")
        conn.execute("CREATE DATABASE pgbench_twara")
    env = {
        **os.environ,
        "PGHOST": str(params.get("host", "")),
        "PGUSER": str(params.get("user", "postgres")),
        "PGPORT": str(params.get("port", "5432")),
        "PGDATABASE": "pgbench_twara",
    }
    if params.get("password"):
        env["PGPASSWORD"] = str(params["password"])
    pgbench = str(Path(rt.location.bin_dir) / "pgbench")
    subprocess.run([pgbench, "-i", "-s", "4", "-q"], env=env, check=True, capture_output=True)
    out = subprocess.run(
        [pgbench, "-c", str(CLIENTS), "-j", "2", "-T", str(SECONDS)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    match = re.search(r"tps = ([\d.]+)", out)
    assert match, out
    return float(match.group(1))


def _session_factory(url: str):  # type: ignore[no-untyped-def]
    from db.session import engine_for

    return engine_for(url)[1]


def _keeper_inputs(store: int, items: list[int], count: int, seed: int) -> list[Any]:
    """What a keeper types for `count` issues of 3 lines (made before the clock starts)."""
    from core.services.stock import DocumentInput, LineInput

    rng = random.Random(seed)
    return [
        DocumentInput(
            "issue", store, dt.date.today(), [LineInput(i, str(rng.randint(1, 5))) for i in rng.sample(items, 3)]
        )
        for _ in range(count)
    ]


def _post_all(url: str, inputs: list[Any], start: Any, finished: Any) -> None:
    """One keeper pressing Post: `stock.create_and_post`, exactly what the Post button calls,
    from the keeper's input to the committed posting (the input checked, then one call of the
    database function `stock_create_and_post` in autocommit: the document saved, numbered,
    posted and logged in one transaction). Everything a keeper has before the first click (the
    imported code, an open connection) is made before the common start, so the clock
    measures the clicks only."""
    from common.actor import Actor
    from core.services import stock
    from db.session import UnitOfWork

    factory = _session_factory(url)
    admin = Actor(None, "bench", "administrator")
    stock.balance(UnitOfWork(factory, admin), admin, 0, 0)  # open the connection before the start
    start.wait()
    for data in inputs:
        stock.create_and_post(UnitOfWork(factory, admin), admin, data)
    finished.put((len(inputs), time.perf_counter()))


def _race(worker: Any, start: Any, finished: Any, url: str, batches: list[list[int]]) -> float:
    """Keepers (processes or threads) pressing Post on their batches at once: postings per second from
    the common start to the last keeper's last posting."""
    keepers = [worker(target=_post_all, args=(url, batch, start, finished)) for batch in batches]
    for keeper in keepers:
        keeper.start()
    start.wait()
    began = time.perf_counter()
    results = [finished.get(timeout=600) for _ in keepers]
    for keeper in keepers:
        keeper.join()
    return sum(count for count, _ in results) / (max(end for _, end in results) - began)


def twara_tps(rt, per_writer: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """3-line issue invoices (stock documents) posted per second by 4 keepers pressing Post at
    once: as 4 processes (4 app servers, or 4 workers) and as 4 threads of one app server."""
    import queue
    import threading
    from multiprocessing import get_context

    from common.actor import Actor
    from core.services import stock
    from core.services.stock import DocumentInput, ItemInput, LineInput
    from db.session import UnitOfWork

    url = rt.location.sqlalchemy_url
    admin = Actor(None, "bench", "administrator")
    store = stock.create_warehouse(UnitOfWork(rt.sessionmaker, admin), admin, f"Bench store {time.time()}")
    items = [
        stock.create_item(
            UnitOfWork(rt.sessionmaker, admin),
            admin,
            ItemInput(name=f"Bench part {i}", article=f"BENCH-{time.time_ns()}-{i}", unit="pcs"),
        )
        for i in range(200)
    ]
    stock.create_and_post(
        UnitOfWork(rt.sessionmaker, admin),
        admin,
        DocumentInput("receipt", store, dt.date.today(), [LineInput(i, "1000000", "1500") for i in items]),
    )
    spawn = get_context("spawn")
    batches = [_keeper_inputs(store, items, per_writer, seed) for seed in range(2 * CLIENTS)]
    # 4 processes (4 app servers, or 4 workers), then 4 threads of one app server
    processes = _race(spawn.Process, spawn.Barrier(CLIENTS + 1), spawn.Queue(), url, batches[:CLIENTS])
    in_threads = _race(threading.Thread, threading.Barrier(CLIENTS + 1), queue.Queue(), url, batches[CLIENTS:])
    return processes, in_threads


def run() -> int:
    import config
    import runtime as runtime_module
    from common.actor import SYSTEM
    from core.services.stock import balance_at
    from db.session import UnitOfWork
    from runtime import init_runtime

    print("Twara warehouse benchmark (2 cores)\n")
    os.environ["TWARA_DATA_DIR"] = str(Path(tempfile.mkdtemp(prefix="twara-wh-")))
    os.environ.pop("DATABASE_URL", None)
    config.get_config.cache_clear()
    runtime_module.reset_runtime()
    rt = init_runtime(start_worker=False)

    # the machine's speed drifts (2 shared cores): pgbench and Twara take turns, and the
    # verdict is the median of the rounds' ratios
    print(
        f"The Post button (create_and_post) with {CLIENTS} concurrent keepers, {ROUNDS} rounds of pgbench then Twara:"
    )
    print("  round   pgbench TPC-B   Twara 4 processes      ratio   Twara 4 threads      ratio")
    ratios = []
    for number in range(1, ROUNDS + 1):
        base = pgbench_tps(rt)
        processes, threads = twara_tps(rt, PER_WRITER)
        ratios.append(processes / base)
        print(
            f"  {number:5}   {base:8.0f} tps   {processes:8.0f} invoices/s   {processes / base:6.0%}"
            f"   {threads:8.0f} invoices/s {threads / base:6.0%}"
        )
    ratio = statistics.median(ratios)
    print(f"  ({SECONDS} s of pgbench; {CLIENTS} x {PER_WRITER} 3-line issue invoices per Twara run)")
    print(f"  median ratio Twara (processes)/pgbench {ratio:6.0%}   target >= 30% {'OK' if ratio >= 0.3 else 'SLOW'}\n")

    t0 = time.perf_counter()
    from demo.stock import load_stock_large

    store = load_stock_large(rt.engine)
    with rt.engine.connect() as conn:
        total = conn.execute(text("SELECT count(*) FROM stock_move")).scalar()
        first = conn.execute(text("SELECT min(id) FROM item WHERE article LIKE 'BL-%'")).scalar()
    print(f"Loaded {total:,} movements in {time.perf_counter() - t0:.0f} s")
    rng = random.Random(7)
    times = []
    for _ in range(100):
        item = first + rng.randrange(50_000)
        at = dt.datetime.now(dt.UTC) - dt.timedelta(days=rng.randint(1, 360))
        t1 = time.perf_counter()
        balance_at(UnitOfWork(rt.sessionmaker, SYSTEM), SYSTEM, item, store, at)
        times.append(time.perf_counter() - t1)
    p95 = sorted(times)[94]
    print(
        f"Balance at a past date (100 random items and dates): median {statistics.median(times) * 1000:.1f} ms, "
        f"p95 {p95 * 1000:.1f} ms   target < 100 ms {'OK' if p95 < 0.1 else 'SLOW'}"
    )
    ok = ratio >= 0.3 and p95 < 0.1
    print("\nall targets met" if ok else "\nSOME TARGETS MISSED")
    runtime_module.reset_runtime()
    return 0 if ok else 1
