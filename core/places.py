"""Places and distances (SPEC T2): what a place is, how far apart two places are when nobody
has measured the road. No database.

A distance between two places comes, in this order, from the company's own distance table,
from a routing server, or from an estimate: the great-circle (haversine) distance times a
road factor, driven at an average speed. Both numbers are company settings
(`transport.road_factor`, `transport.average_speed_kmh`) handed in as arguments. Every
distance says which of these it is (`DistanceInfo.source`), and an estimate says so on every
screen and document that shows it (`distance_text`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel import Locale

from common.i18n import N_, format_decimal, translate

PLACE_KINDS = ("town", "depot", "client_site", "border_post", "port")
KIND_LABELS = {
    "town": N_("Town"),
    "depot": N_("Depot"),
    "client_site": N_("Client site"),
    "border_post": N_("Border post"),
    "port": N_("Port"),
}

TABLE, ROUTING, ESTIMATE, SAME = "table", "routing", "estimate", "same"
STORED_SOURCES = (TABLE, ROUTING)  # an estimate is worked out each time, never stored
SOURCE_LABELS = {
    TABLE: N_("Company table"),
    ROUTING: N_("Routing server"),
    ESTIMATE: N_("Estimate"),
    SAME: N_("Same place"),
}
ESTIMATE_NOTE = N_(
    "Estimated distance: the straight line between the places times the road factor, not measured on the road."
)

EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG)
KM_STEP = Decimal("0.1")
HOURS_STEP = Decimal("0.01")
COORD_STEP = Decimal("0.000001")  # about 11 cm: more than any map a dispatcher reads
MAX_KM = Decimal(10000)  # further than any road trip of an East African haulier
MAX_HOURS = Decimal(300)
MAX_AVERAGE_KMH = Decimal(120)  # a truck's typical hours cannot mean a faster average than this
NAME_MAX = 120
REGION_MAX = 80

# the countries a Rwandan haulier drives to, first in pickers and named in both languages;
# any other ISO 3166 alpha-2 code is accepted too, named as Babel names it in English
COUNTRY_LABELS = {
    "RW": N_("Rwanda"),
    "UG": N_("Uganda"),
    "TZ": N_("Tanzania"),
    "KE": N_("Kenya"),
    "CD": N_("DR Congo"),
    "BI": N_("Burundi"),
    "SS": N_("South Sudan"),
    "ZM": N_("Zambia"),
    "MW": N_("Malawi"),
    "MZ": N_("Mozambique"),
    "ET": N_("Ethiopia"),
}
_ENGLISH = Locale("en").territories
_NOT_COUNTRIES = frozenset({"AC", "CP", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"})
ISO_COUNTRIES: dict[str, str] = {
    code: _ENGLISH[code]
    for code in sorted(_ENGLISH)
    if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
}


class RuleError(ValueError):
    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


@dataclass(frozen=True)
class Point:
    latitude: Decimal
    longitude: Decimal


@dataclass(frozen=True)
class DistanceInfo:
    """How far, how long, and where the numbers come from (table, routing, estimate, same)."""

    km: Decimal
    hours: Decimal
    source: str
    hours_estimated: bool = False  # the table gives the km only: hours are km / average speed

    @property
    def is_estimate(self) -> bool:
        return self.source == ESTIMATE


# ---- what a place is ----------------------------------------------------------------


def clean_name(raw: str) -> str:
    name = " ".join(raw.split())
    if not name:
        raise RuleError(N_("Enter a name."))
    if len(name) > NAME_MAX:
        raise RuleError(N_("Too long (at most {n} characters)."), n=NAME_MAX)
    return name


def check_kind(kind: str) -> str:
    if kind not in PLACE_KINDS:
        raise RuleError(N_("Choose the kind of place."))
    return kind


def clean_country(raw: str) -> str:
    code = raw.strip().upper()
    if code not in ISO_COUNTRIES:
        raise RuleError(N_("Write the country as its two-letter ISO code, such as RW, UG or TZ."))
    return code


def country_name(code: str, lang: str) -> str:
    """The country as the reader names it: ours in both languages, the others in English."""
    if code in COUNTRY_LABELS:
        return translate(COUNTRY_LABELS[code], lang)
    return ISO_COUNTRIES.get(code, code)


_NUMBER = r"(\d+(?:[.,]\d+)?)"
_DMS = re.compile(
    rf"^{_NUMBER}\s*°\s*(?:{_NUMBER}\s*['′’]\s*)?(?:{_NUMBER}\s*(?:\"|″|”|''|′′)\s*)?([NSEW])?$", re.IGNORECASE
)
_DECIMAL = re.compile(r"^([-+−]?\s*\d+(?:[.,]\d+)?)\s*°?\s*([NSEW])?$", re.IGNORECASE)
_AXES = {
    "latitude": (
        Decimal(90),
        "NS",
        N_("Enter the latitude."),
        N_("A latitude is between -90 and 90 (south is negative), such as -1.9441."),
    ),
    "longitude": (
        Decimal(180),
        "EW",
        N_("Enter the longitude."),
        N_("A longitude is between -180 and 180 (west is negative), such as 30.0619."),
    ),
}


def _number(raw: str) -> Decimal:
    return Decimal(raw.replace(",", ".").replace("−", "-").replace(" ", ""))


def parse_coordinate(raw: str | Decimal | float, axis: str) -> Decimal:
    """A latitude or longitude in decimal degrees (-1.9441, or 1.9441 S) or in degrees, minutes
    and seconds (1°56′38″S); a comma may be the decimal mark. Kept to 6 decimals."""
    limit, hemispheres, missing, message = _AXES[axis]
    text = str(raw).strip()
    if not text:
        raise RuleError(missing)
    try:
        dms, plain = _DMS.match(text), _DECIMAL.match(text)
        if dms:
            value = _number(dms[1]) + _number(dms[2] or "0") / 60 + _number(dms[3] or "0") / 3600
            letter = (dms[4] or "").upper()
        elif plain:
            value, letter = _number(plain[1]), (plain[2] or "").upper()
        else:
            raise RuleError(message)
    except InvalidOperation as exc:
        raise RuleError(message) from exc
    if letter and (letter not in hemispheres or value < 0):  # "-1.9 N" says south and north at once
        raise RuleError(message)
    if letter in ("S", "W"):
        value = -value
    if not value.is_finite() or abs(value) > limit:
        raise RuleError(message)
    return value.quantize(COORD_STEP, rounding=ROUND_HALF_UP)


# ---- distances ----------------------------------------------------------------------


def parse_km(raw: str | Decimal | int | float) -> Decimal:
    """Road kilometres: more than 0 and at most MAX_KM, to one decimal ("1,300" is 1300)."""
    text = str(raw).strip().replace(" ", "")
    if not text:
        raise RuleError(N_("Enter the distance in km."))
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", text):
        text = text.replace(",", "")  # thousands written with commas
    try:
        km = Decimal(text.replace(",", "."))
    except InvalidOperation as exc:
        raise RuleError(N_("Enter a number.")) from exc
    if not km.is_finite() or km <= 0 or km > MAX_KM:
        raise RuleError(N_("The distance is more than 0 and at most {most} km."), most=MAX_KM)
    return km.quantize(KM_STEP, rounding=ROUND_HALF_UP)


def parse_hours(raw: str | Decimal | int | float | None) -> Decimal | None:
    """Typical driving hours: 3.5 or 3:30; empty when unknown (worked out from the km)."""
    text = "" if raw is None else str(raw).strip()
    if not text:
        return None
    clock = re.fullmatch(r"(\d{1,3}):([0-5]\d)", text)
    try:
        hours = Decimal(clock[1]) + Decimal(clock[2]) / 60 if clock else Decimal(text.replace(",", "."))
    except InvalidOperation as exc:
        raise RuleError(N_("Write the hours as 3.5 or 3:30.")) from exc
    if not hours.is_finite() or hours <= 0 or hours > MAX_HOURS:
        raise RuleError(N_("The time is more than 0 and at most {most} hours."), most=MAX_HOURS)
    return hours.quantize(HOURS_STEP, rounding=ROUND_HALF_UP)


def check_pace(km: Decimal, hours: Decimal | None) -> None:
    """Typical hours that would mean driving faster than MAX_AVERAGE_KMH are a typing error."""
    if hours is not None and km / hours > MAX_AVERAGE_KMH:
        raise RuleError(
            N_("{km} km in {hours} h is faster than {speed} km/h on average; check the hours."),
            km=km,
            hours=hours,
            speed=MAX_AVERAGE_KMH,
        )


def great_circle_km(a: Point, b: Point) -> Decimal:
    """The haversine distance over the Earth's mean radius, to 0.1 km."""
    lat1, lon1, lat2, lon2 = (math.radians(float(v)) for v in (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    km = 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
    return Decimal(str(km)).quantize(KM_STEP, rounding=ROUND_HALF_UP)


def hours_at(km: Decimal, speed_kmh: Decimal) -> Decimal:
    """Driving hours for `km` at an average speed (a company setting)."""
    if speed_kmh <= 0:
        raise RuleError(N_("The average speed must be more than 0 km/h."))
    return (km / speed_kmh).quantize(HOURS_STEP, rounding=ROUND_HALF_UP)


def estimate(a: Point, b: Point, road_factor: Decimal, speed_kmh: Decimal) -> DistanceInfo:
    """Great-circle km times the road factor (roads wind: about 1.3 on the plains, more in
    Rwanda's hills), driven at the average speed."""
    if road_factor < 1:
        raise RuleError(N_("The road factor is at least 1: no road is shorter than the straight line."))
    km = (great_circle_km(a, b) * road_factor).quantize(KM_STEP, rounding=ROUND_HALF_UP)
    return DistanceInfo(km=km, hours=hours_at(km, speed_kmh), source=ESTIMATE)


def from_table(km: Decimal, hours: Decimal | None, speed_kmh: Decimal, source: str = TABLE) -> DistanceInfo:
    """A stored distance; with no typical hours, the hours at the average speed."""
    if hours is None:
        return DistanceInfo(km=km, hours=hours_at(km, speed_kmh), source=source, hours_estimated=True)
    return DistanceInfo(km=km, hours=hours, source=source)


def distance_text(info: DistanceInfo, lang: str) -> str:
    """A distance as a quote or a waybill prints it, saying where it comes from: an estimate
    is marked as such ("≈ 188 km, 4.2 h (estimate)")."""
    km = format_decimal(info.km, lang, places=0 if info.km == info.km.to_integral_value() else 1)
    hours = format_decimal(info.hours.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), lang)
    source = translate(SOURCE_LABELS[info.source], lang)
    if info.is_estimate:
        return translate(N_("≈ {km} km, {hours} h ({source})"), lang, km=km, hours=hours, source=source.lower())
    return translate(N_("{km} km, {hours} h ({source})"), lang, km=km, hours=hours, source=source.lower())
