"""Work recorded per day and person: the activity log as a report (read side)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics.duck import connect, sql
from common.calendar import DEFAULT_ZONE


def run(conninfo: str, first: dt.date, last: dt.date, timezone: str = DEFAULT_ZONE) -> pd.DataFrame:
    """Columns: day, username, actions, changes."""
    return connect(conninfo).execute(sql("activity_by_day"), [first, last, timezone]).df()
