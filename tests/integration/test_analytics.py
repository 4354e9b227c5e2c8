"""DuckDB reads the live PostgreSQL through the bundled extension, read-only."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from sqlalchemy import create_engine, text

from analytics.activity import run
from analytics.duck import connect
from db.session import engine_for
from demo.load import load_demo
from tests.conftest import fresh_database


@pytest.fixture(scope="module")
def demo_db(database):  # type: ignore[no-untyped-def]
    location = fresh_database(database, "twara_analytics")
    load_demo(engine_for(location.sqlalchemy_url)[1], "small")
    return location


def test_activity_per_day_matches_the_log(demo_db):
    today = dt.datetime.now(dt.UTC).date()
    report = run(demo_db.conninfo, today - dt.timedelta(days=1), today + dt.timedelta(days=1), "UTC")
    engine = create_engine(demo_db.sqlalchemy_url)
    with engine.connect() as conn:
        expected = conn.execute(text("SELECT count(*) FROM activity_log")).scalar()
        created = conn.execute(text("SELECT count(*) FROM employee")).scalar()
    engine.dispose()
    assert int(report["actions"].sum()) == expected
    system = report[report["username"] == "system"]
    assert int(system["changes"].sum()) >= created  # every demo employee was logged as created


def test_a_period_without_activity_is_empty(demo_db):
    report = run(demo_db.conninfo, dt.date(2020, 1, 1), dt.date(2020, 1, 31))
    assert report.empty


def test_analytics_cannot_write(demo_db):
    with pytest.raises(duckdb.Error):
        connect(demo_db.conninfo).execute("DELETE FROM pg.public.employee")
