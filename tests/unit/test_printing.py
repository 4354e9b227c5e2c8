"""The printed documents are read back as a person reads them: each page rendered to PNG,
its text and the boxes of its words taken by poppler (tests/pdf.py)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from common.i18n import format_quantity
from core.printing import (
    LABEL_STOCKS,
    MAX_LABELS,
    Label,
    default_label_count,
    document_pdf,
    labels_pdf,
    stock_document,
)
from core.stock import make_ean13
from tests.pdf import ink, pdf_pngs, pdf_text, pdf_words

COMPANY = {
    "name": "Twara Transport Ltd",
    "address": "KG 11 Ave, Kigali",
    "tax_id": "101234567",
    "phone": "+250788000000",
    "currency": "RWF",
    "timezone": "Africa/Kigali",
}
UNITS = {"en": {"l": "litre", "pcs": "piece"}, "rw": {"l": "litiro", "pcs": "igice"}}


def issue(**changes):  # type: ignore[no-untyped-def]
    """A fuel issue to a truck as get_document gives it: diesel at its moving-average cost,
    and oil filters counted in pieces."""
    doc = {
        "kind": "issue",
        "number": "WH-0000007",
        "doc_date": dt.date(2026, 11, 29),
        "store": "Diesel tank 1",
        "to_store": "",
        "supplier": None,
        "vehicle": "RAB 123 A",
        "odometer_km": 100_450,
        "basis": "Trip 42 to Kampala",
        "status": "posted",
        "cancelled_at": None,
        "lines": [
            {
                "name": "Diesel",
                "article": "FUEL-D",
                "unit": "l",
                "quantity": Decimal("1200.000"),
                "unit_price": Decimal("1633.3333"),
                "value": Decimal("1960000.00"),
            },
            {
                "name": "Oil filter for Volvo FH16 tractor units",
                "article": "FLT-OIL-FH16",
                "unit": "pcs",
                "quantity": Decimal("3.000"),
                "unit_price": Decimal("25000.0000"),
                "value": Decimal("75000.00"),
            },
        ],
    }
    return doc | changes


def printed(doc, lang: str) -> bytes:  # type: ignore[no-untyped-def]
    title = {"en": "Issue", "rw": "Gutanga"}[lang]
    return document_pdf(stock_document(doc, COMPANY, lang, title=title, status="Posted", units=UNITS[lang]))


def test_an_issue_prints_the_unit_cost_the_ledger_recorded_and_the_odometer(tmp_path):
    pdf = printed(issue(), "en")
    pngs = pdf_pngs(pdf, tmp_path)
    assert len(pngs) == 1 and ink(pngs[0]) > 0.01  # a page that drew something
    text = " ".join(pdf_text(pdf)[0].split())
    assert "Unit price (RWF)" in " ".join(pdf_text(pdf, layout=False)[0].split())  # a header on two lines
    assert "1,200 litre 1,633.3333 1,960,000.00" in text  # litres up to 3 places; a cost's 4 places
    assert "3 piece 25,000.00 75,000.00" in text  # pieces whole, never "3.000"
    assert "Odometer at issue (km) 100,450" in text
    assert "Vehicle RAB 123 A" in text
    assert "Total RF2,035,000" in text
    assert "TIN 101234567" in text
    assert "Issued by:" in text and "Received by:" in text


def test_in_kinyarwanda_the_headers_and_numbers_are_the_readers(tmp_path):
    pdf = printed(issue(), "rw")
    assert ink(pdf_pngs(pdf, tmp_path)[0]) > 0.01
    text = " ".join(pdf_text(pdf)[0].split())
    headers = " ".join(pdf_text(pdf, layout=False)[0].split())
    for header in ("Igicuruzwa", "Nimero y'igicuruzwa", "Umubare", "Igipimo", "Igiciro kimwe (RWF)", "Agaciro (RWF)"):
        assert header in headers
    assert "1.200 litiro 1.633,3333 1.960.000,00" in text
    assert "3 igice 25.000,00 75.000,00" in text
    assert "100.450" in text and "Igiteranyo RF 2.035.000" in text  # split() read the no-break space
    assert "2026 ugu. 29" in text  # the reader's date
    assert "1,960,000.00" not in text and "100,450" not in text  # no English number left
    assert "Yatanzwe na:" in text


@pytest.mark.parametrize("lang", ["en", "rw"])
def test_headers_wrap_in_their_column_and_no_two_words_overlap(lang):
    words = pdf_words(printed(issue(), lang))
    for i, a in enumerate(words):
        for b in words[i + 1 :]:
            assert not a.overlaps(b), (a, b)
    if lang == "rw":  # "Nimero y'igicuruzwa" (Article) is wider than its column: it takes two lines
        first = next(w for w in words if w.text == "Nimero")
        second = next(w for w in words if w.text == "y'igicuruzwa")
        assert second.y0 >= first.y1 - 0.1 and abs(second.x0 - first.x0) < 0.5
        quantity = next(w for w in words if w.text == "Umubare")
        assert second.x1 < quantity.x0  # it stays clear of the next column


def test_an_inventory_count_prints_the_books_the_count_and_the_difference():
    count = issue(
        kind="count",
        vehicle="",
        odometer_km=None,
        lines=[
            {
                "name": "Oil filter",
                "article": "FLT-1",
                "unit": "pcs",
                "quantity": Decimal(8),
                "book": Decimal(10),
                "difference": Decimal(-2),
                "unit_price": Decimal("25000"),
                "value": Decimal("-50000.00"),
            },
            {
                "name": "Brake fluid",
                "article": "BRK-F",
                "unit": "l",
                "quantity": Decimal("12.5"),
                "book": Decimal(12),
                "difference": Decimal("0.5"),
                "unit_price": Decimal("4000"),
                "value": Decimal("2000.00"),
            },
        ],
    )
    pdf = printed(count, "en")
    text = " ".join(pdf_text(pdf)[0].split())
    headers = " ".join(pdf_text(pdf, layout=False)[0].split())
    assert "Book quantity" in headers and "Counted" in headers and "Value of the difference (RWF)" in headers
    assert "piece 10 8 -2 25,000.00 -50,000.00" in text
    assert "litre 12 12.5 +0.5 4,000.00 2,000.00" in text
    assert "Net value of the differences -RF48,000" in text
    assert "Odometer" not in text  # no field without a value
    assert "Counted by:" in text and "Checked by:" in text
    # nine columns in Kinyarwanda: each header breaks between its words, never inside one
    words = {w.text for w in pdf_words(printed(count, "rw"))}
    assert {"No", "Igipimo", "Ibyabaruwe", "Ikinyuranyo", "k'ikinyuranyo", "y'igicuruzwa", "bitabo"} <= words


def test_a_draft_and_a_cancelled_document_say_so():
    draft = " ".join(pdf_text(printed(issue(status="draft"), "en"))[0].split())
    assert "Draft: not posted, nothing has moved in stock yet." in draft
    when = dt.datetime(2026, 11, 30, 8, 15, tzinfo=dt.UTC)
    cancelled = " ".join(pdf_text(printed(issue(status="cancelled", cancelled_at=when), "rw"))[0].split())
    assert "Yahagaritswe 2026 ugu. 30 10:15:00: ihindurwa ryayo ryanditswe." in cancelled


def test_a_long_document_continues_on_the_next_page_with_its_headers_and_page_numbers():
    doc = issue(lines=issue()["lines"] * 40)
    pages = pdf_text(printed(doc, "en"))
    assert len(pages) >= 2
    assert all("Unit price" in page and "Article" in page for page in pages)  # headers repeated
    assert f"WH-0000007 - {len(pages)}/{len(pages)}" in pages[-1]
    assert "Total" in pages[-1] and "Total" not in pages[0]


def test_quantities_print_by_their_unit():
    assert format_quantity(Decimal("3.000"), "pcs", "en") == "3"
    assert format_quantity(Decimal("10742.000"), "l", "en") == "10,742"
    assert format_quantity(Decimal("10742.500"), "l", "rw") == "10.742,5"
    assert format_quantity(Decimal("0.1255"), "kg", "en") == "0.126"
    assert format_quantity(Decimal("1234"), "pair", "rw") == "1.234"


def _codes(n: int) -> list[Label]:
    return [Label(f"Oil filter {i} for Volvo FH16 long-life", f"FLT-{i}", make_ean13(i)) for i in range(1, n + 1)]


@pytest.mark.parametrize("code", sorted(LABEL_STOCKS))
def test_labels_fill_the_sheets_of_each_stock_centred_in_their_cells(code, tmp_path):
    stock = LABEL_STOCKS[code]
    labels = [*_codes(stock.per_sheet + 5), Label("Brake pad", "BRK-1", "BRK-PAD-1")]
    pdf = labels_pdf(labels, stock)
    pngs = pdf_pngs(pdf, tmp_path, dpi=50)
    assert len(pngs) == 2 and all(ink(p) > 0.005 for p in pngs)
    pages = pdf_text(pdf)
    numbers = re.findall(r"\b\d{13}\b", "".join(pages))
    assert sorted(numbers) == sorted(label.barcode for label in labels[:-1])  # every label once
    assert "BRK-PAD-1" in pages[1]
    width, height = stock.page
    for word in pdf_words(pdf):
        slot = next(
            s
            for s in range(stock.per_sheet)
            if stock.origin(s)[0] <= word.x0 <= stock.origin(s)[0] + stock.width
            and stock.origin(s)[1] <= word.y0 <= stock.origin(s)[1] + stock.height
        )
        x, y = stock.origin(slot)
        assert x + 2.5 <= word.x0 and word.x1 <= x + stock.width - 2.5, (word, slot)  # off the cut
        assert y + 1 <= word.y0 and word.y1 <= y + stock.height - 1, (word, slot)
        assert word.x0 >= 0 and word.x1 <= width and word.y1 <= height
    # a label's barcode number is centred under it, in the middle of the label
    first = next(w for w in pdf_words(pdf) if w.text == labels[0].barcode)
    assert abs((first.x0 + first.x1) / 2 - (stock.origin(0)[0] + stock.width / 2)) < 0.6


def test_a_partly_used_sheet_starts_at_the_position_asked_for():
    stock = LABEL_STOCKS["a4-3x8-70x37"]
    labels = _codes(6)
    words = pdf_words(labels_pdf(labels, stock, start=20))
    first = next(w for w in words if w.text == labels[0].barcode)
    x, y = stock.origin(19)  # position 20: the second label of the seventh row
    assert first.page == 1 and x < first.x0 < x + stock.width and y < first.y0 < y + stock.height
    last = next(w for w in words if w.text == labels[-1].barcode)
    assert last.page == 2  # positions 20 to 24, then the next sheet
    assert stock.origin(0)[0] < last.x0 < stock.width and last.y0 < stock.height


def test_ean13_and_code128_barcodes_print_their_number():
    pages = pdf_text(labels_pdf([Label("Diesel", "FUEL-D", make_ean13(7)), Label("Filter", "F-1", "FLT-OIL-1")]))
    assert make_ean13(7) in pages[0] and "FLT-OIL-1" in pages[0]


def test_a_receipt_asks_one_label_per_piece_and_one_for_litres():
    assert default_label_count(Decimal("10.000"), "pcs") == 10
    assert default_label_count(Decimal("4"), "set") == 4
    assert default_label_count(Decimal("5000"), "l") == 1
    assert default_label_count(Decimal("2.5"), "kg") == 1
    assert default_label_count(Decimal("100000"), "pcs") == MAX_LABELS
