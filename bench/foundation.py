"""Foundation figures on this machine, each beside its target and the naive way.

1. Cold start (new data folder -> login page shown in Chromium) and warm start.
2. The Employees catalog with 100,000 rows: open, search, page. Server time of the whole
   page run (AppTest) and of the service alone, against the naive way of loading the whole
   table into the grid.
"""

from __future__ import annotations

import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_to_login(data_dir: Path) -> float:
    """Seconds from launching `streamlit run app.py` to the login screen shown in Chromium."""
    from playwright.sync_api import sync_playwright

    port = _port()
    env = {**os.environ, "TWARA_DATA_DIR": str(data_dir), "TWARA_IN_APP_WORKER": "1"}
    env.pop("DATABASE_URL", None)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page()
        started = time.perf_counter()
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.port",
                str(port),
                "--server.headless",
                "true",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            while True:
                try:
                    urllib.request.urlopen(url + "/_stcore/health", timeout=1)
                    break
                except OSError:
                    if time.perf_counter() - started > 120:
                        raise RuntimeError("the app did not start in 120 s") from None
                    time.sleep(0.05)
            page.goto(url)
            page.get_by_role("button", name="Create administrator").or_(
                page.get_by_role("button", name="Log in")
            ).wait_for(timeout=120_000)
            elapsed = time.perf_counter() - started
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            browser.close()
    return elapsed


def _timed(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def catalog_figures(rows: int) -> list[tuple[str, float, float]]:
    import pandas as pd
    from sqlalchemy import select, text
    from streamlit.testing.v1 import AppTest

    import config
    import runtime as runtime_module
    from common.actor import Actor
    from core.services.employees import EMPLOYEE_COLUMNS, list_employees
    from core.services.listing import ListQuery
    from db.models.hr import Employee
    from db.session import UnitOfWork
    from demo.load import load_demo
    from runtime import init_runtime

    tmp = Path(tempfile.mkdtemp(prefix="twara-bench-"))
    os.environ["TWARA_DATA_DIR"] = str(tmp)
    os.environ.pop("DATABASE_URL", None)
    os.environ["TWARA_IN_APP_WORKER"] = "0"
    config.get_config.cache_clear()
    runtime_module.reset_runtime()
    rt = init_runtime(start_worker=False)
    t0 = time.perf_counter()
    load_demo(rt.sessionmaker, "large", with_stock=False, with_transport=False)
    with rt.engine.connect() as conn:
        count = conn.execute(text("SELECT count(*) FROM employee")).scalar_one()
    print(f"  loaded {count:,} employees in {time.perf_counter() - t0:.1f} s")
    actor = Actor(user_id=None, username="bench", role="administrator")

    def uow() -> UnitOfWork:
        return UnitOfWork(rt.sessionmaker, actor)

    def naive_all() -> pd.DataFrame:
        """The naive way: the whole table into a DataFrame for the grid, filtered in memory."""
        with rt.sessionmaker() as s:
            result = s.execute(select(*[c.label(k) for k, c in EMPLOYEE_COLUMNS.items()]))
            return pd.DataFrame(result.fetchall(), columns=list(result.keys()))

    def naive_search() -> pd.DataFrame:
        frame = naive_all()
        return frame[frame["full_name"].str.lower().str.contains("uwiman", regex=False)]

    def naive_page() -> pd.DataFrame:
        return naive_all().sort_values(["full_name", "id"]).iloc[50 * 999 : 50 * 1000]

    figures = []
    open_s = _timed(lambda: list_employees(uow(), actor, ListQuery()))
    search_s = _timed(lambda: list_employees(uow(), actor, ListQuery(search="uwiman")))
    page_s = _timed(lambda: list_employees(uow(), actor, ListQuery(page=1000)))
    naive_open = _timed(naive_all, 3)
    naive_s = _timed(naive_search, 3)
    naive_p = _timed(naive_page, 3)
    figures += [
        ("service: open (page 1 of 50)", open_s, naive_open),
        ("service: search 'uwiman'", search_s, naive_s),
        ("service: go to page 1000", page_s, naive_p),
    ]

    # whole page runs on the server (AppTest), as a user's interaction costs
    with rt.sessionmaker() as s:
        admin_id = s.scalar(select(Employee.id).limit(1))
    assert admin_id is not None
    from core.services.users import UserInput, create_user

    try:
        uid = create_user(uow(), actor, UserInput("benchadmin", "Bench Admin", "administrator"), "Bench-pass-2026")
    except Exception:
        from db.models.auth import User

        with rt.sessionmaker() as s:
            uid = s.scalar(select(User.id).where(User.username == "benchadmin"))
    app_actor = Actor(user_id=uid, username="benchadmin", role="administrator")

    def page_run(page: str = "employees", **state: object) -> float:
        """Wall time of one run of a page script under AppTest (includes AppTest's own overhead)."""
        at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=120)
        at.session_state["auth_actor"] = app_actor
        for k, v in state.items():
            at.session_state[k] = v
        t0 = time.perf_counter()
        at.run()
        elapsed = time.perf_counter() - t0
        assert not at.exception, at.exception
        return elapsed

    def naive_page_run() -> None:
        frame = naive_all()
        frame.to_json(orient="records")  # what shipping the whole table to the grid costs

    def median_run(page: str = "employees", **state: object) -> float:
        return statistics.median(page_run(page, **state) for _ in range(5))

    page_run()  # warm the imports and caches once
    baseline = median_run("account")  # AppTest's fixed cost, measured on the smallest page
    naive_app = _timed(naive_page_run, 3) + baseline
    for label, state in (
        ("open", {}),
        ("search", {"employees_search": "uwiman"}),
        ("page 1000", {"employees_page": 1000}),
    ):
        gross = median_run(**state)
        figures.append(
            (f"page run: {label} (net of {baseline * 1000:.0f}ms AppTest)", gross - baseline, naive_app - baseline)
        )
    browser = browser_round_trips(rt, tmp)
    figures += browser
    runtime_module.reset_runtime()
    return figures


def browser_round_trips(rt, data_dir: Path) -> list[tuple[str, float, float]]:  # type: ignore[no-untyped-def]
    """A real server on the large database: time from the key press to the grid updated in Chromium."""
    from playwright.sync_api import sync_playwright
    from sqlalchemy import select

    from common.actor import SYSTEM
    from core.services.users import reset_password
    from db.models.auth import User
    from db.session import UnitOfWork

    with rt.sessionmaker() as s:
        uid = s.scalar(select(User.id).where(User.username == "benchadmin"))
    reset_password(UnitOfWork(rt.sessionmaker, SYSTEM), SYSTEM, uid, "Bench-pass-2026")
    port = _port()
    env = {**os.environ, "TWARA_DATA_DIR": str(data_dir), "TWARA_IN_APP_WORKER": "0"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.headless", "true"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    out = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1600})
            url = f"http://127.0.0.1:{port}"
            for _ in range(300):
                try:
                    urllib.request.urlopen(url + "/_stcore/health", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
            page.goto(url)
            page.get_by_label("User name").fill("benchadmin")
            page.get_by_label("Password", exact=True).fill("Bench-pass-2026")
            page.get_by_role("button", name="Log in").click()
            page.get_by_test_id("stSidebarNav").get_by_role("link", name="Employees").click()
            page.get_by_text(re.compile(r"^Page 1 of 2000")).wait_for(timeout=60_000)

            def timed(action, done) -> float:  # type: ignore[no-untyped-def]
                t0 = time.perf_counter()
                action()
                done()
                return time.perf_counter() - t0

            nxt = timed(
                lambda: page.get_by_role("button", name="Next").click(),
                lambda: page.get_by_text(re.compile(r"^Page 2 of 2000")).wait_for(timeout=60_000),
            )
            box = page.get_by_role("textbox", name="Search")
            box.fill("uwimana")
            search = timed(
                lambda: box.press("Enter"),
                lambda: page.get_by_text(re.compile(r"^Page 1 of \d+ · (?!100,000)")).wait_for(timeout=60_000),
            )
            browser.close()
        out = [
            ("browser: next page (round trip)", nxt, float("nan")),
            ("browser: search (round trip)", search, float("nan")),
        ]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return out


def run(rows: int = 100_000) -> int:
    print("Twara foundation benchmark (2 cores); medians of repeated runs\n")
    print("Start-up (launch -> login screen in Chromium):")
    data = Path(tempfile.mkdtemp(prefix="twara-start-")) / "data"
    cold = start_to_login(data)
    warm = statistics.median(start_to_login(data) for _ in range(3))
    print(f"  cold start (new data folder): {cold:6.2f} s   target < 15 s   {'OK' if cold < 15 else 'SLOW'}")
    print(f"  warm start (median of 3):     {warm:6.2f} s   target <  5 s   {'OK' if warm < 5 else 'SLOW'}")
    print(f"  ratio cold/warm: {cold / warm:.1f}x\n")
    print(f"Employees catalog with {rows:,} rows (server time per interaction):")
    figures = catalog_figures(rows)
    print(f"  {'interaction':46} {'Twara':>9} {'naive':>9} {'naive/Twara':>11}")
    worst = 0.0
    for name, ours, naive in figures:
        browser = name.startswith("browser")
        if not browser:
            worst = max(worst, ours)
        naive_text = "" if browser else f"{naive * 1000:7.1f}ms"
        ratio = "" if browser else f"{naive / ours:10.1f}x"
        verdict = "(user-visible, not a server figure)" if browser else ("OK" if ours < 0.5 else "SLOW")
        print(f"  {name:46} {ours * 1000:7.1f}ms {naive_text:>9} {ratio:>11}  {verdict}")
    print(f"  worst server time {worst * 1000:.1f} ms, target < 500 ms")
    ok = cold < 15 and warm < 5 and worst < 0.5
    print("\nall targets met" if ok else "\nSOME TARGETS MISSED")
    return 0 if ok else 1
