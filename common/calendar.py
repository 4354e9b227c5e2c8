"""The company's day. Dates a person sees (due dates, plans, "not in the past") are days in
the company's time zone, never the server's clock, which may well run on UTC."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "Africa/Kigali"  # a new company's time zone, until Settings says otherwise


def zone_of(name: str | None) -> ZoneInfo:
    return ZoneInfo(name or DEFAULT_ZONE)


def today_in(zone: ZoneInfo | str, now: dt.datetime | None = None) -> dt.date:
    """The date it is in `zone` at `now` (default: this moment)."""
    tz = zone if isinstance(zone, ZoneInfo) else zone_of(zone)
    return (now or dt.datetime.now(dt.UTC)).astimezone(tz).date()
