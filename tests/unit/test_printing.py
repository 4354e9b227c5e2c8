import re
from decimal import Decimal

from core.printing import Label, PrintDocument, PrintLine, document_pdf, labels_pdf
from core.stock import make_ean13


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b", pdf))


def test_a_label_sheet_holds_24_labels_a_page_with_ean13_and_code128():
    labels = [Label("Engine oil 15W-40", "OIL-1540", make_ean13(i)) for i in range(1, 25)]
    labels.append(Label("Oil filter — Volvo", "FLT-1", "FLT-OIL-1"))
    pdf = labels_pdf(labels)
    assert pdf.startswith(b"%PDF") and pages(pdf) == 2


def test_a_stock_document_prints_its_lines_and_total():
    doc = PrintDocument(
        "Twara Transport Ltd",
        "Issue",
        "WH-0000007",
        "29 Nov 2026",
        [("Store", "Diesel tank 1")],
        ("Item", "Article", "Qty", "Unit", "Price", "Value"),
        [PrintLine("Diesel", "FUEL-D", Decimal(200), "l", None, Decimal("330000.00"))] * 60,
        "Total",
        ("Issued by", "Received by"),
    )
    pdf = document_pdf(doc)
    assert pdf.startswith(b"%PDF") and pages(pdf) >= 2  # long documents continue on the next page
