"""The company's time zone and day: the one answer every service and scan uses (the server's
clock may be on UTC). Re-exported by core.services.settings, where the company is edited."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from common.calendar import today_in, zone_of
from db.models.settings import CompanyProfile


def company_zone(session: Session) -> ZoneInfo:
    """The company's time zone: a day on a plan or a due date is the company's day."""
    company = session.get(CompanyProfile, 1)
    return zone_of(company.timezone if company is not None else None)


def company_today(session: Session) -> dt.date:
    """Today in the company's time zone: the one answer every service and scan uses for
    "today" when it is not given a day (the server's clock may be on UTC)."""
    return today_in(company_zone(session))
