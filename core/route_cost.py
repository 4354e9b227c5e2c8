"""Route cost (SPEC T3): what a trip should cost, line by line, and the margin against its
price. No database: the service loads the legs, the vehicle's norms and the tariff, and passes
them in.

The rules, stated once:
- Fuel, per leg: the vehicle's norm (`core.fleet.normative_fuel`) for the leg's km, load, the
  trailer, the season, the city share and the refrigeration hours, in litres to 0.01, times
  the fuel price of the day (the service passes the warehouse's moving-average cost of that
  fuel when it holds stock, else the settings price).
- The trip's days: its driving and stop hours over the driving hours of a day, rounded up, at
  least one; its nights away are the days less one (or as planned, when the trip has dates).
  Driver pay per driver: the daily allowance per day, the night allowance per night away, a
  rate per km (every km, the empty return too) and a rate per trip. Parking per night away.
- Tolls, border and road fees come from the table of charges per place: each leg pays the
  charges of the place it arrives at and of every border post it crosses (a place once per
  leg). A charge for the vehicle's category replaces the general charge of the same name.
- Wear per km, by vehicle category: tyres and the maintenance reserve of the vehicle, and of
  the trailer when there is one, over every km.
- The empty return to the home depot is a leg the caller gives (no load); it costs like any
  other leg and is named as the return.
- Each line's amount is rounded in its own currency (a border fee may be in USD) and converted
  to the company's currency at the rate of the trip's day; the total is the sum of the
  converted lines, so the lines add up to it exactly. Cost is affine in the fuel price: only
  the fuel lines move with it, by litres x the change.
- Margin = price - cost in the company's currency, as a % of the price; under the minimum
  margin (a setting) it warns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import NamedTuple

from common.errors import DomainError
from common.i18n import N_
from core.fleet import FuelNorms, normative_fuel
from core.money import CurrencyMismatch, Money, Rates, round_amount

KINDS: dict[str, str] = {
    "fuel": N_("Fuel"),
    "driver_days": N_("Driver's daily allowance"),
    "driver_nights": N_("Driver's allowance for nights away"),
    "driver_km": N_("Driver's pay per km"),
    "driver_trip": N_("Driver's pay per trip"),
    "parking": N_("Parking for the nights away"),
    "charge": N_("Tolls, border and road fees"),
    "tyres": N_("Tyre wear"),
    "maintenance": N_("Maintenance reserve"),
    "trailer_tyres": N_("Trailer tyre wear"),
    "trailer_maintenance": N_("Trailer maintenance reserve"),
}
ZERO = Decimal(0)
_ONE = Decimal(1)
_HUNDRED = Decimal(100)
_PCT = Decimal("0.1")


@dataclass(frozen=True, slots=True)
class Leg:
    """One leg of the route, as the route planner gives it."""

    from_name: str
    to_name: str
    km: Decimal
    hours: Decimal = ZERO  # driving
    load_t: Decimal = ZERO  # tonnes carried on the leg
    city_share: Decimal = ZERO  # the part of the km in town, 0 to 1
    to_place: int | None = None
    border_crossings: tuple[int, ...] = ()  # border posts crossed on the way (place ids)
    stop_hours: Decimal = ZERO  # at the end of the leg: loading, unloading, a border queue
    hvac_hours: Decimal = ZERO  # refrigeration or air conditioning running

    @property
    def charged_places(self) -> tuple[int, ...]:
        places = tuple(dict.fromkeys(self.border_crossings))
        if self.to_place is not None and self.to_place not in places:
            places += (self.to_place,)
        return places


@dataclass(frozen=True, slots=True)
class WearRates:
    tyres_per_km: Money
    maintenance_per_km: Money


@dataclass(frozen=True, slots=True)
class VehicleCost:
    """The vehicle's side: its fuel norms, its category's wear, and the trailer's wear when
    the trip pulls one (None: no trailer)."""

    norms: FuelNorms
    wear: WearRates
    category_id: int | None = None
    trailer_wear: WearRates | None = None

    @property
    def with_trailer(self) -> bool:
        return self.trailer_wear is not None


@dataclass(frozen=True, slots=True)
class DriverPay:
    daily_allowance: Money
    night_allowance: Money
    per_km: Money
    per_trip: Money


@dataclass(frozen=True, slots=True)
class Charge:
    """A toll, border or road fee paid at a place, for one vehicle category or for any."""

    place_id: int
    name: str
    amount: Money
    vehicle_category: int | None = None


class ChargeTable:
    """The charges, indexed by place once."""

    def __init__(self, charges: Iterable[Charge] = ()) -> None:
        self._at: dict[int, list[Charge]] = {}
        for charge in charges:
            self._at.setdefault(charge.place_id, []).append(charge)
        self._memo: dict[tuple[int, int | None], tuple[Charge, ...]] = {}

    def at(self, place_id: int, category: int | None) -> tuple[Charge, ...]:
        """The charges a vehicle of `category` pays at the place."""
        key = (place_id, category)
        found = self._memo.get(key)
        if found is None:
            by_name: dict[str, Charge] = {}
            for charge in self._at.get(place_id, ()):
                if charge.vehicle_category is None:
                    by_name.setdefault(charge.name, charge)
                elif charge.vehicle_category == category:
                    by_name[charge.name] = charge  # the category's charge replaces the general one
            found = self._memo[key] = tuple(by_name.values())
        return found


@dataclass(frozen=True)
class CostTariff:
    """The prices a trip is costed at (settings, the warehouse's fuel cost, the charges)."""

    fuel_price: Money  # per litre
    driver: DriverPay
    parking_per_night: Money
    charges: ChargeTable
    driving_hours_per_day: Decimal = Decimal(10)


class CostLine(NamedTuple):
    """One named cost line (a named tuple, cheap to build: the bench costs 10,000 trips)."""

    kind: str
    quantity: Decimal
    unit: str  # l, day, night, km, trip, fee
    rate: Money
    amount: Money  # in the rate's currency, rounded
    amount_company: Money  # in the company's currency at the day's rate, rounded
    leg: int | None = None  # index of the leg; len(legs) is the empty return
    name: str = ""  # the leg ("Kigali - Huye") or the charge


@dataclass(frozen=True, slots=True)
class CostBreakdown:
    day: dt.date
    currency: str  # the company's
    lines: tuple[CostLine, ...]
    total: Money
    litres: Decimal
    km: Decimal
    hours: Decimal
    days: int
    nights: int

    def by_kind(self) -> dict[str, Money]:
        """The total of each kind of line, in the company's currency (planned against actual)."""
        out: dict[str, Money] = {}
        for line in self.lines:
            out[line.kind] = out.get(line.kind, Money.zero(self.currency)) + line.amount_company
        return out


class InvalidLeg(DomainError):
    def __init__(self, message: str, n: int, leg: Leg) -> None:
        super().__init__(message, n=n, route=f"{leg.from_name} - {leg.to_name}")


class CostRateMissing(DomainError):
    pass


def wear_rates_for(
    table: Mapping[int, WearRates], category_id: int | None, category_name: str, plate: str
) -> WearRates:
    """A vehicle's wear rates from the table per vehicle category: a named error when the
    vehicle has no category or its category no rates, never a silent zero."""
    if category_id is None:
        raise CostRateMissing(
            N_("{plate} has no vehicle category, so its wear per km is not known: give it a category."),
            plate=plate,
        )
    found = table.get(category_id)
    if found is None:
        raise CostRateMissing(
            N_("No wear rates per km for the vehicle category {category}: add them in the settings."),
            category=category_name,
        )
    return found


def _check_leg(n: int, leg: Leg, is_return: bool) -> None:
    for value in (leg.km, leg.hours, leg.load_t, leg.stop_hours, leg.hvac_hours):
        if value < 0:
            raise InvalidLeg(N_("Leg {n} ({route}): distance, hours and load cannot be negative."), n, leg)
    if not ZERO <= leg.city_share <= _ONE:
        raise InvalidLeg(N_("Leg {n} ({route}): the share in town is from 0 to 1."), n, leg)
    if is_return and leg.load_t:
        raise InvalidLeg(N_("Leg {n} ({route}): the empty return carries no load."), n, leg)


def trip_days(hours: Decimal, driving_hours_per_day: Decimal) -> int:
    """Days on the road: the hours over a day's driving, rounded up, at least one."""
    if driving_hours_per_day <= 0:
        raise CostRateMissing(N_("The driving hours of a day must be more than zero."))
    return max(1, int((hours / driving_hours_per_day).to_integral_value(rounding=ROUND_CEILING)))


def trip_cost(
    legs: Sequence[Leg],
    vehicle: VehicleCost,
    tariff: CostTariff,
    rates: Rates,
    day: dt.date,
    return_leg: Leg | None = None,
    winter: bool = False,
    drivers: int = 1,
    nights: int | None = None,
) -> CostBreakdown:
    """The planned cost of a trip, each line named, in the company's currency."""
    if not legs:
        raise CostRateMissing(N_("The trip has no route yet: add its stops first."))
    if drivers < 1:
        raise CostRateMissing(N_("A trip has at least one driver."))
    if nights is not None and nights < 0:
        raise CostRateMissing(N_("The nights away cannot be negative."))
    route = list(legs) + ([return_leg] if return_leg is not None else [])
    for n, leg in enumerate(route):
        _check_leg(n + 1, leg, return_leg is not None and n == len(legs))
    company = rates.company_currency
    lines: list[CostLine] = []

    def add(kind: str, qty: Decimal, unit: str, rate: Money, leg: int | None = None, name: str = "") -> None:
        if not qty or not rate.amount:
            return
        amount = Money(round_amount(qty * rate.amount, rate.currency), rate.currency)
        converted = amount if rate.currency == company else rates.convert(amount, company, day)
        lines.append(CostLine(kind, qty, unit, rate, amount, converted, leg, name))

    litres = km = hours = ZERO
    for n, leg in enumerate(route):
        name = f"{leg.from_name} - {leg.to_name}"
        fuel = normative_fuel(
            vehicle.norms, leg.km, leg.load_t, vehicle.with_trailer, winter, leg.city_share, leg.hvac_hours
        )
        add("fuel", fuel, "l", tariff.fuel_price, n, name)
        for place in leg.charged_places:
            for charge in tariff.charges.at(place, vehicle.category_id):
                add("charge", _ONE, "fee", charge.amount, n, charge.name)
        litres += fuel
        km += leg.km
        hours += leg.hours + leg.stop_hours
    days = trip_days(hours, tariff.driving_hours_per_day) if nights is None else nights + 1
    away = days - 1
    pay, crew = tariff.driver, Decimal(drivers)
    add("driver_days", days * crew, "day", pay.daily_allowance)
    add("driver_nights", away * crew, "night", pay.night_allowance)
    add("driver_km", km * crew, "km", pay.per_km)
    add("driver_trip", crew, "trip", pay.per_trip)
    add("parking", Decimal(away), "night", tariff.parking_per_night)
    add("tyres", km, "km", vehicle.wear.tyres_per_km)
    add("maintenance", km, "km", vehicle.wear.maintenance_per_km)
    if vehicle.trailer_wear is not None:
        add("trailer_tyres", km, "km", vehicle.trailer_wear.tyres_per_km)
        add("trailer_maintenance", km, "km", vehicle.trailer_wear.maintenance_per_km)
    total = Money(sum((ln.amount_company.amount for ln in lines), ZERO), company)
    return CostBreakdown(day, company, tuple(lines), total, litres, km, hours, days, away)


# ---- margin ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Margin:
    price: Money
    cost: Money
    margin: Money
    percent: Decimal | None  # of the price, to 0.1 %; None when the price is zero
    minimum_pct: Decimal

    @property
    def margin_warning(self) -> bool:
        return self.percent is None or self.percent < self.minimum_pct

    def warning(self) -> tuple[str, dict[str, object]] | None:
        """The warning for the Cost tab (a message id and its parameters), or None."""
        if self.percent is None:
            return N_("The order has no price yet, so it has no margin."), {}
        if self.percent < self.minimum_pct:
            return (
                N_("The margin is {pct} % of the price, under the minimum of {minimum} %."),
                {"pct": self.percent, "minimum": self.minimum_pct},
            )
        return None


def margin(price: Money, cost: Money, minimum_pct: Decimal) -> Margin:
    """Price less planned cost, both in the company's currency, and its share of the price."""
    if price.currency != cost.currency:
        raise CurrencyMismatch(price.currency, cost.currency)
    diff = price - cost
    pct = (diff.amount * _HUNDRED / price.amount).quantize(_PCT) if price.amount > 0 else None
    return Margin(price, cost, diff, pct, minimum_pct)
