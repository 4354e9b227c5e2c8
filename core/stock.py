"""Stock rules (SPEC W2-W4): moving-average cost, barcodes, inventory counts, low stock. No
database."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from common.i18n import N_

CENT = Decimal("0.01")


class StockRuleError(ValueError):
    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def receipt_value(qty: Decimal, unit_price: Decimal) -> Decimal:
    return money(qty * unit_price)


def issue_value(balance_qty: Decimal, balance_value: Decimal, qty: Decimal) -> Decimal:
    """Cost of taking `qty` out at the moving average; the last unit takes what is left,
    so the value of an emptied store is exactly zero."""
    if qty <= 0:
        raise StockRuleError(N_("The quantity must be more than zero."))
    if qty > balance_qty:
        raise StockRuleError(N_("Only {left} left."), left=balance_qty)
    if qty == balance_qty:
        return balance_value
    return min(balance_value, money(balance_value * qty / balance_qty))


def draft_line_value(
    kind: str, qty: Decimal | None, unit_price: Decimal | None, balance: tuple[Decimal, Decimal] | None
) -> Decimal | None:
    """What a line of a document not yet posted is worth, as posting will value it: a receipt
    at its price (none typed: 0), an issue, a transfer or a write-off at the store's moving
    average now (`balance`: its quantity and value there); None when it cannot be known yet
    (no quantity, more than the store holds, an inventory count)."""
    if qty is None or qty <= 0 or kind == "count":
        return None
    if kind == "receipt":
        return receipt_value(qty, unit_price or Decimal(0))
    if balance is None:
        return None
    try:
        return issue_value(balance[0], balance[1], qty)
    except StockRuleError:
        return None


def ean13_check_digit(first12: str) -> int:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return (10 - total % 10) % 10


def make_ean13(item_id: int, prefix: str = "200") -> str:
    """An in-store EAN-13 (prefix 200-299 is for internal use) for an item without one."""
    body = f"{prefix}{item_id:09d}"[-12:]
    return body + str(ean13_check_digit(body))


def normalize_barcode(raw: str) -> str:
    """EAN-13 codes must carry a right check digit; other codes (Code 128) printable ASCII."""
    code = raw.strip()
    if not code:
        raise StockRuleError(N_("Enter or scan a barcode."))
    if code.isdigit() and len(code) == 13:
        if int(code[-1]) != ean13_check_digit(code[:12]):
            raise StockRuleError(N_("The EAN-13 check digit is wrong; scan the code again."))
        return code
    if len(code) > 40 or not all(32 < ord(c) < 127 for c in code):
        raise StockRuleError(N_("A barcode has up to 40 letters, digits or signs, without spaces."))
    return code


def count_adjustment(book_qty: Decimal, counted_qty: Decimal) -> Decimal:
    """What an inventory count posts: counted minus book (negative for a shortage)."""
    if counted_qty < 0:
        raise StockRuleError(N_("A counted quantity cannot be negative."))
    return counted_qty - book_qty


def is_low(qty: Decimal, reorder_level: Decimal) -> bool:
    """The one low-stock rule: below the item's reorder level, for an item that has one (a
    level of 0 means "do not watch"); at the level exactly is not low. The database function
    `stock_is_low` (migration 0009) is this rule in SQL, held to it by a test; quantities and
    levels are never negative (the database refuses both)."""
    return reorder_level > 0 and qty < reorder_level
