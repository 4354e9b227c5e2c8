"""Pricing an order: the client's list, then its category's, then the default; the breakdown
naming every line; minimum charges; surcharges; the company's currency; named errors."""

import datetime as dt
import gc
import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.errors import DomainError
from common.i18n import Msg, fill
from core.money import Money, RateNotFound, RateRow, Rates
from core.price_lists import FuelSurcharge, ListChain, OrderFacts, Place, PriceLine, PriceList, Surcharges
from core.pricing import (
    FuelPriceMissing,
    InvalidOrderFacts,
    PriceBreakdown,
    PriceNotFound,
    QuantityMissing,
    breakdown_from_json,
    breakdown_to_json,
    fuel_surcharge_pct,
    price_order,
    price_orders,
)

D = Decimal
DAY = dt.date(2026, 4, 15)
KIGALI, KAMPALA, HUYE = Place(1, "Kigali", zone_id=10), Place(3, "Kampala", zone_id=30), Place(2, "Huye", zone_id=20)
RATES = Rates([RateRow(dt.date(2026, 4, 14), "USD", "RWF", D("1450"))], "RWF")


def line(id: int, **kw) -> PriceLine:
    kw.setdefault("service", "ftl")
    kw.setdefault("unit", "trip")
    kw.setdefault("rate", D(100_000))
    return PriceLine(id, **kw)


def plist(id: int, name: str, *lines: PriceLine, currency: str = "RWF", **kw) -> PriceList:
    kw.setdefault("valid_from", dt.date(2026, 1, 1))
    return PriceList(id, name, currency, lines=lines, **kw)


def order(**kw) -> OrderFacts:
    base = dict(
        client_id=5,
        client_name="Kivu Beer",
        day=DAY,
        service="ftl",
        origin=KIGALI,
        destination=KAMPALA,
        distance_km=D(510),
        weight_kg=D(24_000),
        pallets=20,
        order_id=77,
    )
    return OrderFacts(**{**base, **kw})


DEFAULT = plist(
    1,
    "Default 2026",
    line(11, unit="km", rate=D(1_800), minimum=D(150_000)),
    line(12, service="waiting", unit="waiting_hour", rate=D(10_000)),
    line(13, service="extra_stop", unit="stop", rate=D(25_000)),
    line(14, service="loading", unit="tonne", rate=D(2_000)),
    line(15, service="ltl", unit="tonne_km", rate=D(120)),
)
CATEGORY = plist(2, "Breweries", line(21, unit="km", rate=D(1_700), from_zone=10, to_zone=30))
CLIENT_USD = plist(3, "Kivu Beer USD", line(31, unit="trip", rate=D(1_650), from_place=1, to_place=3), currency="USD")


def test_the_clients_list_prices_before_its_category_and_the_default():
    chain = ListChain((CLIENT_USD,), (CATEGORY,), (DEFAULT,))
    priced = price_order(order(), chain, RATES)
    assert (priced.level, priced.price_list_name, priced.currency) == ("client", "Kivu Beer USD", "USD")
    assert priced.total == Money(D(1650), "USD")
    assert priced.total_company == Money(D(2_392_500), "RWF")
    assert priced.rate.rate == D(1450) and priced.rate.day == dt.date(2026, 4, 14)


def test_a_route_the_clients_list_lacks_falls_to_the_category_then_the_default():
    chain = ListChain((CLIENT_USD,), (CATEGORY,), (DEFAULT,))
    to_huye = price_order(order(destination=HUYE, distance_km=D(135)), chain, RATES)
    assert (to_huye.level, to_huye.lines[0].line_id) == ("default", 11)
    cat = price_order(order(origin=Place(8, "Kicukiro depot", zone_id=10)), chain, RATES)
    assert (cat.level, cat.lines[0].line_id, cat.total) == ("category", 21, Money(D(867_000), "RWF"))


def test_an_expired_clients_list_no_longer_prices():
    old = plist(
        4, "Kivu Beer 2025", line(41, rate=D(1)), valid_from=dt.date(2025, 1, 1), valid_to=dt.date(2025, 12, 31)
    )
    assert price_order(order(), ListChain((old,), (), (DEFAULT,)), RATES).level == "default"


def test_a_newer_list_of_the_same_level_overrides_the_lines_it_has_and_leaves_the_others():
    older = plist(
        5, "Kivu 2026", line(51, rate=D(500_000)), line(52, service="waiting", unit="waiting_hour", rate=D(9))
    )
    newer = plist(6, "Kivu from April", line(61, rate=D(450_000)), valid_from=dt.date(2026, 4, 1))
    priced = price_order(order(waiting_hours=D(2)), ListChain((older, newer)), RATES)
    assert [(ln.price_list_id, ln.line_id) for ln in priced.lines] == [(6, 61), (5, 52)]


def test_the_breakdown_names_each_line_with_its_quantity_rate_and_amount():
    priced = price_order(
        order(extra_stops=2, waiting_hours=D("3.5"), loading=True), ListChain((), (), (DEFAULT,)), RATES
    )
    rows = [
        (ln.price_list_name, ln.line_id, ln.service, ln.quantity, ln.unit, ln.rate.amount, ln.amount.amount)
        for ln in priced.lines
    ]
    assert rows == [
        ("Default 2026", 11, "ftl", D(510), "km", D(1800), D(918_000)),
        ("Default 2026", 13, "extra_stop", D(2), "stop", D(25_000), D(50_000)),
        ("Default 2026", 12, "waiting", D("3.5"), "waiting_hour", D(10_000), D(35_000)),
        ("Default 2026", 14, "loading", D(24), "tonne", D(2_000), D(48_000)),
    ]
    assert priced.total == Money(D(1_051_000), "RWF") == priced.subtotal
    assert priced.order_id == 77 and priced.day == DAY


def test_the_minimum_charge_applies_to_a_short_trip_and_says_so():
    priced = price_order(order(destination=HUYE, distance_km=D(40)), ListChain(default=(DEFAULT,)), RATES)
    [ln] = priced.lines
    assert ln.minimum_applied and ln.amount == Money(D(150_000), "RWF") and ln.minimum == Money(D(150_000), "RWF")
    long = price_order(order(destination=HUYE, distance_km=D(135)), ListChain(default=(DEFAULT,)), RATES)
    assert not long.lines[0].minimum_applied


@pytest.mark.parametrize(
    ("unit", "qty"),
    [("km", D(510)), ("tonne_km", D(12_240)), ("tonne", D(24)), ("pallet", D(20)), ("trip", D(1))],
)
def test_each_unit_counts_its_own_quantity(unit, qty):
    lst = plist(1, "Default", line(1, unit=unit, rate=D(10)))
    [ln] = price_order(order(), ListChain(default=(lst,)), RATES).lines
    assert (ln.quantity, ln.amount.amount) == (qty, qty * 10)


@pytest.mark.parametrize(
    ("unit", "facts", "field"),
    [
        ("tonne", dict(weight_kg=D(0)), "weight_kg"),
        ("pallet", dict(pallets=0), "pallets"),
        ("km", dict(distance_km=D(0)), "distance_km"),
        ("tonne_km", dict(weight_kg=D(0)), "weight_kg"),
        ("tonne_km", dict(distance_km=D(0)), "distance_km"),
    ],
)
def test_a_line_priced_by_a_quantity_the_order_lacks_is_refused_at_that_field(unit, facts, field):
    lst = plist(1, "Default", line(1, unit=unit, rate=D(10), minimum=D(5)))
    with pytest.raises(QuantityMissing) as err:
        price_order(order(**facts), ListChain(default=(lst,)), RATES)
    assert list(err.value.errors) == [field]


def test_bad_order_facts_are_refused_field_by_field():
    with pytest.raises(InvalidOrderFacts) as err:
        price_order(order(service="waiting", distance_km=D(-1)), ListChain(default=(DEFAULT,)), RATES)
    assert set(err.value.errors) == {"service", "distance_km"}


def test_no_price_names_the_client_route_vehicle_day_and_the_lists_searched():
    chain = ListChain((CLIENT_USD,), (), (DEFAULT,))
    facts = order(service="container", vehicle_category_name="Tractor 40 t", body_type="Flatbed")
    with pytest.raises(PriceNotFound) as err:
        price_order(facts, chain, RATES)
    p = err.value.params
    assert (p["client"], p["origin"], p["destination"], p["day"]) == ("Kivu Beer", "Kigali", "Kampala", DAY)
    assert p["vehicle"] == "Tractor 40 t, Flatbed"
    assert p["service"] == Msg("Container") and p["lists"] == "Kivu Beer USD, Default 2026"
    text = fill(err.value.message, p)
    assert "Add a Container line" in text and "default list" in text
    assert (err.value.client_id, err.value.service, err.value.day) == (5, "container", DAY)


def test_no_price_list_valid_on_the_day_is_said_so():
    with pytest.raises(PriceNotFound) as err:
        price_order(order(day=dt.date(2025, 6, 1)), ListChain(default=(DEFAULT,)), RATES)
    assert err.value.params["lists"] == Msg("no price list is valid on that day")
    assert err.value.params["vehicle"] == Msg("any vehicle")


def test_the_other_services_come_only_from_lists_in_the_orders_currency():
    chain = ListChain((CLIENT_USD,), (), (DEFAULT,))  # the default's waiting line is in RWF
    with pytest.raises(PriceNotFound) as err:
        price_order(order(waiting_hours=D(4)), chain, RATES)
    assert err.value.params["currency"] == "USD" and err.value.params["list"] == "Kivu Beer USD"
    assert err.value.service == "waiting"
    usd_default = plist(9, "Default USD", line(91, service="waiting", unit="waiting_hour", rate=D(15)), currency="USD")
    priced = price_order(order(waiting_hours=D(4)), ListChain((CLIENT_USD,), (), (DEFAULT, usd_default)), RATES)
    assert [ln.line_id for ln in priced.lines] == [31, 91]
    assert {ln.amount.currency for ln in priced.lines} == {"USD"}


def surcharged(**kw) -> PriceList:
    return plist(
        1,
        "Default",
        line(1, unit="trip", rate=D(1_000_000)),
        line(2, service="waiting", unit="waiting_hour", rate=D(10_000)),
        line(3, service="extra_stop", unit="stop", rate=D(100_000)),
        surcharges=Surcharges(**kw),
    )


def test_percent_surcharges_apply_to_the_freight_lines_only_and_do_not_compound():
    lst = surcharged(dangerous_pct=D(25), temperature_pct=D(10), night_weekend_pct=D(15))
    facts = order(dangerous=True, temperature_controlled=True, night_or_weekend=True, waiting_hours=D(2), extra_stops=1)
    priced = price_order(facts, ListChain(default=(lst,)), RATES)
    assert [(s.kind, s.percent, s.base.amount, s.amount.amount) for s in priced.surcharges] == [
        ("dangerous", D(25), D(1_100_000), D(275_000)),
        ("temperature", D(10), D(1_100_000), D(110_000)),
        ("night_weekend", D(15), D(1_100_000), D(165_000)),
    ]
    assert priced.total.amount == D(1_100_000) + D(20_000) + D(550_000)
    assert price_order(order(), ListChain(default=(lst,)), RATES).surcharges == ()


def test_the_fuel_surcharge_follows_diesel_against_the_base_price():
    fuel = FuelSurcharge(Money(D(1500), "RWF"), D(40))
    lst = surcharged(fuel=fuel)
    priced = price_order(order(), ListChain(default=(lst,)), RATES, diesel_price=Money(D(1639), "RWF"))
    [s] = priced.surcharges
    assert s.kind == "fuel" and s.percent == D("3.71")  # 139 / 1500 x 40 = 3.7066...
    assert s.amount == Money(D(37_100), "RWF") and s.diesel_price == Money(D(1639), "RWF")
    cheaper = price_order(order(), ListChain(default=(lst,)), RATES, diesel_price=Money(D(1400), "RWF"))
    assert cheaper.surcharges == ()  # no rebate unless the list gives one
    rebate = FuelSurcharge(Money(D(1500), "RWF"), D(40), rebate=True)
    assert fuel_surcharge_pct(rebate, Money(D(1400), "RWF")) == D("-2.67")


def test_a_fuel_surcharge_needs_the_diesel_price_of_the_day_in_the_base_prices_currency():
    lst = surcharged(fuel=FuelSurcharge(Money(D(1500), "RWF"), D(40)))
    with pytest.raises(FuelPriceMissing):
        price_order(order(), ListChain(default=(lst,)), RATES)
    with pytest.raises(DomainError):
        price_order(order(), ListChain(default=(lst,)), RATES, diesel_price=Money(D("1.1"), "USD"))


def test_a_usd_price_without_the_days_rate_is_a_named_error():
    no_rate = Rates([], "RWF")
    with pytest.raises(RateNotFound) as err:
        price_order(order(), ListChain((CLIENT_USD,)), no_rate)
    assert err.value.params["currency"] == "USD" and err.value.params["day"] == DAY


def test_many_orders_are_priced_in_order_each_with_its_breakdown_or_its_error():
    chains = {5: ListChain((CLIENT_USD,), (), (DEFAULT,))}
    default = ListChain(default=(DEFAULT,))
    facts = [order(), order(client_id=6, client_name="Inyange"), order(service="container")]
    out = price_orders(facts, chains, default, RATES)
    assert isinstance(out[0], PriceBreakdown) and out[0].currency == "USD"
    assert isinstance(out[1], PriceBreakdown) and out[1].price_list_name == "Default 2026"
    assert isinstance(out[2], PriceNotFound)


# ---- properties -------------------------------------------------------------------------

money_st = st.decimals(min_value=0, max_value=100_000, places=2)


@given(
    st.sampled_from(["RWF", "USD", "UGX"]),
    money_st,
    money_st,
    st.decimals(min_value="0.1", max_value=3000, places=1),
    st.integers(0, 5),
    st.decimals(min_value=0, max_value=48, places=2),
    st.decimals(min_value=0, max_value=60, places=2),
    st.booleans(),
    st.booleans(),
)
def test_a_breakdown_adds_up_in_one_currency_and_every_line_is_at_least_its_minimum(
    currency, rate, minimum, km, stops, waiting, dangerous_pct, dangerous, loading
):
    lst = plist(
        1,
        "Any",
        line(1, unit="km", rate=rate, minimum=minimum),
        line(2, service="extra_stop", unit="stop", rate=rate),
        line(3, service="waiting", unit="waiting_hour", rate=rate),
        line(4, service="loading", unit="pallet", rate=rate, minimum=minimum),
        currency=currency,
        surcharges=Surcharges(dangerous_pct=dangerous_pct),
    )
    rates = Rates([RateRow(DAY, c, "RWF", D("1450")) for c in ("USD", "UGX")], "RWF")
    facts = order(distance_km=km, extra_stops=stops, waiting_hours=waiting, dangerous=dangerous, loading=loading)
    priced = price_order(facts, ListChain(default=(lst,)), rates)
    amounts = [ln.amount for ln in priced.lines] + [s.amount for s in priced.surcharges]
    assert {a.currency for a in amounts} == {currency} == {priced.total.currency}
    assert sum(amounts, Money.zero(currency)) == priced.total
    assert all(ln.amount.amount >= ln.minimum.rounded().amount for ln in priced.lines)
    assert all(ln.amount == ln.amount.rounded() for ln in priced.lines)
    assert priced.total_company == rates.to_company(priced.total, DAY)


@given(
    st.decimals(min_value=1, max_value=5000, places=0),
    st.decimals(min_value=1, max_value=5000, places=0),
    st.decimals(min_value=0, max_value=10_000, places=2),
)
def test_a_longer_trip_never_costs_less_on_a_per_km_line(km_a, km_b, rate):
    lst = plist(1, "Any", line(1, unit="km", rate=rate, minimum=D(100_000)))
    short, long = sorted([km_a, km_b])
    price = [price_order(order(distance_km=k), ListChain(default=(lst,)), RATES).total for k in (short, long)]
    assert price[0] <= price[1]


def test_a_batch_leaves_the_garbage_collector_as_it_found_it():
    facts = [order(), order(service="container")]
    price_orders(facts, {}, ListChain(default=(DEFAULT,)), RATES)
    assert gc.isenabled()
    gc.disable()
    try:
        out = price_orders(facts, {}, ListChain(default=(DEFAULT,)), RATES)
        assert not gc.isenabled()
        assert isinstance(out[1], PriceNotFound) and out[1].__traceback__ is None
    finally:
        gc.enable()


def test_a_breakdown_kept_as_json_comes_back_as_it_was():
    lst = surcharged(fuel=FuelSurcharge(Money(D(1500), "RWF"), D(40)), dangerous_pct=D("12.5"))
    facts = order(dangerous=True, waiting_hours=D("1.25"), extra_stops=1)
    priced = price_order(facts, ListChain(default=(lst,)), RATES, diesel_price=Money(D(1639), "RWF"))
    kept = json.loads(json.dumps(breakdown_to_json(priced)))
    assert kept["lines"][0]["amount"] == "1000000" and kept["total_company"] == [str(priced.total.amount), "RWF"]
    assert breakdown_from_json(kept) == priced
    usd = price_order(order(), ListChain((CLIENT_USD,)), RATES)
    assert breakdown_from_json(json.loads(json.dumps(breakdown_to_json(usd)))) == usd
