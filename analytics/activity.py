"""Work recorded per day and person: the activity log as a report (read side)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics.duck import connect, sql


def run(conninfo: str, first: dt.date, last: dt.date, timezone: str = "Africa/Kigali") -> pd.DataFrame:
    """Columns: day, username, actions, changes."""
    return connect(conninfo).execute(sql("activity_by_day"), [first, last, timezone]).df()
