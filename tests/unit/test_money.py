"""Money and exchange rates: amounts carry their currency, rounding per currency, the rate of
the day from the rate table, and a named error instead of a silent 1.0."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.i18n import fill
from core.money import (
    CurrencyMismatch,
    InvalidCurrency,
    InvalidRate,
    Money,
    RateNotFound,
    RateRow,
    Rates,
    places,
    round_amount,
    total,
)

D = Decimal
MON = dt.date(2026, 3, 2)


def usd(amount) -> Money:
    return Money(D(str(amount)), "USD")


def rwf(amount) -> Money:
    return Money(D(str(amount)), "RWF")


def rates(*rows: tuple[dt.date, str, str, str], max_age_days: int = 7) -> Rates:
    return Rates([RateRow(day, a, b, D(r)) for day, a, b, r in rows], "RWF", max_age_days)


def test_amounts_of_one_currency_add_subtract_and_compare():
    assert usd("10.50") + usd("4.25") == usd("14.75")
    assert usd(10) - usd(15) == usd(-5)
    assert usd(3) < usd(4) <= usd(4)
    assert sum([rwf(100), rwf(250)]) == rwf(350)
    assert usd(2) * 3 == usd(6) == 3 * usd(2)
    assert -usd(2) == usd(-2)


@pytest.mark.parametrize(
    "mix",
    [
        lambda: usd(1) + rwf(1),
        lambda: usd(1) - rwf(1),
        lambda: usd(1) < rwf(1),
        lambda: usd(1) >= rwf(1),
        lambda: total([rwf(1), usd(1)], "RWF"),
    ],
)
def test_amounts_in_two_currencies_never_mix(mix):
    with pytest.raises(CurrencyMismatch) as err:
        mix()
    assert {err.value.params["left"], err.value.params["right"]} == {"USD", "RWF"}


def test_an_amount_is_never_a_float_and_a_price_times_a_price_means_nothing():
    with pytest.raises(TypeError):
        Money(1.1, "USD")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        usd(2) * usd(3)  # type: ignore[operator]
    with pytest.raises(TypeError):
        usd(2) * 1.5  # type: ignore[operator]
    assert Money(5, "RWF").amount == D(5)  # a whole number is taken as it is


@pytest.mark.parametrize("code", ["usd", "US", "USDX", "U$D", "", None])
def test_a_currency_is_a_three_letter_code(code):
    with pytest.raises(InvalidCurrency):
        Money(D(1), code)  # type: ignore[arg-type]


def test_each_currency_rounds_half_up_to_its_own_minor_unit():
    assert places("RWF") == 0 and places("UGX") == 0 and places("USD") == 2 and places("TZS") == 2
    assert places("BHD") == 3  # a code outside the table: by ISO 4217
    assert round_amount(D("1234.5"), "RWF") == D(1235)
    assert round_amount(D("1234.49"), "RWF") == D(1234)
    assert round_amount(D("0.125"), "USD") == D("0.13")
    assert round_amount(D("-0.125"), "USD") == D("-0.13")
    assert rwf("99.5").rounded() == rwf(100)


def test_the_total_of_nothing_is_zero_in_its_currency():
    assert total([], "USD") == usd(0)


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=6), st.sampled_from(["RWF", "USD", "UGX", "KES"]))
def test_rounding_is_within_half_a_minor_unit_and_idempotent(amount, currency):
    rounded = round_amount(amount, currency)
    assert abs(rounded - amount) <= D("0.5") * D(10) ** -places(currency)
    assert round_amount(rounded, currency) == rounded
    assert -rounded.as_tuple().exponent <= places(currency) or rounded == 0


def test_the_rate_of_a_day_is_the_latest_on_or_before_it():
    table = rates((MON, "USD", "RWF", "1450"), (MON + dt.timedelta(days=1), "USD", "RWF", "1452"))
    assert table.rate("USD", "RWF", MON) == D(1450)
    assert table.rate("USD", "RWF", MON + dt.timedelta(days=4)) == D(1452)
    quote = table.quote("USD", "RWF", MON + dt.timedelta(days=4))
    assert quote.day == MON + dt.timedelta(days=1)


def test_a_rate_entered_for_a_later_day_is_not_used_earlier():
    table = rates((MON, "USD", "RWF", "1450"))
    with pytest.raises(RateNotFound) as err:
        table.rate("USD", "RWF", MON - dt.timedelta(days=1))
    assert err.value.params == {"currency": "USD", "to": "RWF", "day": MON - dt.timedelta(days=1)}
    assert "USD" in str(err.value) and "2026-03-01" in str(err.value)


def test_no_rate_at_all_is_a_named_error_never_one():
    with pytest.raises(RateNotFound) as err:
        rates().convert(usd(100), "RWF", MON)
    assert err.value.currency == "USD" and err.value.day == MON and err.value.latest is None


def test_a_rate_older_than_the_maximum_age_is_refused_and_says_how_old():
    table = rates((MON, "USD", "RWF", "1450"), max_age_days=7)
    assert table.rate("USD", "RWF", MON + dt.timedelta(days=7)) == D(1450)
    with pytest.raises(RateNotFound) as err:
        table.rate("USD", "RWF", MON + dt.timedelta(days=8))
    assert err.value.latest == MON
    assert err.value.params["days"] == 7
    assert fill(err.value.message, err.value.params).startswith("The latest exchange rate from USD to RWF")


def test_the_inverse_row_serves_when_it_is_the_newer_one():
    table = rates((MON, "USD", "RWF", "1450"), (MON + dt.timedelta(days=2), "RWF", "USD", "0.0008"))
    assert table.rate("RWF", "USD", MON) == D(1) / D(1450)
    assert table.rate("USD", "RWF", MON + dt.timedelta(days=1)) == D(1450)
    assert table.rate("USD", "RWF", MON + dt.timedelta(days=2)) == D(1) / D("0.0008")


def test_a_currency_converts_to_itself_at_one_without_a_rate():
    assert rates().convert(rwf("1000.4"), "RWF", MON) == rwf(1000)


def test_conversion_rounds_to_the_target_currency():
    table = rates((MON, "USD", "RWF", "1450.37"))
    assert table.to_company(usd("12.34"), MON) == rwf(17898)  # 17897.5658
    assert table.convert(rwf(1000), "USD", MON) == usd("0.69")  # 0.689479...


@pytest.mark.parametrize("rate", ["0", "-1450"])
def test_a_rate_must_be_more_than_zero(rate):
    with pytest.raises(InvalidRate) as err:
        rates((MON, "USD", "RWF", rate))
    assert err.value.params["currency"] == "USD" and err.value.params["day"] == MON


def test_two_different_rates_for_one_pair_and_day_are_refused_but_a_repeat_is_fine():
    assert rates((MON, "USD", "RWF", "1450"), (MON, "USD", "RWF", "1450")).rate("USD", "RWF", MON) == D(1450)
    with pytest.raises(InvalidRate):
        rates((MON, "USD", "RWF", "1450"), (MON, "USD", "RWF", "1451"))
    with pytest.raises(InvalidRate):
        rates((MON, "RWF", "RWF", "1"))


day_offsets = st.integers(min_value=0, max_value=60)


@given(
    st.dictionaries(day_offsets, st.decimals(min_value="0.0001", max_value=5000, places=4), max_size=20),
    day_offsets,
)
def test_the_rate_found_is_the_latest_row_on_or_before_the_day_within_the_maximum_age(rows, asked):
    table = Rates(
        [RateRow(MON + dt.timedelta(days=d), "USD", "RWF", r) for d, r in rows.items()], "RWF", max_age_days=5
    )
    earlier = [d for d in rows if d <= asked]
    if not earlier or asked - max(earlier) > 5:
        with pytest.raises(RateNotFound):
            table.rate("USD", "RWF", MON + dt.timedelta(days=asked))
    else:
        assert table.rate("USD", "RWF", MON + dt.timedelta(days=asked)) == rows[max(earlier)]


@given(
    st.lists(st.decimals(min_value=-(10**6), max_value=10**6, places=2), max_size=10),
    st.sampled_from(["RWF", "USD"]),
)
def test_adding_amounts_is_adding_their_numbers_in_any_order(amounts, currency):
    money = [Money(a, currency) for a in amounts]
    assert total(money, currency).amount == sum(amounts, D(0))
    assert total(reversed(money), currency) == total(money, currency)
