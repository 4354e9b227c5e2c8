"""Browser tests: the real app (streamlit run) on a database of its own, driven in Debian's Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, fresh_database

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = ROOT / "artifacts"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: .ci/run installs Debian's chromium package")
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    return CHROMIUM


@pytest.fixture(scope="session")
def app_url(database, chromium_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    location = fresh_database(database, "twara_e2e")
    yield from _serve(location, "e2e-app.log")


@pytest.fixture(scope="session")
def demo_db(database):  # type: ignore[no-untyped-def]
    """A database with the small demo company (users, fleet, drivers)."""
    from db.session import engine_for
    from demo.load import load_demo

    location = fresh_database(database, "twara_e2e_demo")
    load_demo(engine_for(location.sqlalchemy_url)[1], "small")
    return location


@pytest.fixture(scope="session")
def demo_url(demo_db, chromium_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    yield from _serve(demo_db, "e2e-demo-app.log")


def _serve(location, log_name: str) -> Iterator[str]:  # type: ignore[no-untyped-def]
    port = _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = (ARTIFACTS / log_name).open("w")
    env = {**os.environ, "DATABASE_URL": location.conninfo, "TWARA_IN_APP_WORKER": "1"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail(f"the app did not start; see artifacts/{log_name}")
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture
def page(chromium_path):  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=20_000)  # a 2-core machine running the whole suite is slow at times

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1800})
        pg = context.new_page()
        pg.set_default_timeout(20_000)
        yield pg
        ARTIFACTS.mkdir(exist_ok=True)
        try:
            pg.screenshot(path=str(ARTIFACTS / "e2e-last.png"))
        except Exception:
            pass
        browser.close()
