"""Pricing an order (SPEC C6): the resolution over the client's, its category's and the
default price list, surcharges, and the breakdown naming every line used. No database; the
lists and their matching rule are `core.price_lists`.

The rules, stated once:
- Resolution, per service: the client's lists, then its category's lists, then the default
  lists, each level's lists valid on the day newest first (a newer list of the same level
  overrides the lines it has and leaves the older list's other lines in force); the first list
  with a matching line prices the service. The main service (FTL, groupage, container or
  distribution) fixes the order's list and currency; the other services the order needs
  (extra stops, waiting, loading) are taken through the same chain from lists in that
  currency only, so a price never mixes currencies. Nothing found: `PriceNotFound`, naming the
  client, service, route, vehicle and day, the lists searched, and how to add the line.
- A line's amount is quantity x rate, at least its minimum charge, rounded to the currency
  (`core.money`). A line priced by a quantity the order lacks (per tonne, no weight) is refused
  at that field, never priced at zero.
- Surcharges are the main list's, each a percentage of the freight lines (the main service
  and extra stops; waiting and loading are not freight), all on the same base (they do not
  compound), each rounded. The fuel surcharge follows diesel: (price of the day - base price)
  / base price x the share of the price that follows fuel, in steps of 0.01 %; below the base
  price it is zero unless the list gives a rebate.
- The total is the sum of the rounded lines and surcharges, in the list's currency, and
  converted to the company's currency at the rate of the order's day (`Rates`; a missing rate
  is `RateNotFound`).

Speed (the bench prices 100,000 orders in under 2 s): the lists index their lines once;
pricing one order is then a few dictionary lookups per list of the chain and a handful of
Decimal operations. A batch builds each list and the `Rates` once and reuses them for every
order (`price_orders`); orders of one client share its `ListChain`, built once.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from common.errors import DomainError, ValidationError
from common.i18n import N_, Msg
from core.money import CurrencyMismatch, Money, Quote, Rates, round_amount
from core.price_lists import (
    FREIGHT_SERVICES,
    MAIN_SERVICES,
    SERVICES,
    UNITS,
    ZERO,
    FuelSurcharge,
    ListChain,
    OrderFacts,
    PriceLine,
    PriceList,
)

_THOUSAND = Decimal(1000)
_HUNDRED = Decimal(100)
_PCT = Decimal("0.01")

# ---- errors ---------------------------------------------------------------------------


def _vehicle_words(order: OrderFacts) -> object:
    words = [w for w in (order.vehicle_category_name, order.body_type or "") if w.strip()]
    return ", ".join(words) if words else Msg(N_("any vehicle"))


class PriceNotFound(DomainError):
    """No list of the chain prices a service of the order."""

    NO_LINE = N_(
        "No price for {service} for {client} from {origin} to {destination} ({vehicle}) on {day}. "
        "Searched: {lists}. Add a {service} line for this route, its zones or any route, valid on that day, "
        "to the client's price list, its category's list or the default list."
    )
    NO_LINE_IN_CURRENCY = N_(
        "No price for {service} in {currency} for {client} from {origin} to {destination} ({vehicle}) on {day}: "
        "the order is priced from {list}, in {currency}. Add a {service} line to {list}, "
        "or to another {currency} list of the client, its category or the default list."
    )

    def __init__(self, order: OrderFacts, service: str, searched: Sequence[str], main: PriceList | None = None):
        params: dict[str, object] = {
            "service": Msg(SERVICES.get(service, service)),
            "client": order.client_name,
            "origin": order.origin.name,
            "destination": order.destination.name,
            "vehicle": _vehicle_words(order),
            "day": order.day,
        }
        if main is None:
            lists: object = ", ".join(searched) if searched else Msg(N_("no price list is valid on that day"))
            super().__init__(self.NO_LINE, **params, lists=lists)
        else:
            super().__init__(self.NO_LINE_IN_CURRENCY, **params, currency=main.currency, list=main.name)
        self.client_id, self.service, self.day = order.client_id, service, order.day


class QuantityMissing(ValidationError):
    """A line prices by a quantity the order does not have (per tonne, no weight)."""

    def __init__(self, field_name: str, line: PriceLine, plist: PriceList) -> None:
        super().__init__(
            {
                field_name: (
                    N_(
                        "{list} prices {service} {unit}, but the order has no {what}. "
                        "Enter it, or price the order by another line."
                    ),
                    {
                        "list": plist.name,
                        "service": Msg(SERVICES.get(line.service, line.service)),
                        "unit": Msg(UNITS.get(line.unit, line.unit)),
                        "what": Msg(_QUANTITY_WORDS[field_name]),
                    },
                )
            }
        )


class FuelPriceMissing(DomainError):
    def __init__(self, plist: PriceList) -> None:
        super().__init__(
            N_("{list} has a fuel surcharge: the diesel price of the day is needed to price the order."),
            list=plist.name,
        )


class InvalidOrderFacts(ValidationError):
    pass


_QUANTITY_WORDS = {
    "distance_km": N_("distance"),
    "weight_kg": N_("weight"),
    "pallets": N_("pallets"),
}
_QUANTITY_FIELD = {"km": "distance_km", "tonne_km": "weight_kg", "tonne": "weight_kg", "pallet": "pallets"}


# ---- the breakdown --------------------------------------------------------------------


class PricedLine(NamedTuple):
    """One price-list line used. The breakdown's records are named tuples: immutable like the
    inputs, and cheap to build (a batch builds hundreds of thousands)."""

    level: str
    price_list_id: int
    price_list_name: str
    line_id: int
    service: str
    quantity: Decimal
    unit: str
    rate: Money
    minimum: Money
    amount: Money  # rounded to the currency
    minimum_applied: bool


class SurchargeLine(NamedTuple):
    kind: str
    price_list_id: int
    percent: Decimal
    base: Money
    amount: Money
    diesel_price: Money | None = None  # the fuel surcharge's price of the day and base price
    diesel_base: Money | None = None


@dataclass(frozen=True, slots=True)
class PriceBreakdown:
    order_id: int | None
    day: dt.date
    level: str
    price_list_id: int
    price_list_name: str
    currency: str
    lines: tuple[PricedLine, ...]
    surcharges: tuple[SurchargeLine, ...]
    total: Money
    total_company: Money
    rate: Quote  # list currency -> company currency, with the day it is of

    @property
    def subtotal(self) -> Money:
        return sum((ln.amount for ln in self.lines), Money.zero(self.currency))


# ---- pricing --------------------------------------------------------------------------


def _check_order(order: OrderFacts) -> None:
    if (
        order.service in MAIN_SERVICES
        and order.distance_km >= 0
        and order.weight_kg >= 0
        and order.waiting_hours >= 0
        and order.pallets >= 0
        and order.extra_stops >= 0
    ):
        return  # the usual case, checked at once
    errors: dict[str, tuple[str, dict[str, object]]] = {}
    if order.service not in MAIN_SERVICES:
        errors["service"] = (N_("Choose the service: FTL, groupage, container or distribution."), {})
    for name in ("distance_km", "weight_kg", "pallets", "extra_stops", "waiting_hours"):
        if getattr(order, name) < 0:
            errors[name] = (N_("This cannot be negative."), {})
    if errors:
        raise InvalidOrderFacts(errors)


def _find(
    order: OrderFacts, service: str, levels: Sequence[tuple[str, PriceList]], currency: str | None = None
) -> tuple[str, PriceList, PriceLine] | None:
    for level, plist in levels:
        if currency is not None and plist.currency != currency:
            continue
        line = plist.match(service, order)
        if line is not None:
            return level, plist, line
    return None


def _quantity(order: OrderFacts, unit: str) -> Decimal:
    if unit == "km":
        return order.distance_km
    if unit == "tonne_km":
        return order.weight_kg / _THOUSAND * order.distance_km
    if unit == "tonne":
        return order.weight_kg / _THOUSAND
    if unit == "pallet":
        return Decimal(order.pallets)
    if unit == "waiting_hour":
        return order.waiting_hours
    if unit == "stop":
        return Decimal(order.extra_stops)
    return Decimal(1)  # per trip


def _priced(order: OrderFacts, level: str, plist: PriceList, line: PriceLine) -> PricedLine:
    qty = _quantity(order, line.unit)
    if qty <= 0:
        field_name = _QUANTITY_FIELD.get(line.unit, "distance_km")
        if line.unit == "tonne_km" and order.weight_kg > 0:
            field_name = "distance_km"  # per tonne-km needs both: the weight is there, the distance not
        raise QuantityMissing(field_name, line, plist)
    raw = qty * line.rate
    applied = raw < line.minimum
    cur = plist.currency
    return PricedLine(
        level,
        plist.id,
        plist.name,
        line.id,
        line.service,
        qty,
        line.unit,
        Money(line.rate, cur),
        Money(line.minimum, cur),
        Money(round_amount(line.minimum if applied else raw, cur), cur),
        applied,
    )


def fuel_surcharge_pct(fuel: FuelSurcharge, diesel_price: Money) -> Decimal:
    """The fuel surcharge in % for the day's diesel price (0.01 % steps)."""
    if diesel_price.currency != fuel.base_price.currency:
        raise CurrencyMismatch(diesel_price.currency, fuel.base_price.currency)
    if fuel.base_price.amount <= 0:
        return ZERO
    change = (diesel_price.amount - fuel.base_price.amount) / fuel.base_price.amount
    pct = (change * fuel.share_pct).quantize(_PCT)
    return pct if pct > 0 or fuel.rebate else ZERO


def _surcharges(order: OrderFacts, plist: PriceList, base: Money, diesel_price: Money | None) -> list[SurchargeLine]:
    s, cur = plist.surcharges, plist.currency
    out: list[SurchargeLine] = []

    def add(kind: str, pct: Decimal, **extra: Money | None) -> None:
        if pct:
            amount = Money(round_amount(base.amount * pct / _HUNDRED, cur), cur)
            out.append(SurchargeLine(kind, plist.id, pct, base, amount, **extra))

    if s.fuel is not None:
        if diesel_price is None:
            raise FuelPriceMissing(plist)
        add("fuel", fuel_surcharge_pct(s.fuel, diesel_price), diesel_price=diesel_price, diesel_base=s.fuel.base_price)
    if order.dangerous:
        add("dangerous", s.dangerous_pct)
    if order.temperature_controlled:
        add("temperature", s.temperature_pct)
    if order.night_or_weekend:
        add("night_weekend", s.night_weekend_pct)
    return out


def price_order(order: OrderFacts, lists: ListChain, rates: Rates, diesel_price: Money | None = None) -> PriceBreakdown:
    """The order's price with its breakdown, in the list's currency and the company's."""
    _check_order(order)
    levels = lists.levels(order.day)
    found = _find(order, order.service, levels)
    if found is None:
        raise PriceNotFound(order, order.service, [p.name for _, p in levels])
    level, main, main_line = found
    cur = main.currency
    lines = [_priced(order, level, main, main_line)]
    for service in order.needed_services()[1:]:
        extra = _find(order, service, levels, cur)
        if extra is None:
            raise PriceNotFound(order, service, [p.name for _, p in levels], main)
        lines.append(_priced(order, *extra))
    amount = freight = ZERO
    for ln in lines:
        amount += ln.amount.amount
        if ln.service in FREIGHT_SERVICES:
            freight += ln.amount.amount
    surcharges = _surcharges(order, main, Money(freight, cur), diesel_price)
    for sur in surcharges:
        amount += sur.amount.amount
    total = Money(amount, cur)
    company = rates.company_currency
    quote = rates.quote(cur, company, order.day)
    return PriceBreakdown(
        order.order_id,
        order.day,
        level,
        main.id,
        main.name,
        cur,
        tuple(lines),
        tuple(surcharges),
        total,
        Money(round_amount(amount * quote.rate, company), company),
        quote,
    )


def price_orders(
    orders: Iterable[OrderFacts],
    chains: Mapping[int, ListChain],
    default: ListChain,
    rates: Rates,
    diesel_price: Money | None = None,
) -> list[PriceBreakdown | DomainError]:
    """Many orders at once (a batch, the bench): each order's breakdown, or the domain error
    that refused it, in order. `chains` maps a client id to its chain, built once per client;
    a client without one is priced by `default` (the chain of the default lists alone)."""
    out: list[PriceBreakdown | DomainError] = []
    # the breakdowns hold no reference cycles: the cyclic collector would only walk the growing
    # list again and again (half the time of a large batch), so it rests until the batch is done
    collecting = gc.isenabled()
    gc.disable()
    try:
        for order in orders:
            try:
                out.append(price_order(order, chains.get(order.client_id, default), rates, diesel_price))
            except DomainError as exc:
                exc.__traceback__ = None  # kept for its message only, without the frames
                out.append(exc)
    finally:
        if collecting:
            gc.enable()
    return out


# ---- a breakdown kept with the order --------------------------------------------------


def _money_json(m: Money | None) -> list[str] | None:
    return None if m is None else [str(m.amount), m.currency]


def _money_back(v: list[str] | None) -> Money | None:
    return None if v is None else Money(Decimal(v[0]), v[1])


def breakdown_to_json(b: PriceBreakdown) -> dict[str, Any]:
    """The breakdown as JSON (decimals as text, days in ISO), to be frozen with a confirmed
    order: a later change of the price list does not reprice it. Every line is in the list's
    currency, so line amounts are kept as numbers of that currency."""
    return {
        "order_id": b.order_id,
        "day": b.day.isoformat(),
        "level": b.level,
        "price_list_id": b.price_list_id,
        "price_list_name": b.price_list_name,
        "currency": b.currency,
        "lines": [
            {
                **{k: v for k, v in ln._asdict().items() if k not in ("quantity", "rate", "minimum", "amount")},
                "quantity": str(ln.quantity),
                "rate": str(ln.rate.amount),
                "minimum": str(ln.minimum.amount),
                "amount": str(ln.amount.amount),
            }
            for ln in b.lines
        ],
        "surcharges": [
            {
                "kind": s.kind,
                "price_list_id": s.price_list_id,
                "percent": str(s.percent),
                "base": str(s.base.amount),
                "amount": str(s.amount.amount),
                "diesel_price": _money_json(s.diesel_price),
                "diesel_base": _money_json(s.diesel_base),
            }
            for s in b.surcharges
        ],
        "total": str(b.total.amount),
        "total_company": _money_json(b.total_company),
        "rate": str(b.rate.rate),
        "rate_day": b.rate.day.isoformat(),
    }


def breakdown_from_json(data: Mapping[str, Any]) -> PriceBreakdown:
    """A breakdown kept by `breakdown_to_json`, as it was."""
    cur = data["currency"]

    def money(text: str) -> Money:
        return Money(Decimal(text), cur)

    lines = tuple(
        PricedLine(
            ln["level"],
            ln["price_list_id"],
            ln["price_list_name"],
            ln["line_id"],
            ln["service"],
            Decimal(ln["quantity"]),
            ln["unit"],
            money(ln["rate"]),
            money(ln["minimum"]),
            money(ln["amount"]),
            ln["minimum_applied"],
        )
        for ln in data["lines"]
    )
    surcharges = tuple(
        SurchargeLine(
            s["kind"],
            s["price_list_id"],
            Decimal(s["percent"]),
            money(s["base"]),
            money(s["amount"]),
            _money_back(s["diesel_price"]),
            _money_back(s["diesel_base"]),
        )
        for s in data["surcharges"]
    )
    company_amount, company_currency = data["total_company"]
    return PriceBreakdown(
        data["order_id"],
        dt.date.fromisoformat(data["day"]),
        data["level"],
        data["price_list_id"],
        data["price_list_name"],
        cur,
        lines,
        surcharges,
        money(data["total"]),
        Money(Decimal(company_amount), company_currency),
        Quote(Decimal(data["rate"]), dt.date.fromisoformat(data["rate_day"])),
    )
