"""Places and distance rules (SPEC T2), no database: coordinates, names, kinds, countries,
road km and hours, the great circle and the estimate, and how a distance is printed."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.places import (
    DistanceInfo,
    Point,
    RuleError,
    check_kind,
    check_pace,
    clean_country,
    clean_name,
    country_name,
    distance_text,
    estimate,
    from_table,
    great_circle_km,
    hours_at,
    parse_coordinate,
    parse_hours,
    parse_km,
)

KIGALI = Point(Decimal("-1.943889"), Decimal("30.059444"))
KAMPALA = Point(Decimal("0.313600"), Decimal("32.581100"))
DAR = Point(Decimal("-6.838000"), Decimal("39.288000"))


def test_the_great_circle_between_kigali_and_kampala_is_about_376_km():
    assert Decimal(370) < great_circle_km(KIGALI, KAMPALA) < Decimal(380)
    assert great_circle_km(KIGALI, KIGALI) == 0


def test_the_great_circle_over_a_quarter_of_the_equator_is_a_quarter_of_the_earth():
    quarter = great_circle_km(Point(Decimal(0), Decimal(0)), Point(Decimal(0), Decimal(90)))
    assert abs(quarter - Decimal("10007.5")) < 1


def test_an_estimate_is_the_great_circle_times_the_road_factor_at_the_average_speed():
    found = estimate(KIGALI, DAR, Decimal("1.3"), Decimal(45))
    assert found.source == "estimate" and found.is_estimate
    assert found.km == (great_circle_km(KIGALI, DAR) * Decimal("1.3")).quantize(Decimal("0.1"))
    assert found.hours == (found.km / 45).quantize(Decimal("0.01"))
    with pytest.raises(RuleError):
        estimate(KIGALI, DAR, Decimal("0.9"), Decimal(45))  # no road is shorter than the straight line
    with pytest.raises(RuleError):
        hours_at(Decimal(100), Decimal(0))


points = st.builds(
    Point,
    st.decimals(min_value=-60, max_value=60, places=4),
    st.decimals(min_value=-179, max_value=179, places=4),
)


@given(points, points, st.decimals(min_value=1, max_value=3, places=2))
def test_an_estimate_is_symmetric_and_never_shorter_than_the_straight_line(a, b, factor):
    there, back = estimate(a, b, factor, Decimal(45)), estimate(b, a, factor, Decimal(45))
    assert there == back
    assert there.km >= great_circle_km(a, b) - Decimal("0.1")  # rounding to 0.1 km at most


@given(points, points, points)
def test_the_great_circle_keeps_the_triangle_inequality(a, b, c):
    assert great_circle_km(a, c) <= great_circle_km(a, b) + great_circle_km(b, c) + Decimal("0.2")


@pytest.mark.parametrize(
    "raw, axis, expected",
    [
        ("-1.9441", "latitude", "-1.944100"),
        ("1.9441 S", "latitude", "-1.944100"),
        ("1,9441S", "latitude", "-1.944100"),
        ("1°56′38″S", "latitude", "-1.943889"),
        ("1°56'38\"S", "latitude", "-1.943889"),
        ("0°18′49″N", "latitude", "0.313611"),
        ("30.0619", "longitude", "30.061900"),
        ("30°3′34″E", "longitude", "30.059444"),
        ("73.5 W", "longitude", "-73.500000"),
        ("−2.5", "latitude", "-2.500000"),  # a typographic minus
    ],
)
def test_coordinates_are_read_in_decimal_degrees_or_degrees_minutes_seconds(raw, axis, expected):
    assert parse_coordinate(raw, axis) == Decimal(expected)


@pytest.mark.parametrize(
    "raw, axis",
    [
        ("", "latitude"),
        ("91", "latitude"),
        ("-90.5", "latitude"),
        ("181", "longitude"),
        ("30.1 N", "longitude"),  # N is not a longitude's side
        ("1.9 E", "latitude"),
        ("-1.9 S", "latitude"),  # minus and south at once
        ("Kigali", "latitude"),
        ("1..2", "latitude"),
    ],
)
def test_coordinates_out_of_range_or_unreadable_are_refused(raw, axis):
    with pytest.raises(RuleError):
        parse_coordinate(raw, axis)


def test_names_kinds_and_countries_are_checked():
    assert clean_name("  Rusumo   border ") == "Rusumo border"
    for bad in ("", "   ", "x" * 121):
        with pytest.raises(RuleError):
            clean_name(bad)
    assert check_kind("border_post") == "border_post"
    with pytest.raises(RuleError):
        check_kind("harbour")
    assert clean_country(" rw ") == "RW"
    for bad in ("Rwanda", "RWA", "ZZ", "EU", ""):
        with pytest.raises(RuleError):
            clean_country(bad)
    assert country_name("TZ", "rw") != "" and country_name("FR", "en") == "France"


def test_road_km_and_hours_are_read_as_offices_write_them():
    assert parse_km("1,300") == Decimal("1300.0")
    assert parse_km("12,5") == Decimal("12.5")
    assert parse_km(" 135 ") == Decimal("135.0")
    for bad in ("", "0", "-5", "abc", "10001", "NaN", "Infinity"):
        with pytest.raises(RuleError):
            parse_km(bad)
    assert parse_hours("3:30") == Decimal("3.50")
    assert parse_hours("3,25") == Decimal("3.25")
    assert parse_hours("") is None and parse_hours(None) is None
    for bad in ("0", "-1", "3:75", "soon", "301"):
        with pytest.raises(RuleError):
            parse_hours(bad)


def test_typical_hours_faster_than_a_truck_drives_are_a_typing_error():
    check_pace(Decimal(135), Decimal("3.25"))
    check_pace(Decimal(5), Decimal("0.5"))  # a border crossing: slow is fine
    check_pace(Decimal(135), None)
    with pytest.raises(RuleError):
        check_pace(Decimal(135), Decimal("0.5"))


def test_a_table_row_without_hours_gets_them_from_the_average_speed_and_says_so():
    found = from_table(Decimal(90), None, Decimal(45))
    assert found == DistanceInfo(Decimal(90), Decimal("2.00"), "table", hours_estimated=True)
    assert from_table(Decimal(90), Decimal("2.5"), Decimal(45)).hours_estimated is False


def test_a_printed_distance_says_where_it_comes_from_and_marks_an_estimate():
    table = DistanceInfo(Decimal("135.0"), Decimal("3.25"), "table")
    assert distance_text(table, "en") == "135 km, 3.3 h (company table)"
    guess = DistanceInfo(Decimal("187.6"), Decimal("4.17"), "estimate")
    assert distance_text(guess, "en") == "≈ 187.6 km, 4.2 h (estimate)"
    assert distance_text(guess, "rw").startswith("≈")
    assert distance_text(guess, "rw") != distance_text(guess, "en")
