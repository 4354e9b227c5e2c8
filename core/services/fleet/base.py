"""What the fleet's use cases share: the clock of a timestamp, loading a unit, reading a
number typed in a form, and the settings several jobs read (warn days, maintenance leads).
Internal to the package: other areas use `core.services.fleet`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from sqlalchemy.orm import Session

from common.errors import FieldErrors, NotFound
from common.i18n import N_
from core.services.settings import get_int, get_param
from db.models.fleet import Vehicle
from db.session import UnitOfWork

POWER_UNITS = ("tractor", "truck", "van")


def now() -> dt.datetime:
    """The moment of a timestamp (a reading, an archive date); days come from the company."""
    return dt.datetime.now(dt.UTC)


def load_unit(uow: UnitOfWork, unit_id: int, lock: bool = False) -> Vehicle:
    unit = uow.session.get(Vehicle, unit_id, with_for_update=lock)
    if unit is None:
        raise NotFound(N_("This vehicle does not exist."))
    return unit


def parse_decimal(
    raw: str | Decimal | None, errors: FieldErrors, field_name: str, low: Decimal, high: Decimal
) -> Decimal | None:
    if raw is None or str(raw).strip() == "":
        return None
    try:
        value = Decimal(str(raw).replace(",", "").strip())
    except InvalidOperation:
        errors.add(field_name, N_("Enter a number."))
        return None
    if not value.is_finite() or value < low or value > high:
        errors.add(field_name, N_("Enter a number between {low} and {high}."), low=low, high=high)
        return None
    return value


def parse_int(raw: int | str | None, errors: FieldErrors, field_name: str, low: int, high: int) -> int | None:
    if raw is None or str(raw).strip() == "":
        return None
    try:
        value = int(str(raw).strip())
    except ValueError:
        errors.add(field_name, N_("Enter a whole number."))
        return None
    if value < low or value > high:
        errors.add(field_name, N_("Enter a number between {low} and {high}."), low=low, high=high)
        return None
    return value


def expiring_warn_days(session: Session) -> int:
    """How many days before its end a document shows as expiring (a company setting)."""
    return get_int(session, "fleet.expiring_warn_days")


def maintenance_leads(session: Session) -> tuple[int, int]:
    """(kilometres, days) before a maintenance point at which a plan shows as due: the
    kilometres are a setting; the days are the longest reminder lead, at most 30."""
    lead_km = get_int(session, "fleet.maintenance_lead_km")
    leads = get_param(session, "reminders.lead_days")
    lead_days = max(leads) if isinstance(leads, tuple) and leads else 14
    return lead_km, min(lead_days, 30)
