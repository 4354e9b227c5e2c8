"""Price lists (SPEC C6): the lists, their lines and surcharges, the facts of an order that
pricing reads, which line of a list matches an order, and the checks a service runs before it
saves a line (its fields, and overlaps with the other lines). No database; `core.pricing`
prices an order over these.

The rules, stated once:
- A price list has a currency and a validity period; its lines are keyed by service, route
  (a place pair, a zone pair, or any route), vehicle category (or any) and body type (or any),
  each with its own optional validity inside the list's. Periods include both end days; an
  open end runs on. Routes are directed: Kigali -> Kampala and Kampala -> Kigali are two lines.
- The most specific matching line wins: first by route (the exact place pair over the zone
  pair over any route), then by vehicle category (a given one over any), then by body type (a
  given one over any). A line whose route, category or body type is given and differs does
  not match. Body types compare without case or extra spaces.
- Two lines of one list with the same key (service, route, vehicle category, body type; the
  unit is not part of it: one key has one price) whose periods share a day overlap:
  `find_overlaps` and `overlaps_with` name them for the service's message, and the database
  refuses them too. Should they meet anyway, the one starting later wins.
- The units a service may be priced by are `SERVICE_UNITS`: a transport service per km,
  tonne-km, tonne, pallet or trip; waiting per hour; an extra stop per stop; loading per
  tonne, pallet or trip.

Speed: each list indexes its lines once, when it is built, by (service, route key), each bucket
ordered most specific first; matching an order is a few dictionary lookups and a short walk of
one bucket, never a scan of the list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from common.errors import DomainError, FieldErrors
from common.i18n import N_
from core.money import Money, check_currency

SERVICES: dict[str, str] = {
    "ftl": N_("Full truckload (FTL)"),
    "ltl": N_("Groupage (LTL)"),
    "container": N_("Container"),
    "distribution": N_("Distribution"),
    "waiting": N_("Waiting"),
    "extra_stop": N_("Extra stop"),
    "loading": N_("Loading"),
}
MAIN_SERVICES = ("ftl", "ltl", "container", "distribution")
FREIGHT_SERVICES = frozenset((*MAIN_SERVICES, "extra_stop"))  # the base of the surcharges
UNITS: dict[str, str] = {
    "km": N_("per km"),
    "tonne_km": N_("per tonne-km"),
    "tonne": N_("per tonne"),
    "pallet": N_("per pallet"),
    "trip": N_("per trip"),
    "waiting_hour": N_("per hour of waiting"),
    "stop": N_("per extra stop"),
}
_MAIN_UNITS = ("km", "tonne_km", "tonne", "pallet", "trip")
SERVICE_UNITS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(MAIN_SERVICES, _MAIN_UNITS),
    "waiting": ("waiting_hour",),
    "extra_stop": ("stop",),
    "loading": ("tonne", "pallet", "trip"),
}
SURCHARGES: dict[str, str] = {
    "fuel": N_("Fuel surcharge"),
    "dangerous": N_("Dangerous goods surcharge"),
    "temperature": N_("Temperature-controlled surcharge"),
    "night_weekend": N_("Night or weekend surcharge"),
}
LEVELS: dict[str, str] = {
    "client": N_("the client's list"),
    "category": N_("the client category's list"),
    "default": N_("the default list"),
}
ZERO = Decimal(0)
_HUNDRED = Decimal(100)

RouteKey = tuple[str, int | None, int | None]  # ("place", from, to) | ("zone", from, to) | ("any", None, None)
ANY_ROUTE: RouteKey = ("any", None, None)


def body_key(body_type: str | None) -> str | None:
    """Body types are compared without case and extra spaces ("Reefer" is "reefer ")."""
    if body_type is None:
        return None
    key = " ".join(body_type.split()).casefold()
    return key or None


@dataclass(frozen=True, slots=True)
class PriceLine:
    id: int
    service: str
    unit: str
    rate: Decimal
    minimum: Decimal = ZERO
    from_place: int | None = None
    to_place: int | None = None
    from_zone: int | None = None
    to_zone: int | None = None
    vehicle_category: int | None = None
    body_type: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    @property
    def route_key(self) -> RouteKey:
        if self.from_place is not None or self.to_place is not None:
            return ("place", self.from_place, self.to_place)
        if self.from_zone is not None or self.to_zone is not None:
            return ("zone", self.from_zone, self.to_zone)
        return ANY_ROUTE

    @property
    def key(self) -> tuple[object, ...]:
        """What two lines of one list must not share on the same day."""
        return (self.service, self.route_key, self.vehicle_category, body_key(self.body_type))

    @property
    def specificity(self) -> tuple[int, bool, bool]:
        level = {"place": 2, "zone": 1, "any": 0}[self.route_key[0]]
        return (level, self.vehicle_category is not None, body_key(self.body_type) is not None)


@dataclass(frozen=True, slots=True)
class FuelSurcharge:
    """Diesel-indexed: `share_pct` of the freight follows the diesel price against `base_price`."""

    base_price: Money
    share_pct: Decimal
    rebate: bool = False


@dataclass(frozen=True, slots=True)
class Surcharges:
    fuel: FuelSurcharge | None = None
    dangerous_pct: Decimal = ZERO
    temperature_pct: Decimal = ZERO
    night_weekend_pct: Decimal = ZERO


@dataclass(frozen=True)
class PriceList:
    id: int
    name: str
    currency: str
    valid_from: dt.date
    valid_to: dt.date | None = None
    lines: tuple[PriceLine, ...] = ()
    surcharges: Surcharges = Surcharges()
    _index: dict[tuple[str, RouteKey], tuple[PriceLine, ...]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        check_currency(self.currency)
        buckets: dict[tuple[str, RouteKey], list[PriceLine]] = {}
        for line in self.lines:
            buckets.setdefault((line.service, line.route_key), []).append(line)
        for bucket_key, bucket in buckets.items():
            # most specific first; among equals the newest first (overlaps are refused anyway)
            bucket.sort(key=lambda ln: (ln.specificity, ln.valid_from or dt.date.min), reverse=True)
            self._index[bucket_key] = tuple(bucket)

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def line_period(self, line: PriceLine) -> tuple[dt.date, dt.date | None]:
        """A line's validity inside the list's: the later start, the earlier end."""
        start = max(self.valid_from, line.valid_from) if line.valid_from else self.valid_from
        ends = [d for d in (self.valid_to, line.valid_to) if d is not None]
        return start, (min(ends) if ends else None)

    def match(self, service: str, order: OrderFacts) -> PriceLine | None:
        """The most specific line of this list pricing `service` for the order on its day."""
        day, body = order.day, body_key(order.body_type)
        for route in order.route_keys:
            for line in self._index.get((service, route), ()):
                if line.vehicle_category is not None and line.vehicle_category != order.vehicle_category:
                    continue
                if line.body_type is not None and body_key(line.body_type) != body:
                    continue
                if (line.valid_from is None or line.valid_from <= day) and (
                    line.valid_to is None or day <= line.valid_to
                ):
                    return line
        return None


@dataclass(frozen=True)
class ListChain:
    """The lists that may price one client's orders: its own, its category's, the default."""

    client: tuple[PriceList, ...] = ()
    category: tuple[PriceList, ...] = ()
    default: tuple[PriceList, ...] = ()
    _ordered: tuple[tuple[str, PriceList], ...] = field(init=False, repr=False, compare=False, default=())

    def __post_init__(self) -> None:
        ordered: list[tuple[str, PriceList]] = []
        for level, lists in (("client", self.client), ("category", self.category), ("default", self.default)):
            ordered += [(level, p) for p in sorted(lists, key=lambda p: p.valid_from, reverse=True)]
        object.__setattr__(self, "_ordered", tuple(ordered))

    def levels(self, day: dt.date) -> list[tuple[str, PriceList]]:
        """The lists valid on `day` in the order they are searched (each level's newest first),
        with their level."""
        return [pair for pair in self._ordered if pair[1].valid_on(day)]


@dataclass(frozen=True, slots=True)
class Place:
    id: int
    name: str
    zone_id: int | None = None


@dataclass(frozen=True)
class OrderFacts:
    """What pricing needs of an order, as the service loads it."""

    client_id: int
    client_name: str
    day: dt.date  # the day the price is taken for (the requested pick-up day)
    service: str
    origin: Place
    destination: Place
    distance_km: Decimal
    weight_kg: Decimal = ZERO
    pallets: int = 0
    vehicle_category: int | None = None
    vehicle_category_name: str = ""
    body_type: str | None = None
    extra_stops: int = 0
    waiting_hours: Decimal = ZERO
    loading: bool = False
    dangerous: bool = False
    temperature_controlled: bool = False
    night_or_weekend: bool = False
    order_id: int | None = None

    @property
    def route_keys(self) -> tuple[RouteKey, ...]:
        """The routes a line may be keyed by, most specific first."""
        keys: list[RouteKey] = [("place", self.origin.id, self.destination.id)]
        if self.origin.zone_id is not None and self.destination.zone_id is not None:
            keys.append(("zone", self.origin.zone_id, self.destination.zone_id))
        keys.append(ANY_ROUTE)
        return tuple(keys)

    def needed_services(self) -> list[str]:
        out = [self.service]
        if self.extra_stops > 0:
            out.append("extra_stop")
        if self.waiting_hours > 0:
            out.append("waiting")
        if self.loading:
            out.append("loading")
        return out


def is_night_or_weekend(
    at: dt.datetime, night_starts: dt.time, night_ends: dt.time, weekend_days: frozenset[int] = frozenset({5, 6})
) -> bool:
    """Whether a pick-up at `at` (in the company's time zone) takes the night or weekend
    surcharge: on a weekend day (Monday is 0, so Saturday and Sunday are 5 and 6) or in the
    night hours, which may run over midnight (22:00 to 06:00)."""
    if at.weekday() in weekend_days:
        return True
    moment = at.time()
    if night_starts <= night_ends:
        return night_starts <= moment < night_ends
    return moment >= night_starts or moment < night_ends


# ---- checks before a line is saved ----------------------------------------------------

_UNIT_RULES = {
    "waiting": N_("Waiting is priced per hour of waiting."),
    "extra_stop": N_("An extra stop is priced per extra stop."),
    "loading": N_("Loading is priced per tonne, per pallet or per trip."),
}
_MAIN_UNIT_RULE = N_("A transport service is priced per km, per tonne-km, per tonne, per pallet or per trip.")


def check_line(line: PriceLine, plist: PriceList) -> None:
    """Every field error of a line, raised at once (`ValidationError`, keyed by field)."""
    errors = FieldErrors()
    if line.service not in SERVICES:
        errors.add("service", N_("Choose a service from the list."))
    elif line.unit not in SERVICE_UNITS[line.service]:
        errors.add("unit", _UNIT_RULES.get(line.service, _MAIN_UNIT_RULE))
    if line.rate < 0:
        errors.add("rate", N_("The rate cannot be negative."))
    if line.minimum < 0:
        errors.add("minimum", N_("The minimum charge cannot be negative."))
    if line.rate == 0 and line.minimum == 0:
        errors.add("rate", N_("A line with no rate and no minimum charge prices nothing: give one of them."))
    places = (line.from_place is None, line.to_place is None)
    zones = (line.from_zone is None, line.to_zone is None)
    if places[0] != places[1]:
        errors.add("route", N_("Give both places of the route, or neither."))
    elif zones[0] != zones[1]:
        errors.add("route", N_("Give both zones of the route, or neither."))
    elif not places[0] and not zones[0]:
        errors.add("route", N_("Give the route as two places or as two zones, not both."))
    if line.valid_from and line.valid_to and line.valid_to < line.valid_from:
        errors.add("valid_to", N_("The end date is before the start date."))
    else:
        start, end = plist.line_period(line)
        if end is not None and end < start:
            errors.add(
                "valid_from",
                N_("The line's dates fall outside the validity of {list} ({start} to {end})."),
                list=plist.name,
                start=plist.valid_from,
                end=plist.valid_to or "…",
            )
    errors.raise_if_any()


def check_list(name: str, currency: str, valid_from: dt.date | None, valid_to: dt.date | None) -> None:
    """The fields of a price list itself."""
    errors = FieldErrors()
    if not name.strip():
        errors.add("name", N_("Give the price list a name."))
    try:
        check_currency(currency)
    except DomainError as exc:
        errors.add("currency", exc.message)
    if valid_from is None:
        errors.add("valid_from", N_("Give the first day the list is valid."))
    elif valid_to is not None and valid_to < valid_from:
        errors.add("valid_to", N_("The end date is before the start date."))
    errors.raise_if_any()


def check_surcharges(surcharges: Surcharges) -> None:
    errors = FieldErrors()
    for name in ("dangerous_pct", "temperature_pct", "night_weekend_pct"):
        if not ZERO <= getattr(surcharges, name) <= _HUNDRED:
            errors.add(name, N_("A surcharge is a percentage from 0 to 100."))
    fuel = surcharges.fuel
    if fuel is not None:
        if fuel.base_price.amount <= 0:
            errors.add("fuel_base_price", N_("Give the diesel price the list was agreed at, above zero."))
        if not ZERO < fuel.share_pct <= _HUNDRED:
            errors.add("fuel_share_pct", N_("Give the share of the price that follows diesel, from 1 to 100 %."))
    errors.raise_if_any()


# ---- overlapping lines ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Overlap:
    """Two lines of one list with one key, both valid from `start` through `end` (None: open)."""

    first: PriceLine
    second: PriceLine
    start: dt.date
    end: dt.date | None


class OverlappingLine(DomainError):
    """A line would share its key and some day with another line of the same list."""

    def __init__(self, overlap: Overlap) -> None:
        params = {"line": overlap.second.id, "start": overlap.start}
        if overlap.end is None:
            super().__init__(
                N_(
                    "This line has the same service, route and vehicle as line {line}, and both are valid "
                    "from {start} on. Change the dates of one of them, or edit line {line} instead."
                ),
                **params,
            )
        else:
            super().__init__(
                N_(
                    "This line has the same service, route and vehicle as line {line}, and both are valid "
                    "from {start} to {end}. Change the dates of one of them, or edit line {line} instead."
                ),
                **params,
                end=overlap.end,
            )
        self.overlap = overlap


def _shared(a: tuple[dt.date, dt.date | None], b: tuple[dt.date, dt.date | None]) -> tuple[dt.date, dt.date | None]:
    start = max(a[0], b[0])
    ends = [d for d in (a[1], b[1]) if d is not None]
    return start, (min(ends) if ends else None)


def overlaps_with(line: PriceLine, plist: PriceList) -> list[Overlap]:
    """The other lines of `plist` (by id) that `line`, new or edited, would overlap."""
    mine = plist.line_period(line)
    out = []
    for other in plist.lines:
        if other.id == line.id or other.key != line.key:
            continue
        start, end = _shared(mine, plist.line_period(other))
        if end is None or start <= end:
            out.append(Overlap(line, other, start, end))
    return out


def find_overlaps(plist: PriceList) -> list[Overlap]:
    """Every pair of lines of the list that overlap, each pair once (the earlier id first)."""
    by_key: dict[tuple[object, ...], list[PriceLine]] = {}
    for line in plist.lines:
        by_key.setdefault(line.key, []).append(line)
    out = []
    for group in by_key.values():
        group.sort(key=lambda ln: ln.id)
        for i, first in enumerate(group):
            mine = plist.line_period(first)
            for second in group[i + 1 :]:
                start, end = _shared(mine, plist.line_period(second))
                if end is None or start <= end:
                    out.append(Overlap(first, second, start, end))
    return out


def refuse_overlaps(line: PriceLine, plist: PriceList) -> None:
    """Raise `OverlappingLine` naming the first line `line` would overlap."""
    found = overlaps_with(line, plist)
    if found:
        raise OverlappingLine(min(found, key=lambda o: o.start))
