"""Route cost: fuel by the vehicle's norm, driver pay, parking, tolls and border fees, wear,
the empty return, and the margin against the price."""

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.fleet import FuelNorms, normative_fuel
from core.money import CurrencyMismatch, Money, RateNotFound, RateRow, Rates
from core.route_cost import (
    Charge,
    ChargeTable,
    CostRateMissing,
    CostTariff,
    DriverPay,
    InvalidLeg,
    Leg,
    VehicleCost,
    WearRates,
    margin,
    trip_cost,
    trip_days,
    wear_rates_for,
)

D = Decimal
DAY = dt.date(2026, 4, 15)
GATUNA, KAMPALA, HUYE = 40, 3, 2
RATES = Rates([RateRow(DAY, "USD", "RWF", D(1450))], "RWF")
NORMS = FuelNorms(D(32), per_tonne_100km=D("0.5"), trailer_pct=D(5), winter_pct=D(3), city_pct=D(10))


def rwf(amount) -> Money:
    return Money(D(str(amount)), "RWF")


def usd(amount) -> Money:
    return Money(D(str(amount)), "USD")


def tariff(**kw) -> CostTariff:
    base = dict(
        fuel_price=rwf(1639),
        driver=DriverPay(rwf(15_000), rwf(10_000), rwf(20), rwf(5_000)),
        parking_per_night=rwf(5_000),
        charges=ChargeTable(
            [
                Charge(GATUNA, "Uganda road toll", usd(20)),
                Charge(GATUNA, "Uganda road toll", usd(45), vehicle_category=2),  # heavy trucks pay more
                Charge(GATUNA, "Rwanda exit fee", rwf(10_000)),
                Charge(KAMPALA, "Kampala city fee", usd(5)),
            ]
        ),
        driving_hours_per_day=D(10),
    )
    return CostTariff(**{**base, **kw})


def vehicle(**kw) -> VehicleCost:
    base = dict(norms=NORMS, wear=WearRates(rwf(30), rwf(50)), category_id=1)
    return VehicleCost(**{**base, **kw})


KIGALI_HUYE = Leg("Kigali", "Huye", D(135), hours=D(3), load_t=D(24), city_share=D("0.1"), to_place=HUYE)
KIGALI_GATUNA_KAMPALA = Leg(
    "Kigali",
    "Kampala",
    D(510),
    hours=D(11),
    load_t=D(20),
    to_place=KAMPALA,
    border_crossings=(GATUNA,),
    stop_hours=D(3),
)
HUYE_KIGALI_EMPTY = Leg("Huye", "Kigali", D(135), hours=D(3), city_share=D("0.1"))


def test_fuel_is_the_norm_for_each_leg_times_the_fuel_price():
    cost = trip_cost([KIGALI_HUYE], vehicle(), tariff(), RATES, DAY)
    [fuel] = [ln for ln in cost.lines if ln.kind == "fuel"]
    # 32 l/100 km x 135 = 43.2; city 10 % of 10 % = +0.432; 0.5 l x 24 t x 1.35 = 16.2 -> 59.83 l
    assert fuel.quantity == D("59.83") == cost.litres
    assert fuel.amount == rwf(98_061)  # 59.83 x 1,639 = 98,061.37
    assert (fuel.leg, fuel.name, fuel.unit) == (0, "Kigali - Huye", "l")


def test_the_trailer_and_the_season_raise_the_fuel_by_the_vehicles_norms():
    cost = trip_cost(
        [KIGALI_HUYE], vehicle(trailer_wear=WearRates(rwf(10), rwf(10))), tariff(), RATES, DAY, winter=True
    )
    expected = normative_fuel(NORMS, D(135), D(24), True, True, D("0.1"))
    assert cost.litres == expected > D("59.83")


def test_a_short_trip_is_one_day_and_a_long_one_pays_its_nights_away():
    short = trip_cost([KIGALI_HUYE], vehicle(), tariff(), RATES, DAY)
    assert (short.days, short.nights) == (1, 0)
    assert not [ln for ln in short.lines if ln.kind in ("parking", "driver_nights")]
    long = trip_cost(
        [KIGALI_GATUNA_KAMPALA, replace(KIGALI_GATUNA_KAMPALA, load_t=D(0))], vehicle(), tariff(), RATES, DAY
    )
    assert long.hours == D(28) and (long.days, long.nights) == (3, 2)
    kinds = long.by_kind()
    assert kinds["driver_days"] == rwf(45_000) and kinds["driver_nights"] == rwf(20_000)
    assert kinds["parking"] == rwf(10_000)


def test_planned_nights_replace_the_estimate_from_hours():
    cost = trip_cost([KIGALI_HUYE], vehicle(), tariff(), RATES, DAY, nights=2)
    assert (cost.days, cost.nights) == (3, 2)
    assert cost.by_kind()["parking"] == rwf(10_000)


def test_a_second_driver_doubles_the_driver_pay_but_not_the_parking():
    one = trip_cost([KIGALI_HUYE], vehicle(), tariff(), RATES, DAY, nights=1).by_kind()
    two = trip_cost([KIGALI_HUYE], vehicle(), tariff(), RATES, DAY, nights=1, drivers=2).by_kind()
    for kind in ("driver_days", "driver_nights", "driver_km", "driver_trip"):
        assert two[kind] == one[kind] * 2
    assert two["parking"] == one["parking"] == rwf(5_000)
    assert one["driver_km"] == rwf(2_700) and one["driver_trip"] == rwf(5_000)


def test_border_and_road_fees_are_charged_where_the_leg_crosses_and_arrives_in_their_own_currency():
    cost = trip_cost([KIGALI_GATUNA_KAMPALA], vehicle(), tariff(), RATES, DAY)
    charges = [(ln.name, ln.amount, ln.amount_company) for ln in cost.lines if ln.kind == "charge"]
    assert charges == [
        ("Uganda road toll", usd(20), rwf(29_000)),
        ("Rwanda exit fee", rwf(10_000), rwf(10_000)),
        ("Kampala city fee", usd(5), rwf(7_250)),
    ]


def test_a_charge_for_the_vehicles_category_replaces_the_general_one():
    cost = trip_cost([KIGALI_GATUNA_KAMPALA], vehicle(category_id=2), tariff(), RATES, DAY)
    tolls = [ln.amount for ln in cost.lines if ln.name == "Uganda road toll"]
    assert tolls == [usd(45)]


def test_a_place_is_charged_once_per_leg_even_when_it_is_crossed_and_reached():
    leg = replace(KIGALI_GATUNA_KAMPALA, to_place=GATUNA, border_crossings=(GATUNA, GATUNA))
    cost = trip_cost([leg], vehicle(), tariff(), RATES, DAY)
    assert [ln.name for ln in cost.lines if ln.kind == "charge"] == ["Uganda road toll", "Rwanda exit fee"]


def test_a_fee_in_a_currency_without_the_days_rate_is_a_named_error():
    with pytest.raises(RateNotFound) as err:
        trip_cost([KIGALI_GATUNA_KAMPALA], vehicle(), tariff(), Rates([], "RWF"), DAY)
    assert err.value.params["currency"] == "USD" and err.value.day == DAY


def test_wear_counts_every_km_of_the_vehicle_and_of_its_trailer():
    solo = trip_cost([KIGALI_HUYE], vehicle(), tariff(), RATES, DAY).by_kind()
    assert solo["tyres"] == rwf(4_050) and solo["maintenance"] == rwf(6_750)
    assert "trailer_tyres" not in solo
    pulled = trip_cost([KIGALI_HUYE], vehicle(trailer_wear=WearRates(rwf(12), rwf(8))), tariff(), RATES, DAY).by_kind()
    assert pulled["trailer_tyres"] == rwf(1_620) and pulled["trailer_maintenance"] == rwf(1_080)


def test_the_empty_return_to_the_depot_is_costed_and_named_as_the_last_leg():
    cost = trip_cost([KIGALI_HUYE], vehicle(), tariff(), RATES, DAY, return_leg=HUYE_KIGALI_EMPTY)
    fuel = [ln for ln in cost.lines if ln.kind == "fuel"]
    assert [(ln.leg, ln.name) for ln in fuel] == [(0, "Kigali - Huye"), (1, "Huye - Kigali")]
    assert fuel[1].quantity == D("43.63")  # 43.2 + city 0.432, no load
    assert cost.km == D(270) and cost.by_kind()["tyres"] == rwf(8_100)
    with pytest.raises(InvalidLeg) as err:
        trip_cost([KIGALI_HUYE], vehicle(), tariff(), RATES, DAY, return_leg=replace(HUYE_KIGALI_EMPTY, load_t=D(1)))
    assert err.value.params == {"n": 2, "route": "Huye - Kigali"}


@pytest.mark.parametrize(
    "bad", [dict(km=D(-1)), dict(hours=D(-2)), dict(load_t=D(-1)), dict(city_share=D("1.5")), dict(stop_hours=D(-1))]
)
def test_impossible_legs_are_refused_naming_the_leg(bad):
    with pytest.raises(InvalidLeg) as err:
        trip_cost([KIGALI_HUYE, replace(KIGALI_HUYE, **bad)], vehicle(), tariff(), RATES, DAY)
    assert err.value.params["n"] == 2


def test_a_trip_needs_a_route_a_driver_and_driving_hours():
    with pytest.raises(CostRateMissing):
        trip_cost([], vehicle(), tariff(), RATES, DAY)
    with pytest.raises(CostRateMissing):
        trip_cost([KIGALI_HUYE], vehicle(), tariff(), RATES, DAY, drivers=0)
    with pytest.raises(CostRateMissing):
        trip_cost([KIGALI_HUYE], vehicle(), tariff(driving_hours_per_day=D(0)), RATES, DAY)
    assert trip_days(D(0), D(10)) == 1 and trip_days(D(10), D(10)) == 1 and trip_days(D("10.01"), D(10)) == 2


def test_a_vehicle_without_a_category_or_rates_has_no_silent_zero_wear():
    table = {1: WearRates(rwf(30), rwf(50))}
    assert wear_rates_for(table, 1, "Truck 10 t", "RAB 123 A") == table[1]
    with pytest.raises(CostRateMissing) as err:
        wear_rates_for(table, None, "", "RAB 123 A")
    assert err.value.params == {"plate": "RAB 123 A"}
    with pytest.raises(CostRateMissing) as err:
        wear_rates_for(table, 2, "Tractor 40 t", "RAC 1 B")
    assert err.value.params == {"category": "Tractor 40 t"}


def test_the_breakdown_lines_add_up_to_the_total_in_the_companys_currency():
    cost = trip_cost([KIGALI_GATUNA_KAMPALA], vehicle(), tariff(), RATES, DAY, return_leg=HUYE_KIGALI_EMPTY)
    assert sum(ln.amount_company for ln in cost.lines) == cost.total
    assert sum(cost.by_kind().values()) == cost.total
    assert {ln.amount_company.currency for ln in cost.lines} == {"RWF"} == {cost.currency}


# ---- margin -----------------------------------------------------------------------------


def test_the_margin_is_price_less_cost_as_a_share_of_the_price():
    m = margin(rwf(1_000_000), rwf(850_000), D(20))
    assert m.margin == rwf(150_000) and m.percent == D("15.0")
    assert m.margin_warning
    assert m.warning() == (
        "The margin is {pct} % of the price, under the minimum of {minimum} %.",
        {"pct": D("15.0"), "minimum": D(20)},
    )
    good = margin(rwf(1_000_000), rwf(700_000), D(20))
    assert not good.margin_warning and good.warning() is None


def test_a_loss_and_a_missing_price_warn():
    assert margin(rwf(500_000), rwf(600_000), D(10)).percent == D("-20.0")
    none = margin(rwf(0), rwf(600_000), D(10))
    assert none.percent is None and none.margin_warning and none.warning()[0].startswith("The order has no price")


def test_the_margin_compares_only_amounts_in_one_currency():
    with pytest.raises(CurrencyMismatch):
        margin(usd(1000), rwf(600_000), D(10))


# ---- properties -------------------------------------------------------------------------

km_st = st.decimals(min_value=0, max_value=1500, places=1)
legs_st = st.builds(
    Leg,
    st.just("A"),
    st.just("B"),
    km_st,
    hours=st.decimals(min_value=0, max_value=30, places=1),
    load_t=st.decimals(min_value=0, max_value=40, places=2),
    city_share=st.decimals(min_value=0, max_value=1, places=2),
    to_place=st.sampled_from([None, GATUNA, KAMPALA, HUYE]),
    border_crossings=st.lists(st.sampled_from([GATUNA, KAMPALA]), max_size=2).map(tuple),
    stop_hours=st.decimals(min_value=0, max_value=10, places=1),
    hvac_hours=st.decimals(min_value=0, max_value=10, places=1),
)
trailer_st = st.sampled_from([None, WearRates(rwf(12), rwf(8))])


@given(st.lists(legs_st, min_size=1, max_size=5), legs_st, st.integers(0, 5), trailer_st, st.booleans())
def test_adding_a_leg_never_lowers_the_cost(legs, extra, where, trailer, winter):
    v = vehicle(trailer_wear=trailer)
    before = trip_cost(legs, v, tariff(), RATES, DAY, winter=winter)
    after = trip_cost([*legs[:where], extra, *legs[where:]], v, tariff(), RATES, DAY, winter=winter)
    assert after.total >= before.total


@given(st.lists(legs_st, min_size=1, max_size=5), st.integers(0, 4), st.decimals(min_value=0, max_value=20, places=2))
def test_adding_load_never_lowers_the_cost(legs, which, more):
    i = which % len(legs)
    heavier = [*legs[:i], replace(legs[i], load_t=legs[i].load_t + more), *legs[i + 1 :]]
    assert (
        trip_cost(heavier, vehicle(), tariff(), RATES, DAY).total
        >= trip_cost(legs, vehicle(), tariff(), RATES, DAY).total
    )


@given(
    st.lists(legs_st, min_size=1, max_size=5),
    st.decimals(min_value=0, max_value=5000, places=2),
    st.decimals(min_value=0, max_value=5000, places=2),
)
def test_cost_is_linear_in_the_fuel_price(legs, price_a, price_b):
    def run(price):
        return trip_cost(legs, vehicle(), tariff(fuel_price=rwf(price)), RATES, DAY)

    a, b = run(price_a), run(price_b)
    fuel_a = [ln for ln in a.lines if ln.kind == "fuel"]
    # the fuel lines are litres x price (each rounded to the franc), and nothing else moves
    assert all(ln.amount.amount == (ln.quantity * price_a).quantize(D(1), rounding="ROUND_HALF_UP") for ln in fuel_a)
    rest = [{k: v for k, v in c.by_kind().items() if k != "fuel"} for c in (a, b)]
    assert rest[0] == rest[1]
    fuel_sum = [sum((ln.amount.amount for ln in c.lines if ln.kind == "fuel"), D(0)) for c in (a, b)]
    exact = [a.litres * price_a, a.litres * price_b]
    assert all(abs(f - e) <= D("0.5") * len(legs) for f, e in zip(fuel_sum, exact, strict=True))
    assert a.litres == b.litres


@given(
    st.lists(legs_st, min_size=1, max_size=5), trailer_st, st.integers(1, 2), st.one_of(st.none(), st.integers(0, 6))
)
def test_the_lines_always_add_up_to_the_total_in_the_companys_currency(legs, trailer, drivers, nights):
    cost = trip_cost(legs, vehicle(trailer_wear=trailer), tariff(), RATES, DAY, drivers=drivers, nights=nights)
    assert sum((ln.amount_company for ln in cost.lines), Money.zero("RWF")) == cost.total
    assert all(ln.amount_company.currency == "RWF" and ln.amount_company.amount >= 0 for ln in cost.lines)
    assert all(ln.amount == ln.amount.rounded() for ln in cost.lines)
