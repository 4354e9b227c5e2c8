"""What a printed stock document and a label sheet hold, from documents posted for real: the
cost the ledger recorded, the odometer of a fuel issue, the reader's language and numbers,
the labels asked for on the company's label stock (issue 12, item 6)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from common.errors import ValidationError
from core.printing import MAX_LABELS, document_pdf, stock_document
from core.services import fleet, stock
from core.services.fleet import UnitInput
from core.services.settings import get_company, list_params, set_param
from core.services.stock import DocumentInput, ItemInput, LabelCount, LineInput
from tests.clock import TODAY
from tests.integration.conftest import make_user
from tests.pdf import pdf_text

UNITS = {"en": {"l": "litre", "pcs": "piece"}, "rw": {"l": "litiro", "pcs": "igice"}}


@pytest.fixture
def keeper(uow, admin):
    return make_user(uow, admin, "keeper", "warehouse_keeper")


@pytest.fixture
def setup(uow, admin, keeper):
    tank = stock.create_warehouse(uow(admin), admin, "Diesel tank 1", "tank", keeper.user_id)
    store = stock.create_warehouse(uow(admin), admin, "Main store")
    diesel = stock.create_item(
        uow(keeper), keeper, ItemInput(name="Diesel", article="FUEL-D", unit="l", is_fuel=True, fuel_type="diesel")
    )
    filters = stock.create_item(uow(keeper), keeper, ItemInput(name="Oil filter", article="FLT-OIL", unit="pcs"))
    truck = fleet.create_unit(uow(admin), admin, UnitInput(unit_type="tractor", plate="RAB 123 A"), odometer_km=100_000)
    return {"tank": tank, "store": store, "diesel": diesel, "filters": filters, "truck": truck}


def post(uow, actor, kind, store, lines, **kw):  # type: ignore[no-untyped-def]
    data = DocumentInput(kind=kind, warehouse_id=store, doc_date=TODAY, lines=lines, **kw)
    return stock.create_and_post(uow(actor), actor, data)


def printed(uow, actor, document_id: int, lang: str) -> str:  # type: ignore[no-untyped-def]
    """The document's printed text, made as the Print button makes it, for a reader of `lang`."""
    doc = stock.get_document(uow(actor), actor, document_id)
    company = get_company(uow(actor))
    pdf = document_pdf(stock_document(doc, company, lang, title="Issue", status="Posted", units=UNITS[lang]))
    return " ".join("\n".join(pdf_text(pdf)).split())


def test_a_fuel_issue_prints_the_moving_average_cost_and_the_odometer(uow, keeper, setup):
    post(uow, keeper, "receipt", setup["tank"], [LineInput(setup["diesel"], "1000", "1600")])
    post(uow, keeper, "receipt", setup["tank"], [LineInput(setup["diesel"], "1000", "1700")])
    issue = post(
        uow,
        keeper,
        "issue",
        setup["tank"],
        [LineInput(setup["diesel"], "200")],
        vehicle_id=setup["truck"],
        odometer_km=100_450,
    )
    doc = stock.get_document(uow(keeper), keeper, issue)
    assert doc["odometer_km"] == 100_450 and doc["vehicle"] == "RAB 123 A"
    line = doc["lines"][0]
    assert line["unit_price"] == Decimal("1650.0000") and line["value"] == Decimal("330000.00")
    english = printed(uow, keeper, issue, "en")
    assert "200 litre 1,650.00 330,000.00" in english
    assert "Odometer at issue (km) 100,450" in english and "RAB 123 A" in english
    kinyarwanda = printed(uow, keeper, issue, "rw")
    assert "200 litiro 1.650,00 330.000,00" in kinyarwanda
    assert "Konteri igihe cyo gutanga (km) 100.450" in kinyarwanda
    assert "330,000.00" not in kinyarwanda


def test_a_cancelled_issue_still_prints_what_it_moved(uow, keeper, setup):
    post(uow, keeper, "receipt", setup["tank"], [LineInput(setup["diesel"], "100", "1600")])
    issue = post(uow, keeper, "issue", setup["tank"], [LineInput(setup["diesel"], "30")])
    stock.cancel_document(uow(keeper), keeper, issue)
    doc = stock.get_document(uow(keeper), keeper, issue)
    assert doc["status"] == "cancelled"
    assert doc["lines"][0]["unit_price"] == Decimal("1600.0000") and doc["lines"][0]["value"] == Decimal("48000.00")


def test_an_item_on_two_lines_shares_the_value_the_ledger_moved(uow, keeper, setup):
    post(uow, keeper, "receipt", setup["tank"], [LineInput(setup["diesel"], "1000", "1600")])
    post(uow, keeper, "receipt", setup["tank"], [LineInput(setup["diesel"], "500", "1700")])
    issue = post(
        uow, keeper, "issue", setup["tank"], [LineInput(setup["diesel"], "100"), LineInput(setup["diesel"], "50")]
    )
    lines = stock.get_document(uow(keeper), keeper, issue)["lines"]
    assert [ln["value"] for ln in lines] == [Decimal("163333.33"), Decimal("81666.67")]
    assert sum(ln["value"] for ln in lines) == Decimal("245000.00")  # what the ledger took, to the cent
    assert {ln["unit_price"] for ln in lines} == {Decimal("1633.3333")}


def test_a_transfer_and_a_write_off_print_the_cost_they_moved(uow, keeper, setup):
    post(uow, keeper, "receipt", setup["tank"], [LineInput(setup["diesel"], "100", "1600")])
    transfer = post(
        uow, keeper, "transfer", setup["tank"], [LineInput(setup["diesel"], "40")], to_warehouse_id=setup["store"]
    )
    writeoff = post(uow, keeper, "writeoff", setup["store"], [LineInput(setup["diesel"], "5")], basis="Leak")
    for document, qty in ((transfer, 40), (writeoff, 5)):
        line = stock.get_document(uow(keeper), keeper, document)["lines"][0]
        assert line["unit_price"] == Decimal("1600.0000") and line["value"] == Decimal(1600 * qty)
    text = printed(uow, keeper, transfer, "en")
    assert "Store Diesel tank 1" in text and "To store Main store" in text and "40 litre 1,600.00 64,000.00" in text


def test_an_inventory_count_prints_its_books_and_difference(uow, keeper, setup):
    post(uow, keeper, "receipt", setup["store"], [LineInput(setup["filters"], "10", "25000")])
    count = post(uow, keeper, "count", setup["store"], [LineInput(setup["filters"], "8")])
    line = stock.get_document(uow(keeper), keeper, count)["lines"][0]
    assert (line["book"], line["difference"], line["value"]) == (Decimal(10), Decimal(-2), Decimal("-50000.00"))
    text = printed(uow, keeper, count, "en")
    assert "piece 10 8 -2 25,000.00 -50,000.00" in text
    again = post(uow, keeper, "count", setup["store"], [LineInput(setup["filters"], "8")])
    line = stock.get_document(uow(keeper), keeper, again)["lines"][0]
    assert (line["book"], line["difference"]) == (Decimal(8), Decimal(0))  # the books were right


def test_a_receipt_offers_one_label_per_piece_and_one_for_the_diesel(uow, keeper, setup):
    receipt = post(
        uow,
        keeper,
        "receipt",
        setup["store"],
        [
            LineInput(setup["filters"], "10", "25000"),
            LineInput(setup["diesel"], "5000", "1600"),
            LineInput(setup["filters"], "2", "25000"),
        ],
    )
    rows = {r["name"]: r for r in stock.receipt_labels(uow(keeper), keeper, receipt)}
    assert rows["Oil filter"]["count"] == 12 and rows["Diesel"]["count"] == 1


def _labels(pdf: bytes) -> tuple[int, list[str]]:
    pages = pdf_text(pdf)
    return len(pages), re.findall(r"\b\d{13}\b", "".join(pages))


def test_the_labels_asked_for_print_across_sheets_from_the_start_position(uow, keeper, setup):
    filters = stock.get_item(uow(keeper), keeper, setup["filters"])
    diesel = stock.get_item(uow(keeper), keeper, setup["diesel"])
    counts = [LabelCount(setup["filters"], "12"), LabelCount(setup["diesel"], "1")]
    pages, numbers = _labels(stock.print_labels(uow(keeper), keeper, counts, "20"))
    assert pages == 2  # positions 20 to 24 of the first sheet, then 8 on the second
    assert numbers.count(filters["barcode"]) == 12 and numbers.count(diesel["barcode"]) == 1


def test_wrong_counts_and_start_positions_are_refused_at_their_fields(uow, keeper, setup):
    cases = [
        ([LabelCount(setup["filters"], "-1")], "1", f"count_{setup['filters']}"),
        ([LabelCount(setup["filters"], "two")], "1", f"count_{setup['filters']}"),
        ([LabelCount(setup["filters"], "0"), LabelCount(setup["diesel"], "0")], "1", "labels"),
        ([LabelCount(setup["filters"], str(MAX_LABELS)), LabelCount(setup["diesel"], "1")], "1", "labels"),
        ([LabelCount(setup["filters"], "1")], "25", "start"),  # 24 labels a sheet
        ([LabelCount(setup["filters"], "1")], "0", "start"),
    ]
    for counts, start, field in cases:
        with pytest.raises(ValidationError) as err:
            stock.print_labels(uow(keeper), keeper, counts, start)
        assert field in err.value.errors, (counts, start)


def test_the_label_stock_is_a_setting_with_known_stocks_only(uow, admin, keeper, setup):
    assert stock.label_stock(uow(keeper), keeper).per_sheet == 24
    listed = {p["key"]: p for p in list_params(uow(admin), admin)}["stock.label_stock"]
    assert "a4-2x7-99.1x38.1" in listed["choices"]
    with pytest.raises(ValidationError) as err:
        set_param(uow(admin), admin, "stock.label_stock", "letter-4x5")
    assert "stock.label_stock" in err.value.errors
    set_param(uow(admin), admin, "stock.label_stock", "a4-2x7-99.1x38.1")
    assert stock.label_stock(uow(keeper), keeper).per_sheet == 14
    pages, numbers = _labels(stock.print_labels(uow(keeper), keeper, [LabelCount(setup["filters"], "15")]))
    assert (pages, len(numbers)) == (2, 15)
    with pytest.raises(ValidationError):
        stock.print_labels(uow(keeper), keeper, [LabelCount(setup["filters"], "1")], "15")
