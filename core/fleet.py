"""Fleet rules (SPEC F1-F5): plates, VINs, licence categories, odometer order, document
status, expiry thresholds, maintenance due, fuel norms, and the dispatch check. No database."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from common.i18n import N_

VIN_RE = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")
PLATE_RE = re.compile(r"^[A-Z0-9]{3,10}$")
LICENCE_CATEGORIES = ("A1", "A", "B", "BE", "C1", "C1E", "C", "CE", "D1", "D1E", "D", "DE", "F")
QUALIFICATIONS = {
    "dangerous_goods": N_("Dangerous goods (ADR)"),
    "refrigerated": N_("Refrigerated cargo"),
    "international": N_("International transport"),
    "heavy_load": N_("Abnormal and heavy loads"),
}
# a category also allows driving what these categories allow (EU directive 2006/126 equivalences)
_COVERS: dict[str, set[str]] = {
    "A": {"A1"},
    "BE": {"B"},
    "C1": {"B"},
    "C1E": {"C1", "BE", "B"},
    "C": {"C1", "B"},
    "CE": {"C", "C1", "C1E", "BE", "B"},
    "D1": {"B"},
    "D1E": {"D1", "BE", "B"},
    "D": {"D1", "B"},
    "DE": {"D", "D1", "D1E", "BE", "B"},
}
UNIT_LABELS = {"tractor": N_("Tractor"), "truck": N_("Truck"), "van": N_("Van"), "trailer": N_("Trailer")}
STATUS_LABELS = {"active": N_("Active"), "in_repair": N_("In repair"), "reserved": N_("Reserved"), "sold": N_("Sold")}
FUEL_LABELS = {"diesel": N_("Diesel"), "petrol": N_("Petrol"), "electric": N_("Electric"), "none": N_("None")}
MEDICAL_LABELS = {
    "fit": N_("Fit"),
    "restricted": N_("Fit with restrictions"),
    "unfit": N_("Unfit"),
    "unknown": N_("Not known"),
}
DEFAULT_LICENCE = {"van": "B", "truck": "C", "tractor": "C", "trailer": None}


class RuleError(ValueError):
    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


def normalize_plate(raw: str) -> str:
    """Plates are kept upper-case with single spaces (RAB 123 A); compared without spaces."""
    plate = " ".join(raw.upper().split())
    if not PLATE_RE.match(plate_key(plate)) or re.search(r"[^A-Z0-9 -]", plate):
        raise RuleError(N_("A plate has 3 to 10 letters and digits, for example RAB 123 A."))
    return plate


def plate_key(plate: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", plate.upper())


def normalize_vin(raw: str) -> str:
    vin = raw.strip().upper().replace(" ", "")
    if not VIN_RE.match(vin):
        raise RuleError(N_("A VIN has exactly 17 letters and digits, without I, O or Q."))
    return vin


def parse_categories(raw: list[str] | str) -> list[str]:
    items = raw.replace(";", ",").split(",") if isinstance(raw, str) else raw
    cats = []
    for item in items:
        code = item.strip().upper()
        if not code:
            continue
        if code not in LICENCE_CATEGORIES:
            raise RuleError(
                N_("{code} is not a licence category. Known: {known}."), code=code, known=", ".join(LICENCE_CATEGORIES)
            )
        if code not in cats:
            cats.append(code)
    if not cats:
        raise RuleError(N_("Give at least one licence category."))
    return sorted(cats, key=LICENCE_CATEGORIES.index)


def allowed_categories(held: list[str]) -> set[str]:
    out: set[str] = set()
    for cat in held:
        out.add(cat)
        out |= _COVERS.get(cat, set())
    return out


def needed_category(
    unit_licence: str | None, trailer_kg: int | None, heavy_trailer_kg: int, has_trailer: bool = True
) -> str | None:
    """The category a combination needs: a heavy trailer (or one of unknown weight) adds E."""
    if unit_licence is None or not has_trailer:
        return unit_licence
    heavy = trailer_kg is None or trailer_kg > heavy_trailer_kg  # an unknown weight counts as heavy
    if heavy and not unit_licence.endswith("E"):
        return unit_licence + "E"
    return unit_licence


def odometer_problem(km: int, previous_km: int | None, next_km: int | None) -> str | None:
    """A reading must not be below an earlier one nor above a later one."""
    if km < 0:
        return N_("The odometer cannot be negative.")
    if previous_km is not None and km < previous_km:
        return N_("The reading is below an earlier reading ({km} km).")
    if next_km is not None and km > next_km:
        return N_("The reading is above a later reading ({km} km).")
    return None


DOCUMENT_STATES = ("expired", "expiring", "valid")  # the worst first


def document_status(valid_to: dt.date | None, today: dt.date, warn_days: int) -> str:
    """The one rule of a document's status on a day: "expired" once its last valid day is
    past, "expiring" from `warn_days` before that day through the day itself, "valid"
    before that; "none" with no document (no end date) at all."""
    if valid_to is None:
        return "none"
    if valid_to < today:
        return "expired"
    if (valid_to - today).days <= warn_days:
        return "expiring"
    return "valid"


def worst_document_status(documents: Iterable[tuple[Hashable, dt.date]], today: dt.date, warn_days: int) -> str:
    """The status of a record's documents together: the worst status among the newest
    document of each type (a renewed document replaces the older one of its type); "none"
    without documents. `documents` are (type, valid to) pairs."""
    newest: dict[Hashable, dt.date] = {}
    for type_id, valid_to in documents:
        if type_id not in newest or valid_to > newest[type_id]:
            newest[type_id] = valid_to
    states = [document_status(valid_to, today, warn_days) for valid_to in newest.values()]
    return min(states, key=DOCUMENT_STATES.index) if states else "none"


def expiry_threshold(valid_to: dt.date, today: dt.date, leads: tuple[int, ...]) -> int | None:
    """The tightest reminder threshold reached today (days before the end; -1 once expired).

    With leads 30, 14, 7, 1: 20 days left -> 30; 5 left -> 7; the day after the end -> -1.
    None while no threshold is reached yet.
    """
    days_left = (valid_to - today).days
    if days_left < 0:
        return -1
    reached = [lead for lead in leads if days_left <= lead]
    return min(reached) if reached else None


@dataclass(frozen=True)
class PlanState:
    next_km: int | None
    next_date: dt.date | None
    due: bool
    overdue: bool


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    last = [
        31,
        29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ][month - 1]
    return dt.date(year, month, min(day.day, last))


def renewal_period(valid_from: dt.date | None, valid_to: dt.date) -> tuple[dt.date, dt.date]:
    """The dates a renewal of a document is offered with: from the day after the old one
    ends, for as long as the old one ran: whole months when it ran whole months (a year from
    1 March to 28 February runs again from 1 March to the end of February, leap year or
    not), else as many days; a year when its start is unknown."""
    start = valid_to + dt.timedelta(days=1)
    if valid_from is None or valid_from > valid_to:
        return start, add_months(start, 12) - dt.timedelta(days=1)
    months = (start.year - valid_from.year) * 12 + start.month - valid_from.month
    if months > 0 and add_months(valid_from, months) == start:
        return start, add_months(start, months) - dt.timedelta(days=1)
    return start, start + (valid_to - valid_from)


def maintenance_state(
    every_km: int | None,
    every_months: int | None,
    last_km: int | None,
    last_date: dt.date | None,
    current_km: int,
    today: dt.date,
    lead_km: int,
    lead_days: int,
) -> PlanState:
    """Due when either the kilometres or the time comes within the lead; overdue when past."""
    next_km = (last_km or 0) + every_km if every_km else None
    next_date = add_months(last_date, every_months) if every_months and last_date else None
    overdue = (next_km is not None and current_km >= next_km) or (next_date is not None and today >= next_date)
    due = (
        overdue
        or (next_km is not None and current_km >= next_km - lead_km)
        or (next_date is not None and (next_date - today).days <= lead_days)
    )
    return PlanState(next_km, next_date, due, overdue)


@dataclass(frozen=True)
class FuelNorms:
    base_l_100km: Decimal
    per_tonne_100km: Decimal = Decimal(0)
    trailer_pct: Decimal = Decimal(0)
    winter_pct: Decimal = Decimal(0)
    city_pct: Decimal = Decimal(0)
    hvac_l_per_hour: Decimal = Decimal(0)


def normative_fuel(
    norms: FuelNorms,
    distance_km: Decimal,
    load_t: Decimal = Decimal(0),
    with_trailer: bool = False,
    winter: bool = False,
    city_share: Decimal = Decimal(0),
    hvac_hours: Decimal = Decimal(0),
) -> Decimal:
    """Litres a trip should take by the norms: base and load per 100 km, percentage
    surcharges for a trailer, winter and the city part, plus air conditioning or refrigeration."""
    base = norms.base_l_100km * distance_km / 100
    pct = Decimal(0)
    if with_trailer:
        pct += norms.trailer_pct
    if winter:
        pct += norms.winter_pct
    base += base * pct / 100 + base * city_share * norms.city_pct / 100
    load = norms.per_tonne_100km * load_t * distance_km / 100
    return (base + load + norms.hvac_l_per_hour * hvac_hours).quantize(Decimal("0.01"))


# ---- the dispatch check -------------------------------------------------------------


@dataclass(frozen=True)
class UnitFacts:
    id: int
    plate: str
    unit_type: str
    status: str
    archived: bool
    required_licence: str | None
    payload_kg: int | None = None


@dataclass(frozen=True)
class DocFacts:
    type_id: int
    type_name: str
    valid_from: dt.date | None
    valid_to: dt.date


@dataclass(frozen=True)
class DriverFacts:
    employee_id: int
    name: str
    archived: bool
    licence_categories: tuple[str, ...]
    licence_valid_to: dt.date
    medical_status: str


@dataclass(frozen=True)
class Problem:
    code: str
    message: str  # English msgid
    params: dict[str, Any] = field(default_factory=dict)


STATUS_PROBLEMS = {
    "in_repair": N_("{plate} is in repair."),
    "reserved": N_("{plate} is reserved."),
    "sold": N_("{plate} is sold."),
}


def _unit_problems(
    unit: UnitFacts, docs: list[DocFacts], required: dict[int, str], start: dt.date, end: dt.date
) -> list[Problem]:
    problems = []
    if unit.archived:
        problems.append(Problem("unit_archived", N_("{plate} is archived."), {"plate": unit.plate}))
    if unit.status in STATUS_PROBLEMS:
        problems.append(Problem(f"unit_{unit.status}", STATUS_PROBLEMS[unit.status], {"plate": unit.plate}))
    for type_id, type_name in required.items():
        own = [d for d in docs if d.type_id == type_id]
        covering = [d for d in own if (d.valid_from is None or d.valid_from <= start) and d.valid_to >= end]
        if covering:
            continue
        params: dict[str, Any] = {"plate": unit.plate, "doc": type_name}
        if not own:
            problems.append(Problem("doc_missing", N_("{plate}: no {doc} on file."), params))
            continue
        latest = max(own, key=lambda d: d.valid_to)
        params["date"] = latest.valid_to
        if latest.valid_to < start:
            problems.append(Problem("doc_expired", N_("{plate}: the {doc} expired on {date}."), params))
        elif latest.valid_to < end:
            problems.append(Problem("doc_expires", N_("{plate}: the {doc} ends on {date}, during the trip."), params))
        else:
            problems.append(Problem("doc_not_yet", N_("{plate}: the {doc} is not valid yet at the start."), params))
    return problems


def dispatch_problems(
    unit: UnitFacts,
    unit_docs: list[DocFacts],
    trailer: UnitFacts | None,
    trailer_docs: list[DocFacts],
    driver: DriverFacts,
    driver_docs: list[DocFacts],
    required: dict[str, dict[int, str]],
    start: dt.date,
    end: dt.date,
    heavy_trailer_kg: int,
) -> list[Problem]:
    """Every reason the assignment is not allowed; empty when it is."""
    problems: list[Problem] = []
    if end < start:
        return [Problem("period", N_("The trip ends before it starts."))]
    if unit.unit_type == "trailer":
        problems.append(Problem("unit_is_trailer", N_("{plate} is a trailer, not a vehicle."), {"plate": unit.plate}))
    problems += _unit_problems(unit, unit_docs, required.get("vehicle", {}), start, end)
    if trailer is not None:
        if trailer.unit_type != "trailer":
            problems.append(Problem("trailer_not_trailer", N_("{plate} is not a trailer."), {"plate": trailer.plate}))
        elif unit.unit_type == "van":
            problems.append(Problem("van_trailer", N_("A van does not pull a trailer here.")))
        problems += _unit_problems(trailer, trailer_docs, required.get("trailer", {}), start, end)
    # the driver
    name = {"name": driver.name}
    if driver.archived:
        problems.append(Problem("driver_archived", N_("{name} no longer works here (archived)."), name))
    if driver.licence_valid_to < start:
        problems.append(
            Problem(
                "licence_expired",
                N_("{name}'s driving licence expired on {date}."),
                {**name, "date": driver.licence_valid_to},
            )
        )
    elif driver.licence_valid_to < end:
        problems.append(
            Problem(
                "licence_expires",
                N_("{name}'s driving licence ends on {date}, during the trip."),
                {**name, "date": driver.licence_valid_to},
            )
        )
    if driver.medical_status == "unfit":
        problems.append(Problem("medical_unfit", N_("{name} is medically unfit to drive."), name))
    needed = needed_category(
        unit.required_licence, trailer.payload_kg if trailer else None, heavy_trailer_kg, trailer is not None
    )
    if needed and needed not in allowed_categories(list(driver.licence_categories)):
        problems.append(
            Problem(
                "licence_category",
                N_("{name}'s licence ({held}) does not cover category {needed}."),
                {**name, "held": ", ".join(driver.licence_categories) or "-", "needed": needed},
            )
        )
    driver_required = required.get("driver", {})
    driver_unit = UnitFacts(driver.employee_id, driver.name, "driver", "active", False, None)
    for p in _unit_problems(driver_unit, driver_docs, driver_required, start, end):
        problems.append(Problem(p.code, p.message, {**p.params, "plate": driver.name}))
    return problems
