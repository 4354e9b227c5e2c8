from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.stock import (
    StockRuleError,
    count_adjustment,
    ean13_check_digit,
    is_low,
    issue_value,
    make_ean13,
    normalize_barcode,
    receipt_value,
)


def test_issues_are_costed_at_the_moving_average():
    # 1,000 l bought at 1,600 and 1,000 l at 1,700: the average is 1,650
    value = receipt_value(Decimal(1000), Decimal(1600)) + receipt_value(Decimal(1000), Decimal(1700))
    assert issue_value(Decimal(2000), value, Decimal(200)) == Decimal("330000.00")


def test_the_last_unit_takes_the_remaining_value():
    assert issue_value(Decimal(3), Decimal("10.00"), Decimal(3)) == Decimal("10.00")


def test_issuing_more_than_the_balance_is_refused_with_what_is_left():
    with pytest.raises(StockRuleError) as err:
        issue_value(Decimal(10), Decimal(16000), Decimal("10.5"))
    assert err.value.params["left"] == Decimal(10)


@given(
    st.lists(st.decimals(min_value="0.001", max_value=500, places=3), min_size=1, max_size=30),
    st.decimals(min_value=1, max_value=5000, places=2),
)
def test_issuing_everything_piece_by_piece_leaves_exactly_zero_value(issues, price):
    qty = sum(issues, Decimal(0))
    value = receipt_value(qty, price)
    for piece in issues:
        cost = issue_value(qty, value, piece)
        assert Decimal(0) <= cost <= value
        qty -= piece
        value -= cost
    assert qty == 0 and value == 0


def test_generated_ean13_codes_are_valid_and_distinct():
    codes = {make_ean13(i) for i in range(1, 2000)}
    assert len(codes) == 1999
    assert all(normalize_barcode(c) == c for c in codes)
    assert ean13_check_digit("400638133393") == 1  # a real EAN-13: 4006381333931


def test_a_mistyped_ean13_and_a_barcode_with_spaces_are_refused():
    with pytest.raises(StockRuleError):
        normalize_barcode("4006381333932")
    with pytest.raises(StockRuleError):
        normalize_barcode("AB 12")
    assert normalize_barcode("FLT-OIL-15W40") == "FLT-OIL-15W40"


def test_an_inventory_count_posts_the_difference():
    assert count_adjustment(Decimal(50), Decimal(47)) == Decimal(-3)
    with pytest.raises(StockRuleError):
        count_adjustment(Decimal(50), Decimal(-1))


def test_an_item_is_low_only_below_a_reorder_level_it_has():
    assert is_low(Decimal("2.999"), Decimal(3))
    assert not is_low(Decimal(3), Decimal(3))  # at the level exactly is not yet low
    assert not is_low(Decimal(0), Decimal(0))  # a level of 0: the item is not watched
    assert is_low(Decimal(0), Decimal("0.001"))


def test_a_draft_line_is_valued_as_posting_will_value_it():
    from core.stock import draft_line_value

    d = Decimal
    assert draft_line_value("receipt", d("12.5"), d("1639.50"), None) == d("20493.75")
    assert draft_line_value("receipt", d("3"), None, None) == d("0.00")  # no price typed: posted at 0
    # the other kinds at the store's moving average now: 10 held worth 1,000
    assert draft_line_value("issue", d("4"), None, (d("10"), d("1000"))) == d("400.00")
    assert draft_line_value("writeoff", d("10"), None, (d("10"), d("999.99"))) == d("999.99")
    assert draft_line_value("transfer", d("11"), None, (d("10"), d("1000"))) is None  # more than held
    assert draft_line_value("issue", d("1"), None, None) is None  # nothing in the store
    assert draft_line_value("count", d("5"), None, (d("10"), d("1000"))) is None
    assert draft_line_value("receipt", None, d("5"), None) is None
