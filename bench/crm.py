"""CRM figures on the large data (100,000 clients, 1,000,000 interactions): the client list
open and search, one client's timeline of a thousand entries, the daily follow-up scan (and
its second run), a segment count; each beside the naive way (load the rows, filter in
Python), with the ratio."""

from __future__ import annotations

import datetime as dt
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

import config
import runtime as runtime_module
from common.actor import Actor
from core.services import crm
from core.services.listing import ListQuery
from core.services.settings import company_today
from db.models.auth import User
from db.models.crm import Client, FollowUp, Interaction
from db.session import UnitOfWork
from demo.crm import load_crm_large
from demo.load import load_demo
from runtime import init_runtime

TARGETS = {"open": 0.5, "search": 0.5, "timeline": 0.3, "scan": 5.0, "segment": 1.0}


def timed(fn: Callable[[], Any], runs: int = 5) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def run() -> int:
    print("Twara CRM benchmark (2 cores)\n")
    os.environ["TWARA_DATA_DIR"] = str(Path(tempfile.mkdtemp(prefix="twara-crm-")))
    os.environ.pop("DATABASE_URL", None)
    config.get_config.cache_clear()
    runtime_module.reset_runtime()
    rt = init_runtime(start_worker=False)
    load_demo(rt.sessionmaker, "small")
    t0 = time.perf_counter()
    with rt.sessionmaker() as s:
        load_crm_large(s)
        s.commit()
        sales = s.scalars(select(User).where(User.role == "sales_manager")).first()
        assert sales is not None
        busy = s.scalar(select(Client.id).where(Client.code == "L000000042"))
        s.execute(  # one client with a thousand entries
            text(
                "INSERT INTO interaction (client_id, kind, status, at, owner_user_id, topic, result) "
                "SELECT :c, 'call', 'done', now() - g * interval '1 hour', :u, 'Busy ' || g, 'ok' "
                "FROM generate_series(1, 990) g"
            ),
            {"c": busy, "u": sales.id},
        )
        s.commit()
        total_clients = s.scalar(text("SELECT count(*) FROM client"))
        total_interactions = s.scalar(text("SELECT count(*) FROM interaction"))
        today = company_today(s)  # the company's day, as the daily job's scan takes it
    print(
        f"Loaded {total_clients:,} clients and {total_interactions:,} interactions "
        f"in {time.perf_counter() - t0:.0f} s\n"
    )
    actor = Actor(sales.id, sales.username, "sales_manager")
    uow = lambda: UnitOfWork(rt.sessionmaker, actor)  # noqa: E731

    def naive_clients(needle: str = "") -> list[Any]:
        with rt.sessionmaker() as s:
            rows = s.execute(select(Client)).scalars().all()
            last = dict(
                s.execute(text("SELECT client_id, max(at) FROM interaction WHERE status = 'done' GROUP BY 1")).all()
            )
            hit = [c for c in rows if needle in c.name.lower()] if needle else list(rows)
            return [*sorted(hit, key=lambda c: c.name)[:50], last.get(hit[0].id) if hit else None]

    def naive_timeline() -> list[Any]:
        with rt.sessionmaker() as s:
            rows = s.execute(select(Interaction)).scalars().all()
            return sorted((i for i in rows if i.client_id == busy), key=lambda i: i.at, reverse=True)

    def naive_scan() -> int:
        """Load every client, interaction and existing follow-up; decide the same due items in
        Python (no writes: the saving is not even counted)."""
        with rt.sessionmaker() as s:
            keys = set(s.scalars(select(FollowUp.dedupe_key)))
            open_silent = set(
                s.scalars(select(FollowUp.client_id).where(FollowUp.rule == "silent", FollowUp.status == "open"))
            )
            last: dict[int, dt.datetime] = {}
            count: dict[int, int] = {}
            due = 0
            lookback = today - dt.timedelta(days=30)
            for i in s.execute(select(Interaction)).scalars():
                if i.status != "done":
                    continue
                count[i.client_id] = count.get(i.client_id, 0) + 1
                if i.client_id not in last or i.at > last[i.client_id]:
                    last[i.client_id] = i.at
                if i.next_step and i.next_due and lookback < i.next_due <= today and f"next:{i.id}" not in keys:
                    due += 1
                if i.promise_due and not i.promise_kept_at and lookback < i.promise_due <= today:
                    due += f"promise:{i.id}" not in keys
            for c in s.execute(select(Client)).scalars():
                since = (last.get(c.id) or c.created_at).date()
                if c.status in ("prospect", "active", "dormant") and c.merged_into_id is None:
                    key = f"silent:{c.id}:{count.get(c.id, 0)}"
                    if (today - since).days >= 60 and c.id not in open_silent and key not in keys:
                        due += 1
            return due

    def naive_segment() -> int:
        with rt.sessionmaker() as s:
            recent = {
                cid
                for cid, at in s.execute(select(Interaction.client_id, Interaction.at))
                if at >= dt.datetime.now(dt.UTC) - dt.timedelta(days=90)
            }
            return sum(
                1
                for c in s.execute(select(Client)).scalars()
                if c.region == "Kigali" and c.status == "active" and c.id not in recent
            )

    rules = {"regions": ["Kigali"], "statuses": ["active"], "silent_days": 90}
    results = []
    open_t, _ = timed(lambda: crm.list_clients(uow(), actor, ListQuery(page_size=50)))
    open_n, _ = timed(naive_clients, 1)
    results.append(("Client list, open (50 of 100,300)", "open", open_t, open_n))
    search_t, page = timed(lambda: crm.list_clients(uow(), actor, ListQuery(search="large client 4242", page_size=50)))
    search_n, _ = timed(lambda: naive_clients("large client 4242"), 1)
    results.append((f"Client list, search ({page.total} hits)", "search", search_t, search_n))
    tl_t, (rows, total) = timed(lambda: crm.timeline(uow(), actor, busy, limit=1000))
    tl_n, _ = timed(naive_timeline, 1)
    results.append((f"Timeline, {len(rows):,} of {total:,} entries", "timeline", tl_t, tl_n))
    scan_n, naive_due = timed(naive_scan, 1)
    t1 = time.perf_counter()
    made = crm.follow_up_scan(rt.uow(), today)  # what the daily job runs
    scan_t = time.perf_counter() - t1
    t2 = time.perf_counter()
    again = crm.follow_up_scan(rt.uow(), today)
    rescan_t = time.perf_counter() - t2
    results.append((f"Follow-up scan ({made:,} new; naive finds {naive_due:,})", "scan", scan_t, scan_n))
    seg_t, count = timed(lambda: crm.segment_count(uow(), actor, rules))
    seg_n, _ = timed(naive_segment, 1)
    results.append((f"Segment count ({count:,} clients)", "segment", seg_t, seg_n))

    ok = again == 0
    print(f"{'':44} {'Twara':>9} {'naive':>9} {'ratio':>7}  target")
    for label, key, ours, naive in results:
        good = ours < TARGETS[key]
        ok = ok and good
        print(
            f"{label:44} {ours * 1000:7.0f}ms {naive * 1000:7.0f}ms {naive / ours:6.0f}x  "
            f"< {TARGETS[key] * 1000:.0f} ms {'OK' if good else 'SLOW'}"
        )
    print(f"\nSecond scan the same day: {again} new follow-ups in {rescan_t * 1000:.0f} ms (idempotent: {again == 0})")
    print("\nall targets met" if ok else "\nSOME TARGETS MISSED")
    runtime_module.reset_runtime()
    return 0 if ok else 1
