"""Price lists: which line of a list matches an order (the most specific), the checks of a
line before it is saved, and overlapping lines."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.errors import ValidationError
from core.money import Money
from core.price_lists import (
    FuelSurcharge,
    OrderFacts,
    OverlappingLine,
    Place,
    PriceLine,
    PriceList,
    Surcharges,
    check_line,
    check_list,
    check_surcharges,
    find_overlaps,
    is_night_or_weekend,
    overlaps_with,
    refuse_overlaps,
)

D = Decimal
DAY = dt.date(2026, 4, 15)
KIGALI, HUYE, KAMPALA = Place(1, "Kigali", zone_id=10), Place(2, "Huye", zone_id=20), Place(3, "Kampala", zone_id=30)
REEFER_CATEGORY = 7


def line(id: int, **kw) -> PriceLine:
    kw.setdefault("service", "ftl")
    kw.setdefault("unit", "trip")
    kw.setdefault("rate", D(100))
    return PriceLine(id, **kw)


def plist(*lines: PriceLine, **kw) -> PriceList:
    kw.setdefault("valid_from", dt.date(2026, 1, 1))
    return PriceList(kw.pop("id", 1), kw.pop("name", "Default 2026"), kw.pop("currency", "RWF"), lines=lines, **kw)


def order(**kw) -> OrderFacts:
    base = dict(
        client_id=5,
        client_name="Kivu Beer",
        day=DAY,
        service="ftl",
        origin=KIGALI,
        destination=HUYE,
        distance_km=D(135),
    )
    return OrderFacts(**{**base, **kw})


EXACT = line(1, from_place=1, to_place=2)
ZONES = line(2, from_zone=10, to_zone=20)
ANY = line(3)


def test_the_exact_route_wins_over_the_zones_and_the_zones_over_any_route():
    assert plist(ANY, ZONES, EXACT).match("ftl", order()) == EXACT
    assert plist(ANY, ZONES).match("ftl", order()) == ZONES
    assert plist(ANY).match("ftl", order()) == ANY


def test_routes_are_directed():
    back = order(origin=HUYE, destination=KIGALI)
    assert plist(EXACT, ZONES).match("ftl", back) is None
    assert plist(EXACT, ANY).match("ftl", back) == ANY


def test_a_place_without_a_zone_is_priced_by_its_exact_route_or_any_route():
    lone = Place(9, "Rusumo")
    assert plist(ZONES, ANY).match("ftl", order(destination=lone)) == ANY


def test_a_given_vehicle_category_or_body_type_wins_over_any_and_a_different_one_never_matches():
    generic = line(1, from_place=1, to_place=2)
    reefer = line(2, from_place=1, to_place=2, body_type="Reefer")
    category = line(3, from_place=1, to_place=2, vehicle_category=REEFER_CATEGORY)
    both = line(4, from_place=1, to_place=2, vehicle_category=REEFER_CATEGORY, body_type="reefer")
    lst = plist(generic, reefer, category, both)
    assert lst.match("ftl", order(body_type=" REEFER ", vehicle_category=REEFER_CATEGORY)) == both
    assert lst.match("ftl", order(body_type="reefer")) == reefer
    assert lst.match("ftl", order(vehicle_category=REEFER_CATEGORY)) == category
    assert lst.match("ftl", order(body_type="flatbed", vehicle_category=99)) == generic
    assert plist(reefer, category).match("ftl", order()) is None


def test_the_route_counts_before_the_vehicle():
    exact_any_vehicle = line(1, from_place=1, to_place=2)
    zone_reefer = line(2, from_zone=10, to_zone=20, body_type="reefer", vehicle_category=REEFER_CATEGORY)
    lst = plist(zone_reefer, exact_any_vehicle)
    assert lst.match("ftl", order(body_type="reefer", vehicle_category=REEFER_CATEGORY)) == exact_any_vehicle


def test_a_line_prices_only_its_own_service():
    assert plist(line(1, service="ltl", unit="tonne")).match("ftl", order()) is None


def test_a_line_is_used_only_inside_its_own_dates():
    march = line(1, valid_from=dt.date(2026, 3, 1), valid_to=dt.date(2026, 3, 31))
    april = line(2, valid_from=dt.date(2026, 4, 1), rate=D(120))
    lst = plist(march, april)
    assert lst.match("ftl", order(day=dt.date(2026, 3, 31))) == march
    assert lst.match("ftl", order(day=dt.date(2026, 4, 1))) == april
    assert plist(march).match("ftl", order()) is None


def test_a_list_is_valid_from_its_first_through_its_last_day():
    lst = plist(valid_from=dt.date(2026, 1, 1), valid_to=dt.date(2026, 6, 30))
    assert lst.valid_on(dt.date(2026, 1, 1)) and lst.valid_on(dt.date(2026, 6, 30))
    assert not lst.valid_on(dt.date(2025, 12, 31)) and not lst.valid_on(dt.date(2026, 7, 1))


lines_st = st.lists(
    st.builds(
        lambda i, place, zone, cat, body: line(
            i,
            from_place=1 if place else None,
            to_place=2 if place else None,
            from_zone=10 if zone and not place else None,
            to_zone=20 if zone and not place else None,
            vehicle_category=REEFER_CATEGORY if cat else None,
            body_type="reefer" if body else None,
        ),
        st.integers(1, 10**6),
        st.booleans(),
        st.booleans(),
        st.booleans(),
        st.booleans(),
    ),
    min_size=1,
    max_size=12,
    unique_by=lambda ln: ln.key,
)


@given(lines_st, st.randoms(use_true_random=False), st.booleans(), st.booleans())
def test_the_line_chosen_is_the_most_specific_match_whatever_the_order_of_the_lines(lines, rnd, cat, body):
    facts = order(vehicle_category=REEFER_CATEGORY if cat else None, body_type="reefer" if body else None)
    shuffled = list(lines)
    rnd.shuffle(shuffled)
    chosen = plist(*shuffled).match("ftl", facts)
    matching = [
        ln
        for ln in lines
        if (ln.vehicle_category is None or cat) and (ln.body_type is None or body)  # every route here matches
    ]
    if not matching:
        assert chosen is None
    else:
        assert chosen is not None
        assert chosen.specificity == max(ln.specificity for ln in matching)
        assert chosen == plist(*lines).match("ftl", facts)


# ---- checks of a line -------------------------------------------------------------------


def errors_of(fn, *args) -> dict:
    with pytest.raises(ValidationError) as err:
        fn(*args)
    return {name: message for name, (message, _params) in err.value.errors.items()}


def test_waiting_is_priced_per_hour_and_loading_not_per_km():
    assert "hour of waiting" in errors_of(check_line, line(1, service="waiting", unit="trip"), plist())["unit"]
    assert "unit" in errors_of(check_line, line(1, service="loading", unit="km"), plist())
    assert "unit" in errors_of(check_line, line(1, service="ftl", unit="stop"), plist())
    check_line(line(1, service="waiting", unit="waiting_hour"), plist())
    check_line(line(1, service="extra_stop", unit="stop"), plist())


def test_a_line_needs_a_known_service_and_no_negative_rate_or_minimum():
    assert "service" in errors_of(check_line, line(1, service="flying"), plist())
    found = errors_of(check_line, line(1, rate=D(-1), minimum=D(-5)), plist())
    assert set(found) == {"rate", "minimum"}
    assert "prices nothing" in errors_of(check_line, line(1, rate=D(0)), plist())["rate"]
    check_line(line(1, rate=D(0), minimum=D(50000)), plist())  # a flat minimum alone is a price


@pytest.mark.parametrize(
    "route",
    [
        dict(from_place=1),
        dict(to_zone=20),
        dict(from_place=1, to_place=2, from_zone=10, to_zone=20),
    ],
)
def test_a_route_is_two_places_two_zones_or_none(route):
    assert "route" in errors_of(check_line, line(1, **route), plist())


def test_a_line_ends_after_it_starts_and_inside_its_list():
    bad = line(1, valid_from=dt.date(2026, 5, 1), valid_to=dt.date(2026, 4, 1))
    assert "valid_to" in errors_of(check_line, bad, plist())
    outside = line(1, valid_from=dt.date(2027, 1, 1))
    with pytest.raises(ValidationError) as err:
        check_line(outside, plist(valid_to=dt.date(2026, 12, 31)))
    assert err.value.errors["valid_from"][1]["list"] == "Default 2026"


def test_a_price_list_needs_a_name_a_currency_and_dates_in_order():
    found = errors_of(check_list, " ", "usd", dt.date(2026, 2, 1), dt.date(2026, 1, 1))
    assert set(found) == {"name", "currency", "valid_to"}
    assert "valid_from" in errors_of(check_list, "Default", "RWF", None, None)
    check_list("Default", "RWF", dt.date(2026, 1, 1), None)


def test_surcharges_are_percentages_and_the_fuel_index_needs_a_base_price():
    found = errors_of(
        check_surcharges,
        Surcharges(FuelSurcharge(Money(D(0), "RWF"), D(0)), dangerous_pct=D(-1), night_weekend_pct=D(101)),
    )
    assert set(found) == {"dangerous_pct", "night_weekend_pct", "fuel_base_price", "fuel_share_pct"}
    check_surcharges(Surcharges(FuelSurcharge(Money(D(1639), "RWF"), D(35)), dangerous_pct=D(25)))


# ---- overlaps ---------------------------------------------------------------------------


def test_two_lines_with_one_key_sharing_a_day_overlap_even_on_the_last_day():
    a = line(1, valid_from=dt.date(2026, 1, 1), valid_to=dt.date(2026, 3, 31))
    b = line(2, valid_from=dt.date(2026, 3, 31), unit="km")  # the unit is not part of the key
    [found] = find_overlaps(plist(a, b))
    assert (found.first, found.second, found.start, found.end) == (a, b, dt.date(2026, 3, 31), dt.date(2026, 3, 31))


def test_lines_that_follow_each_other_or_differ_in_key_do_not_overlap():
    a = line(1, valid_to=dt.date(2026, 3, 31))
    b = line(2, valid_from=dt.date(2026, 4, 1))
    c = line(3, body_type="reefer")
    d = line(4, from_place=1, to_place=2)
    e = line(5, from_place=2, to_place=1)
    assert find_overlaps(plist(a, b, d, e)) == []
    assert [(o.first.id, o.second.id) for o in find_overlaps(plist(a, b, c))] == []
    assert [(o.first.id, o.second.id) for o in find_overlaps(plist(a, line(6, body_type=" Reefer"), c))] == [(3, 6)]


def test_an_edited_line_is_not_compared_with_itself_and_an_open_end_runs_on():
    a = line(1)
    assert overlaps_with(a, plist(a)) == []
    [found] = overlaps_with(line(9, valid_from=dt.date(2026, 6, 1)), plist(a))
    assert found.second == a and found.start == dt.date(2026, 6, 1) and found.end is None


def test_refusing_an_overlap_names_the_other_line_and_the_shared_days():
    existing = line(4, valid_to=dt.date(2026, 12, 31))
    with pytest.raises(OverlappingLine) as err:
        refuse_overlaps(line(9, valid_from=dt.date(2026, 7, 1)), plist(existing))
    assert err.value.params == {"line": 4, "start": dt.date(2026, 7, 1), "end": dt.date(2026, 12, 31)}
    refuse_overlaps(line(9, valid_from=dt.date(2027, 1, 1)), plist(existing))


periods = st.tuples(st.integers(0, 40), st.one_of(st.none(), st.integers(0, 40))).filter(
    lambda p: p[1] is None or p[1] >= p[0]
)


@given(st.lists(st.tuples(st.booleans(), periods), max_size=8))
def test_overlaps_found_are_exactly_the_pairs_of_one_key_sharing_a_day(specs):
    start = dt.date(2026, 1, 1)
    lines = [
        line(
            i + 1,
            body_type="reefer" if reefer else None,
            valid_from=start + dt.timedelta(days=a),
            valid_to=None if b is None else start + dt.timedelta(days=b),
        )
        for i, (reefer, (a, b)) in enumerate(specs)
    ]

    def days(ln):
        last = ln.valid_to or start + dt.timedelta(days=45)
        return {ln.valid_from + dt.timedelta(days=k) for k in range((last - ln.valid_from).days + 1)}

    expected = {(x.id, y.id) for x in lines for y in lines if x.id < y.id and x.key == y.key and days(x) & days(y)}
    assert {(o.first.id, o.second.id) for o in find_overlaps(plist(*lines))} == expected


# ---- night and weekend ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (dt.datetime(2026, 4, 15, 12, 0), False),  # a Wednesday noon
        (dt.datetime(2026, 4, 15, 22, 0), True),
        (dt.datetime(2026, 4, 16, 5, 59), True),
        (dt.datetime(2026, 4, 16, 6, 0), False),
        (dt.datetime(2026, 4, 18, 12, 0), True),  # a Saturday
    ],
)
def test_night_hours_run_over_midnight_and_weekends_count(at, expected):
    assert is_night_or_weekend(at, dt.time(22), dt.time(6)) is expected


def test_night_hours_within_one_day():
    assert is_night_or_weekend(dt.datetime(2026, 4, 15, 1, 0), dt.time(0), dt.time(5))
    assert not is_night_or_weekend(dt.datetime(2026, 4, 15, 23, 0), dt.time(0), dt.time(5))
