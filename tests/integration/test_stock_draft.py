"""An invoice shows each line's value and the total before it is posted (issue 12, item 8),
as posting will make them: a receipt at its prices, an issue at the store's average now."""

from __future__ import annotations

from decimal import Decimal

from core.services import stock
from core.services.stock import DocumentInput, ItemInput, LineInput
from tests.clock import TODAY


def test_the_lines_and_the_total_are_valued_before_posting_as_posting_values_them(uow, admin):
    store = stock.create_warehouse(uow(admin), admin, "Main store")
    other = stock.create_warehouse(uow(admin), admin, "Workshop")
    tyre = stock.create_item(uow(admin), admin, ItemInput(name="Tyre", article="T1", unit="pcs"))
    oil = stock.create_item(uow(admin), admin, ItemInput(name="Engine oil", article="OIL", unit="l"))
    stock.create_and_post(
        uow(admin), admin, DocumentInput("receipt", store, TODAY, [LineInput(tyre, "3", "250000.10")])
    )

    receipt = stock.draft_values(
        uow(admin), admin, "receipt", store, [LineInput(tyre, "2", "1,500.50"), LineInput(oil, "12.5", "")]
    )
    assert receipt.lines == [Decimal("3001.00"), Decimal("0.00")] and receipt.total == Decimal("3001.00")

    issue = stock.draft_values(
        uow(admin), admin, "issue", store, [LineInput(tyre, "1"), LineInput(oil, "1"), LineInput(tyre, "x")]
    )
    assert issue.lines == [Decimal("250000.10"), None, None]  # no oil in the store; "x" is no quantity
    assert issue.total == Decimal("250000.10") and not issue.complete
    # what posting then takes out is the value shown
    posted = stock.create_and_post(uow(admin), admin, DocumentInput("issue", store, TODAY, [LineInput(tyre, "1")]))
    assert stock.get_document(uow(admin), admin, posted)["lines"][0]["value"] == Decimal("250000.10")
    assert stock.draft_values(uow(admin), admin, "transfer", other, [LineInput(tyre, "1")]).lines == [None]
