"""Printable documents (SPEC T5, W2, W3): stock documents ("invoices" on screen) and barcode
label sheets as PDF.

Pure functions from plain data to PDF bytes (fpdf2); barcodes drawn by python-barcode.
Texts arrive already translated.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from barcode import get_barcode_class
from barcode.writer import ImageWriter
from fpdf import FPDF


def _latin(text: object) -> str:
    """The PDF core fonts speak Latin-1; anything else becomes its closest sign."""
    value = str(text).replace("—", "-").replace("–", "-").replace("·", "-").replace("’", "'")
    return value.encode("latin-1", "replace").decode("latin-1")


@dataclass(frozen=True)
class PrintLine:
    name: str
    article: str
    quantity: Decimal
    unit: str
    unit_price: Decimal | None
    value: Decimal | None


@dataclass(frozen=True)
class PrintDocument:
    company: str
    title: str
    number: str
    date: str
    fields: list[tuple[str, str]]  # label, value (store, supplier, vehicle...)
    headers: tuple[str, str, str, str, str, str]  # item, article, qty, unit, price, value
    lines: list[PrintLine]
    total_label: str
    signatures: tuple[str, str]


def document_pdf(doc: PrintDocument) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("helvetica", "B", 14)
    pdf.cell(0, 8, _latin(doc.company), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "B", 12)
    pdf.cell(0, 8, _latin(f"{doc.title} {doc.number}  ({doc.date})"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "", 10)
    for label, value in doc.fields:
        if value:
            pdf.cell(0, 6, _latin(f"{label}: {value}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    widths = (70, 30, 22, 14, 24, 28)
    pdf.set_font("helvetica", "B", 9)
    for width, head in zip(widths, doc.headers, strict=True):
        pdf.cell(width, 7, _latin(head), border=1)
    pdf.ln()
    pdf.set_font("helvetica", "", 9)
    total = Decimal(0)
    for line in doc.lines:
        cells = (
            line.name,
            line.article,
            f"{line.quantity:,.3f}".rstrip("0").rstrip("."),
            line.unit,
            "" if line.unit_price is None else f"{line.unit_price:,.2f}",
            "" if line.value is None else f"{line.value:,.2f}",
        )
        for i, (width, cell) in enumerate(zip(widths, cells, strict=True)):
            pdf.cell(width, 6, _latin(cell)[:45], border=1, align="R" if i >= 2 and i != 3 else "L")
        pdf.ln()
        total += line.value or Decimal(0)
    pdf.set_font("helvetica", "B", 9)
    pdf.cell(sum(widths[:-1]), 7, _latin(doc.total_label), border=1, align="R")
    pdf.cell(widths[-1], 7, f"{total:,.2f}", border=1, align="R")
    pdf.ln(20)
    pdf.set_font("helvetica", "", 10)
    pdf.cell(95, 6, _latin(f"{doc.signatures[0]}: ____________________"))
    pdf.cell(95, 6, _latin(f"{doc.signatures[1]}: ____________________"))
    return bytes(pdf.output())


@dataclass(frozen=True)
class Label:
    name: str
    article: str
    barcode: str


def _barcode_png(code: str) -> bytes:
    kind = "ean13" if code.isdigit() and len(code) == 13 else "code128"
    out = io.BytesIO()
    get_barcode_class(kind)(code[:12] if kind == "ean13" else code, writer=ImageWriter()).write(
        out, options={"module_height": 9.0, "font_size": 7, "text_distance": 3.0, "quiet_zone": 2.0, "dpi": 200}
    )
    return out.getvalue()


def labels_pdf(labels: list[Label], columns: int = 3, rows: int = 8) -> bytes:
    """An A4 sheet (3 x 8 labels of 70 x 37 mm) per 24 labels."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=False)
    width, height = 70.0, 37.0
    for i, label in enumerate(labels):
        slot = i % (columns * rows)
        if slot == 0:
            pdf.add_page()
        x = (slot % columns) * width
        y = 0.5 + (slot // columns) * height
        pdf.set_xy(x + 3, y + 2)
        pdf.set_font("helvetica", "B", 8)
        pdf.cell(width - 6, 4, _latin(label.name)[:40])
        pdf.set_xy(x + 3, y + 6)
        pdf.set_font("helvetica", "", 7)
        pdf.cell(width - 6, 3, _latin(label.article))
        pdf.image(io.BytesIO(_barcode_png(label.barcode)), x=x + 6, y=y + 10, w=width - 12, h=24)
    if not labels:
        pdf.add_page()
    return bytes(pdf.output())
