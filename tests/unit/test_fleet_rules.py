"""Fleet rules: plates, VINs, licence categories, odometer order, document status,
reminder thresholds, maintenance, fuel norms, and the dispatch check."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.fleet import (
    DocFacts,
    DriverFacts,
    FuelNorms,
    RuleError,
    UnitFacts,
    add_months,
    allowed_categories,
    dispatch_problems,
    document_status,
    expiry_threshold,
    maintenance_state,
    needed_category,
    normalize_plate,
    normalize_vin,
    normative_fuel,
    odometer_problem,
    parse_categories,
    worst_document_status,
)

TODAY = dt.date(2026, 11, 29)


def test_plates_are_kept_upper_case_with_single_spaces():
    assert normalize_plate("  rab 123  a ") == "RAB 123 A"


@pytest.mark.parametrize("raw", ["", "AB", "RAB-123-A!!!!!!!!!"])
def test_impossible_plates_are_refused(raw):
    with pytest.raises(RuleError):
        normalize_plate(raw)


def test_a_vin_has_17_characters_without_i_o_q():
    assert normalize_vin("yv2rt40a8ka123456") == "YV2RT40A8KA123456"
    for bad in ("YV2RT40A8KA12345", "YV2RT40A8KA12345O", "IV2RT40A8KA123456"):
        with pytest.raises(RuleError):
            normalize_vin(bad)


def test_unknown_licence_category_is_refused_by_name():
    with pytest.raises(RuleError) as err:
        parse_categories("B, C, X9")
    assert err.value.params["code"] == "X9"
    assert parse_categories("ce; b, c") == ["B", "C", "CE"]


def test_ce_covers_c_and_be_but_c_does_not_cover_ce():
    assert {"C", "C1", "BE", "B"} <= allowed_categories(["CE"])
    assert "CE" not in allowed_categories(["C", "B"])


def test_a_heavy_trailer_adds_e_and_a_light_one_does_not():
    assert needed_category("C", 30000, 750) == "CE"
    assert needed_category("B", 500, 750) == "B"
    assert needed_category("C", None, 750) == "CE"  # a trailer of unknown weight counts as heavy
    assert needed_category("C", None, 750, has_trailer=False) == "C"


def test_an_odometer_reading_must_fit_between_its_neighbours():
    assert odometer_problem(1000, 900, 1100) is None
    assert "below" in odometer_problem(800, 900, None)
    assert "above" in odometer_problem(1200, 900, 1100)


def test_document_status_by_days_left():
    assert document_status(TODAY - dt.timedelta(days=1), TODAY, 30) == "expired"
    assert document_status(TODAY, TODAY, 30) == "expiring"
    assert document_status(TODAY + dt.timedelta(days=30), TODAY, 30) == "expiring"
    assert document_status(TODAY + dt.timedelta(days=31), TODAY, 30) == "valid"
    assert document_status(None, TODAY, 30) == "none"


def test_a_records_documents_take_the_worst_status_of_the_newest_of_each_type():
    insurance_old, insurance_new = TODAY - dt.timedelta(days=40), TODAY + dt.timedelta(days=300)
    inspection = TODAY + dt.timedelta(days=10)
    assert worst_document_status([(1, insurance_old), (1, insurance_new)], TODAY, 30) == "valid"  # renewed
    assert worst_document_status([(1, insurance_old), (1, insurance_new), (2, inspection)], TODAY, 30) == "expiring"
    assert worst_document_status([(1, insurance_old), (2, inspection)], TODAY, 30) == "expired"
    assert worst_document_status([], TODAY, 30) == "none"


@given(
    st.lists(st.tuples(st.integers(1, 4), st.integers(-60, 60)), max_size=12),
    st.integers(min_value=0, max_value=45),
)
def test_the_worst_status_is_the_status_of_the_earliest_end_among_the_newest(docs, warn):
    """What the unit list computes in SQL (the earliest of each type's latest end) gives the
    same status as the rule applied to every document."""
    pairs = [(type_id, TODAY + dt.timedelta(days=days)) for type_id, days in docs]
    newest = {t: max(v for k, v in pairs if k == t) for t, _ in pairs}
    earliest = min(newest.values()) if newest else None
    assert worst_document_status(pairs, TODAY, warn) == document_status(earliest, TODAY, warn)


@pytest.mark.parametrize(
    "days_left, threshold", [(40, None), (30, 30), (20, 30), (14, 14), (5, 7), (1, 1), (0, 1), (-1, -1)]
)
def test_the_tightest_reminder_threshold_reached(days_left, threshold):
    assert expiry_threshold(TODAY + dt.timedelta(days=days_left), TODAY, (30, 14, 7, 1)) == threshold


@given(st.integers(min_value=-400, max_value=400))
def test_thresholds_only_tighten_as_the_end_approaches(days_left):
    leads = (30, 14, 7, 1)
    end = TODAY + dt.timedelta(days=days_left)
    now = expiry_threshold(end, TODAY, leads)
    later = expiry_threshold(end, TODAY + dt.timedelta(days=1), leads)
    if now is not None:
        assert later is not None
        assert (later == -1) or (now != -1 and later <= now)


def test_add_months_keeps_the_end_of_month():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 8, 15), 6) == dt.date(2027, 2, 15)


def test_maintenance_is_due_by_kilometres_or_by_time_whichever_first():
    by_km = maintenance_state(15000, 6, 100_000, TODAY, 114_200, TODAY, 1000, 14)
    assert by_km.next_km == 115_000 and by_km.due and not by_km.overdue
    by_time = maintenance_state(15000, 6, 100_000, dt.date(2026, 5, 20), 101_000, TODAY, 1000, 14)
    assert by_time.next_date == dt.date(2026, 11, 20) and by_time.overdue
    fine = maintenance_state(15000, 6, 100_000, TODAY, 101_000, TODAY, 1000, 14)
    assert not fine.due


def test_normative_fuel_adds_load_trailer_winter_city_and_hvac():
    norms = FuelNorms(Decimal("32"), Decimal("1.3"), Decimal("10"), Decimal("5"), Decimal("20"), Decimal("2"))
    # 500 km: base 160 l; +15% trailer and winter = 184; city 10% share at 20% = +3.2;
    # load 20 t * 1.3 * 5 = 130; hvac 3 h * 2 = 6
    assert normative_fuel(norms, Decimal(500), Decimal(20), True, True, Decimal("0.1"), Decimal(3)) == Decimal("323.20")


@given(st.decimals(min_value=0, max_value=5000, places=1), st.decimals(min_value=0, max_value=40, places=1))
def test_more_load_never_lowers_the_norm(distance, load):
    norms = FuelNorms(Decimal("30"), Decimal("1.2"))
    assert normative_fuel(norms, distance, load + 1) >= normative_fuel(norms, distance, load)


def _unit(**kw):
    base = dict(
        id=1,
        plate="RAB 123 A",
        unit_type="tractor",
        status="active",
        archived=False,
        required_licence="C",
        payload_kg=None,
    )
    return UnitFacts(**{**base, **kw})


def _driver(**kw):
    base = dict(
        employee_id=9,
        name="Eric Habimana",
        archived=False,
        licence_categories=("B", "C", "CE"),
        licence_valid_to=TODAY + dt.timedelta(days=400),
        medical_status="fit",
    )
    return DriverFacts(**{**base, **kw})


REQUIRED = {"vehicle": {1: "Insurance"}, "trailer": {2: "Insurance"}, "driver": {}}
GOOD_DOC = [DocFacts(1, "Insurance", None, TODAY + dt.timedelta(days=100))]
TRAILER_DOC = [DocFacts(2, "Insurance", None, TODAY + dt.timedelta(days=100))]


def check(unit=None, unit_docs=GOOD_DOC, trailer=None, trailer_docs=TRAILER_DOC, driver=None, end_days=3):
    return dispatch_problems(
        unit or _unit(),
        unit_docs,
        trailer,
        trailer_docs,
        driver or _driver(),
        [],
        REQUIRED,
        TODAY,
        TODAY + dt.timedelta(days=end_days),
        750,
    )


def test_a_compliant_assignment_has_no_problem():
    assert check(trailer=_unit(id=2, plate="RL 1", unit_type="trailer", required_licence=None, payload_kg=30000)) == []


def test_an_expired_licence_is_refused_with_its_date():
    problems = check(driver=_driver(licence_valid_to=TODAY - dt.timedelta(days=2)))
    assert [p.code for p in problems] == ["licence_expired"]
    assert problems[0].params["date"] == TODAY - dt.timedelta(days=2)


def test_a_document_ending_during_the_trip_is_refused():
    docs = [DocFacts(1, "Insurance", None, TODAY + dt.timedelta(days=1))]
    assert [p.code for p in check(unit_docs=docs)] == ["doc_expires"]


def test_a_missing_required_document_is_refused():
    assert [p.code for p in check(unit_docs=[])] == ["doc_missing"]


def test_a_c_licence_does_not_cover_a_tractor_with_a_heavy_trailer():
    trailer = _unit(id=2, plate="RL 1", unit_type="trailer", required_licence=None, payload_kg=30000)
    problems = check(trailer=trailer, driver=_driver(licence_categories=("B", "C")))
    assert [p.code for p in problems] == ["licence_category"]
    assert problems[0].params["needed"] == "CE"


def test_a_unit_in_repair_and_an_unfit_driver_are_both_reported():
    problems = check(unit=_unit(status="in_repair"), driver=_driver(medical_status="unfit"))
    assert {p.code for p in problems} == {"unit_in_repair", "medical_unfit"}


def test_a_renewal_follows_the_old_document_for_as_long_as_it_ran():
    from core.fleet import renewal_period

    d = dt.date
    # a year of whole months runs again as a year of whole months, leap day or not
    assert renewal_period(d(2027, 3, 1), d(2028, 2, 29)) == (d(2028, 3, 1), d(2029, 2, 28))
    assert renewal_period(d(2025, 3, 1), d(2026, 2, 28)) == (d(2026, 3, 1), d(2027, 2, 28))
    assert renewal_period(d(2026, 1, 1), d(2026, 6, 30)) == (d(2026, 7, 1), d(2026, 12, 31))
    # a period of days runs again as many days; no start known: a year
    assert renewal_period(d(2026, 1, 10), d(2026, 1, 24)) == (d(2026, 1, 25), d(2026, 2, 8))
    assert renewal_period(None, d(2026, 5, 31)) == (d(2026, 6, 1), d(2027, 5, 31))
