"""Printable documents (SPEC T5, W2, W3): stock documents ("invoices" on screen) and barcode
label sheets as PDF.

Pure functions from plain data to PDF bytes (fpdf2); barcodes drawn by python-barcode. A
document prints in the reader's language and as the reader writes numbers: the column
headers and field labels are translated here (`lang`), numbers and money go through
common.i18n; the names of codes (a document's kind, its status, units) arrive translated.
Headers and cells wrap inside their column (fpdf2's table), never into the next one.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from common.i18n import COUNTABLE_UNITS, N_, format_date, format_datetime, format_decimal, format_money, translate
from common.i18n import format_quantity as qty_text

if TYPE_CHECKING:
    from fpdf import FPDF

_SIGNS = {"—": "-", "–": "-", "·": "-", "’": "'", "‘": "'", "…": "...", "\u202f": "\xa0", "\u2009": " ", "−": "-"}


def _latin(text: object) -> str:
    """The PDF core fonts speak Latin-1; anything else becomes its closest sign."""
    value = str(text)
    for sign, plain in _SIGNS.items():
        value = value.replace(sign, plain)
    return value.encode("latin-1", "replace").decode("latin-1")


# --- stock documents ---------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    width: float  # relative to the other columns
    align: str = "LEFT"


@dataclass(frozen=True)
class PrintDocument:
    """A printed document: the company's letterhead, a title, the facts of the document, a
    table (headers wrap in their column; repeated on every page) and its totals."""

    company: str
    company_details: str  # address, TIN, phone on one line
    title: str
    number: str
    date: str
    fields: list[tuple[str, str]]  # label, value (store, supplier, vehicle...); empty values left out
    columns: list[Column]
    rows: list[list[str]]
    totals: list[tuple[str, str]]  # label, value, under the last column
    signatures: tuple[str, str]
    note: str = ""  # what the reader must not miss (a draft, a cancelled document)


def document_pdf(doc: PrintDocument) -> bytes:
    from fpdf.fonts import FontFace  # heavy: fpdf2 loads its fonts and image support on import

    pdf = _paged_pdf(doc.number)
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    pdf.set_font("helvetica", "B", 14)
    pdf.multi_cell(0, 7, _latin(doc.company), new_x="LMARGIN", new_y="NEXT")
    if doc.company_details:
        pdf.set_font("helvetica", "", 8)
        pdf.multi_cell(0, 4, _latin(doc.company_details), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("helvetica", "B", 12)
    pdf.multi_cell(0, 7, _latin(f"{doc.title} {doc.number}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "", 10)
    pdf.multi_cell(0, 5, _latin(doc.date), new_x="LMARGIN", new_y="NEXT")
    if doc.note:
        pdf.set_text_color(180, 0, 0)
        pdf.set_font("helvetica", "B", 10)
        pdf.multi_cell(0, 6, _latin(doc.note), new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
        pdf.set_font("helvetica", "", 10)
    pdf.ln(1)
    shown = [(label, value) for label, value in doc.fields if value]
    width = pdf.w - pdf.l_margin - pdf.r_margin
    if shown:
        labels = min(70.0, max(pdf.get_string_width(_latin(label)) for label, _ in shown) + 4)
        with pdf.table(
            [[_latin(label), _latin(value)] for label, value in shown],
            col_widths=(labels, width - labels),
            first_row_as_headings=False,
            borders_layout="NONE",
            text_align=("LEFT", "LEFT"),
            line_height=5,
            padding=(0.5, 1),
        ):
            pass
    pdf.ln(3)
    pdf.set_font("helvetica", "", 9)
    bold = FontFace(emphasis="BOLD")
    with pdf.table(
        col_widths=_widths(pdf, doc, width, 2.4),
        text_align=tuple(c.align for c in doc.columns),
        headings_style=FontFace(emphasis="BOLD", fill_color=(235, 235, 235)),
        line_height=4.5,
        padding=(1, 1.2),
        v_align="TOP",
    ) as table:
        head = table.row()
        for column in doc.columns:
            head.cell(_latin(column.header), align=column.align)
        for cells in doc.rows:
            row = table.row()
            for cell in cells:
                row.cell(_latin(cell))
        for label, value in doc.totals:
            row = table.row()
            row.cell(_latin(label), colspan=len(doc.columns) - 1, align="RIGHT", style=bold)
            row.cell(_latin(value), align="RIGHT", style=bold)
    if pdf.get_y() > pdf.h - 45:  # the signatures stay together, after the table
        pdf.add_page()
    pdf.ln(14)
    pdf.set_font("helvetica", "", 10)
    half = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    for signature in doc.signatures:
        pdf.cell(half, 6, _latin(f"{signature}: ____________________"))
    return bytes(pdf.output())


def _widths(pdf: FPDF, doc: PrintDocument, total: float, padding: float) -> tuple[float, ...]:
    """Each column's width in mm: its share of the page by `Column.width`, but never less
    than its longest header word (a header wraps between words, not inside one) nor, for a
    column of numbers, its widest number; the columns of text give up the room."""
    pdf.set_font("helvetica", "B", 9)
    need = [max(pdf.get_string_width(w) for w in _latin(c.header).split() or [""]) + padding + 0.5 for c in doc.columns]
    pdf.set_font("helvetica", "", 9)
    for row in doc.rows:
        for i, (column, cell) in enumerate(zip(doc.columns, row, strict=True)):
            if column.align == "RIGHT":
                need[i] = max(need[i], pdf.get_string_width(_latin(cell)) + padding + 0.5)
    weights = sum(c.width for c in doc.columns)
    widths = [max(n, total * c.width / weights) for n, c in zip(need, doc.columns, strict=True)]
    spare = [w - n for w, n in zip(widths, need, strict=True)]
    excess = sum(widths) - total
    if excess > 0 and sum(spare) > 0:  # taken from the columns with room, by their room
        share = min(1.0, excess / sum(spare))
        widths = [w - s * share for w, s in zip(widths, spare, strict=True)]
    scale = total / sum(widths)  # more words than the page holds: everything a little narrower
    return tuple(w * scale for w in widths)


def _paged_pdf(number: str) -> FPDF:
    """An A4 document whose every page ends with the document's number and "page/pages"."""
    from fpdf import FPDF  # heavy: see document_pdf

    class Paged(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("helvetica", "", 8)
            self.cell(0, 5, _latin(f"{number} - {self.page_no()}/{{nb}}"), align="R")

    return Paged(format="A4")


@dataclass(frozen=True)
class StockLine:
    name: str
    article: str
    quantity: Decimal  # an inventory count: the quantity counted
    unit: str  # the unit's code: pieces print whole
    unit_label: str  # the unit as the reader calls it
    unit_price: Decimal | None  # a receipt's price; otherwise the cost the ledger recorded
    value: Decimal | None
    difference: Decimal | None = None  # an inventory count: counted less the books
    book: Decimal | None = None  # an inventory count: what the books held


# the headers, by column (msgids, translated into the reader's language)
_HEADERS = {
    "n": N_("No."),
    "item": N_("Item"),
    "article": N_("Article"),
    "quantity": N_("Quantity"),
    "book": N_("Book quantity"),
    "counted": N_("Counted"),
    "difference": N_("Difference"),
    "unit": N_("Unit"),
    "price": N_("Unit price"),
    "value": N_("Value"),
    "difference_value": N_("Value of the difference"),
}
# relative widths and alignment of each column
_COLUMNS: dict[str, tuple[float, str]] = {
    "n": (7, "RIGHT"),
    "item": (48, "LEFT"),
    "article": (26, "LEFT"),
    "quantity": (20, "RIGHT"),
    "book": (19, "RIGHT"),
    "counted": (19, "RIGHT"),
    "difference": (19, "RIGHT"),
    "unit": (14, "LEFT"),
    "price": (20, "RIGHT"),
    "value": (25, "RIGHT"),
    "difference_value": (25, "RIGHT"),
}
_COUNT_COLUMNS = ("n", "item", "article", "unit", "book", "counted", "difference", "price", "difference_value")
_MOVE_COLUMNS = ("n", "item", "article", "quantity", "unit", "price", "value")


def _money(value: Decimal | None, lang: str) -> str:
    return "" if value is None else format_decimal(value, lang, places=2)


def _price(value: Decimal | None, lang: str) -> str:
    """A unit price with its cents, and its last two places when it has them (a moving
    average of 1,633.3333 per litre)."""
    if value is None:
        return ""
    cents = value.quantize(Decimal("0.01"))
    return format_decimal(value, lang, places=2 if value == cents else 4)


def stock_table(
    kind: str, lines: Sequence[StockLine], lang: str, currency: str
) -> tuple[list[Column], list[list[str]], list[tuple[str, str]]]:
    """The columns, rows and totals of a stock document in the reader's language: item,
    article, quantity, unit, unit price and value, with the money columns naming the
    currency; an inventory count shows the books, the quantity counted and the difference."""
    keys = _COUNT_COLUMNS if kind == "count" else _MOVE_COLUMNS
    columns = []
    for key in keys:
        header = translate(_HEADERS[key], lang)
        if key in ("price", "value", "difference_value"):
            header = f"{header} ({currency})"
        columns.append(Column(header, *_COLUMNS[key]))
    rows = []
    for n, line in enumerate(lines, start=1):
        cells = {
            "n": str(n),
            "item": line.name,
            "article": line.article,
            "quantity": qty_text(line.quantity, line.unit, lang),
            "counted": qty_text(line.quantity, line.unit, lang),
            "book": "" if line.book is None else qty_text(line.book, line.unit, lang),
            "difference": "" if line.difference is None else _signed(line.difference, line.unit, lang),
            "unit": line.unit_label,
            "price": _price(line.unit_price, lang),
            "value": _money(line.value, lang),
            "difference_value": _money(line.value, lang),
        }
        rows.append([cells[key] for key in keys])
    priced = [line.value for line in lines if line.value is not None]
    label = N_("Net value of the differences") if kind == "count" else N_("Total")
    totals = [(translate(label, lang), format_money(sum(priced, Decimal(0)), currency, lang))] if priced else []
    return columns, rows, totals


def _signed(value: Decimal, unit: str, lang: str) -> str:
    text = qty_text(value, unit, lang)
    return f"+{text}" if value > 0 else text


_FIELDS = {
    "store": N_("Store"),
    "to_store": N_("To store"),
    "supplier": N_("Supplier"),
    "vehicle": N_("Vehicle"),
    "odometer": N_("Odometer at issue (km)"),
    "basis": N_("Basis (order, repair, reason)"),
    "status": N_("Status"),
}
_SIGNATURES = {
    "receipt": (N_("Delivered by"), N_("Received by")),
    "issue": (N_("Issued by"), N_("Received by")),
    "transfer": (N_("Issued by"), N_("Received by")),
    "writeoff": (N_("Written off by"), N_("Approved by")),
    "count": (N_("Counted by"), N_("Checked by")),
}


def stock_document(
    doc: Mapping[str, Any],
    company: Mapping[str, Any],
    lang: str,
    *,
    title: str,
    status: str,
    units: Mapping[str, str],
) -> PrintDocument:
    """A stock document as `core.services.stock.get_document` gives it, printed for a reader
    of `lang`: `title`, `status` and `units` (code -> name) are the reader's names of the
    document's kind, its status and the units."""
    currency = str(company.get("currency") or "RWF")
    zone = str(company.get("timezone") or "Africa/Kigali")
    km = doc.get("odometer_km")
    values = {
        "store": doc.get("store") or "",
        "to_store": doc.get("to_store") or "",
        "supplier": doc.get("supplier") or "",
        "vehicle": doc.get("vehicle") or "",
        "odometer": "" if km is None else format_decimal(int(km), lang),
        "basis": doc.get("basis") or "",
        "status": status,
    }
    lines = [
        StockLine(
            name=ln["name"],
            article=ln["article"],
            quantity=Decimal(ln["quantity"]),
            unit=ln["unit"],
            unit_label=units.get(ln["unit"], ln["unit"]),
            unit_price=ln.get("unit_price"),
            value=ln.get("value"),
            difference=ln.get("difference"),
            book=ln.get("book"),
        )
        for ln in doc["lines"]
    ]
    columns, rows, totals = stock_table(doc["kind"], lines, lang, currency)
    note = ""
    if doc.get("status") == "draft":
        note = translate(N_("Draft: not posted, nothing has moved in stock yet."), lang)
    elif doc.get("status") == "cancelled":
        when = format_datetime(doc.get("cancelled_at"), lang, zone)
        note = translate(N_("Cancelled {when}: its reversal is posted."), lang, when=when)
    details = [str(company.get(k) or "") for k in ("address", "phone", "email")]
    if company.get("tax_id"):
        details.append(translate(N_("TIN {tin}"), lang, tin=company["tax_id"]))
    signatures = _SIGNATURES.get(doc["kind"], _SIGNATURES["issue"])
    return PrintDocument(
        company=str(company.get("name") or ""),
        company_details=" - ".join(d for d in details if d),
        title=title,
        number=str(doc["number"]),
        date=format_date(doc["doc_date"], lang),
        fields=[(translate(label, lang), str(values[key])) for key, label in _FIELDS.items()],
        columns=columns,
        rows=rows,
        totals=totals,
        signatures=(translate(signatures[0], lang), translate(signatures[1], lang)),
        note=note,
    )


# --- barcode labels ----------------------------------------------------------------------


@dataclass(frozen=True)
class LabelStock:
    """A sheet of self-adhesive labels as its maker cuts it (mm): the labels' size, the
    page's margins to the first label, and the gaps between labels."""

    code: str
    columns: int
    rows: int
    width: float
    height: float
    left: float
    top: float
    gap_x: float = 0.0
    gap_y: float = 0.0
    page: tuple[float, float] = (210.0, 297.0)

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    @property
    def name(self) -> str:
        """How the sheet is sold, in any language: "A4, 3 x 8, 70 x 37 mm"."""
        return f"A4, {self.columns} x {self.rows}, {self.width:g} x {self.height:g} mm"

    def origin(self, slot: int) -> tuple[float, float]:
        """The top left corner of the label in `slot` (0 = top left, row by row)."""
        col, row = slot % self.columns, slot // self.columns
        return self.left + col * (self.width + self.gap_x), self.top + row * (self.height + self.gap_y)


LABEL_STOCKS: dict[str, LabelStock] = {
    s.code: s
    for s in (
        LabelStock("a4-3x8-70x37", 3, 8, 70, 37, left=0, top=0.5),
        LabelStock("a4-3x7-70x42.3", 3, 7, 70, 42.3, left=0, top=0.45),
        LabelStock("a4-2x7-99.1x38.1", 2, 7, 99.1, 38.1, left=4.65, top=15.15, gap_x=2.5),
        LabelStock("a4-3x8-63.5x33.9", 3, 8, 63.5, 33.9, left=7.21, top=12.9, gap_x=2.54),
        LabelStock("a4-3x7-63.5x38.1", 3, 7, 63.5, 38.1, left=7.21, top=15.15, gap_x=2.54),
    )
}
DEFAULT_LABEL_STOCK = "a4-3x8-70x37"
LABEL_STOCK_KEY = "stock.label_stock"  # the company's setting (migration 0015)
MAX_LABELS = 1000  # one print: about 42 sheets of 24


@dataclass(frozen=True)
class Label:
    name: str
    article: str
    barcode: str


def default_label_count(quantity: Decimal, unit: str) -> int:
    """Labels for a received line: one per unit of what is counted in pieces (10 filters,
    10 labels), one for the rest (5,000 litres of diesel is one tank label)."""
    if unit.strip().lower() in COUNTABLE_UNITS and quantity == quantity.to_integral_value() and quantity > 0:
        return min(int(quantity), MAX_LABELS)
    return 1


def _barcode(code: str) -> tuple[bytes, str]:
    """The barcode's picture (bars only) and the number it encodes, printed under it as text:
    an EAN-13 for 13 digits (its check digit computed), Code 128 for anything else."""
    from barcode import get_barcode_class  # heavy: python-barcode loads Pillow
    from barcode.writer import ImageWriter  # heavy, as above

    kind = "ean13" if code.isdigit() and len(code) == 13 else "code128"
    symbol = get_barcode_class(kind)(code[:12] if kind == "ean13" else code, writer=ImageWriter())
    out = io.BytesIO()
    symbol.write(out, options={"module_height": 12.0, "write_text": False, "quiet_zone": 2.5, "dpi": 300})
    return out.getvalue(), str(symbol.get_fullcode())


def _fit(pdf: FPDF, text: str, width: float, lines: int) -> list[str]:
    """`text` broken into at most `lines` lines of `width` (the last one cut with "...")."""
    words, out, current = _latin(text).split(), [], ""
    for word in words:
        trial = f"{current} {word}".strip()
        if pdf.get_string_width(trial) <= width or not current:
            current = trial
        else:
            out.append(current)
            current = word
    if current:
        out.append(current)
    if len(out) > lines:
        out = out[:lines]
        out[-1] += "..."
    cut = []
    for line in out:
        while pdf.get_string_width(line) > width and len(line) > 4:
            line = line[:-4] + "..."
        cut.append(line)
    return cut


def labels_pdf(labels: Sequence[Label], stock: LabelStock | None = None, start: int = 1) -> bytes:
    """Labels in order on sheets of `stock`, the first at position `start` (1 = top left, row
    by row) so a partly used sheet is used up; each label's name, article, barcode and its
    number centred in the label, inside the printer's reach."""
    from fpdf import FPDF  # heavy: see document_pdf

    stock = stock or LABEL_STOCKS[DEFAULT_LABEL_STOCK]
    pdf = FPDF(format=stock.page)
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(0, 0, 0)
    pictures: dict[str, tuple[bytes, str]] = {}
    pad_x, pad_y = max(3.0, stock.width * 0.05), 2.0
    inner = stock.width - 2 * pad_x
    for i, label in enumerate(labels, start=start - 1):
        slot = i % stock.per_sheet
        if slot == 0 or i == start - 1:
            pdf.add_page()
        x, y = stock.origin(slot)
        if label.barcode not in pictures:
            pictures[label.barcode] = _barcode(label.barcode)
        picture, number = pictures[label.barcode]
        pdf.set_font("helvetica", "B", 8)
        name = _fit(pdf, label.name, inner, 2)
        pdf.set_font("helvetica", "", 7)
        article = _fit(pdf, label.article, inner, 1)
        text_h = 3.5 * len(name) + 3.2 * len(article)
        bar_h = min(16.0, stock.height - 2 * pad_y - text_h - 1 - 3.5)
        bar_w = min(inner, 52.0)
        top = y + (stock.height - (text_h + 1 + bar_h + 3.5)) / 2
        pdf.set_xy(x + pad_x, top)
        pdf.set_font("helvetica", "B", 8)
        for line in name:
            pdf.cell(inner, 3.5, line, align="C", new_x="LEFT", new_y="NEXT")
        pdf.set_font("helvetica", "", 7)
        for line in article:
            pdf.cell(inner, 3.2, line, align="C", new_x="LEFT", new_y="NEXT")
        bar_y = pdf.get_y() + 1
        pdf.image(io.BytesIO(picture), x=x + (stock.width - bar_w) / 2, y=bar_y, w=bar_w, h=bar_h)
        pdf.set_xy(x + pad_x, bar_y + bar_h)
        pdf.set_font("helvetica", "", 8)
        pdf.cell(inner, 3.5, _latin(number), align="C")
    if pdf.page_no() == 0:
        pdf.add_page()
    return bytes(pdf.output())
