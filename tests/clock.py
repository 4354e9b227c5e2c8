"""The one clock the tests read.

Every test takes its moments and days from here: NOW once, and TODAY as the company's day at
NOW (the services' "today" is the company's day, which from 22:00 UTC is already tomorrow in
Kigali). Never `dt.date.today()` (the server's day) or a UTC date where a company day is
meant. The whole suite can be run at any chosen moment under libfaketime, which moves the
clock of the tests, the app and the PostgreSQL server they start alike:

    faketime -f "@2026-12-01 21:30:00" pytest      # UTC; 23:30 in Kigali
    TZ=UTC faketime -f "@2026-12-01 21:59:00" pytest   # 23:59 in Kigali
"""

from __future__ import annotations

import datetime as dt

from common.calendar import DEFAULT_ZONE, zone_of

ZONE = zone_of(DEFAULT_ZONE)
NOW = dt.datetime.now(dt.UTC)
TODAY = NOW.astimezone(ZONE).date()


def company_day(moment: dt.datetime) -> dt.date:
    """The company's day at `moment`."""
    return moment.astimezone(ZONE).date()
