"""A keeper in the browser: receive diesel into a tank, issue 200 litres to a truck by
scanning, see the balance drop, be refused when issuing more than is left, get the
low-stock notice, and print the invoice. Invoices (stock documents) are a catalog screen:
the list on top, "New invoice" opens the quick form below it, a posted one opens below."""

from __future__ import annotations

import re
from decimal import Decimal

from playwright.sync_api import Page, expect
from sqlalchemy import select

from common.i18n import format_quantity
from tests.e2e.test_first_day import go, grid, wait_idle


def diesel(demo_db) -> tuple[str, Decimal]:  # type: ignore[no-untyped-def]
    from db.models.stock import Item, StockBalance, Warehouse
    from db.session import engine_for

    with engine_for(demo_db.sqlalchemy_url)[1]() as s:
        item = s.scalar(select(Item).where(Item.article == "FUEL-DSL"))
        tank = s.scalar(select(Warehouse.id).where(Warehouse.name == "Diesel tank 1"))
        qty = s.scalar(
            select(StockBalance.qty).where(StockBalance.item_id == item.id, StockBalance.warehouse_id == tank)
        )
        return item.barcode, qty or Decimal(0)


def fmt(qty: Decimal) -> str:
    """Litres as every grid and message shows them (common.i18n.format_quantity)."""
    return format_quantity(qty, "l", "en")


def new_invoice(page: Page, kind: str) -> None:
    go(page, "Invoices", "Invoices")
    # a refused invoice stays open in place of the list, its lines kept; otherwise open a new one
    if not page.get_by_role("button", name="Clear lines").count():
        page.get_by_role("button", name="New invoice").click()
        wait_idle(page)
    clear = page.get_by_role("button", name="Clear lines")
    if clear.count():
        clear.click()
        wait_idle(page)
    # the form takes the list's place: its fields are the last of their names on the screen
    page.get_by_role("combobox", name="Kind", exact=True).last.click()
    page.get_by_role("option", name=kind, exact=True).click()
    wait_idle(page)
    page.get_by_role("combobox", name="Store", exact=True).last.click()
    page.get_by_role("option", name="Diesel tank 1").click()
    wait_idle(page)


def scan(page: Page, code: str, qty: Decimal) -> None:
    per_scan = page.get_by_role("spinbutton", name="Quantity per scan")
    per_scan.fill(str(qty))
    per_scan.press("Tab")
    wait_idle(page)
    box = page.get_by_role("textbox", name="Scan or type a barcode, then Enter")
    box.fill(code)
    box.press("Enter")  # what a USB scanner types after the code
    wait_idle(page)


def tank_balance_shown(page: Page, qty: Decimal) -> None:
    go(page, "Stock", "Stock")
    page.get_by_role("combobox", name="Store").first.click()
    page.get_by_role("option", name="Diesel tank 1").click()
    wait_idle(page)
    expect(grid(page).get_by_text(fmt(qty), exact=True)).to_be_visible()


def test_keeper_day(page: Page, demo_url: str, demo_db) -> None:  # type: ignore[no-untyped-def]
    code, start = diesel(demo_db)
    page.goto(demo_url)
    page.get_by_label("User name").fill("warehouse")
    page.get_by_label("Password", exact=True).fill("Demo-pass-2026")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Good day, warehouse")).to_be_visible()

    # receive 5,000 litres
    new_invoice(page, "Receipt")
    page.get_by_role("textbox", name="Unit price").fill("1639")
    scan(page, code, Decimal(5000))
    page.get_by_role("button", name="Post").click()
    expect(page.get_by_text(re.compile(r"Invoice WH-\d+ posted\."))).to_be_visible()
    tank_balance_shown(page, start + 5000)

    # issue 200 litres to a truck by scanning
    new_invoice(page, "Issue")
    scan(page, code, Decimal(200))
    page.get_by_role("button", name="Post").click()
    expect(page.get_by_text(re.compile(r"Invoice WH-\d+ posted\."))).to_be_visible()
    tank_balance_shown(page, start + 4800)

    # more than is left is refused, and nothing moves
    new_invoice(page, "Issue")
    scan(page, code, start + 4801)
    page.get_by_role("button", name="Post").click()
    expect(page.get_by_text(f"Only {fmt(start + 4800)} l of Diesel left in this store.")).to_be_visible()
    tank_balance_shown(page, start + 4800)

    # down below the reorder level (3,000 l): the keeper is told at once
    new_invoice(page, "Issue")
    scan(page, code, start + 4800 - 2900)
    page.get_by_role("button", name="Post").click()
    expect(page.get_by_text(re.compile(r"Invoice WH-\d+ posted\."))).to_be_visible()
    go(page, "Inbox", "Inbox")
    expect(page.get_by_text("Diesel is running low in Diesel tank 1").first).to_be_visible()

    # the invoice is in the list, and the one just posted prints as a PDF from its details
    go(page, "Invoices", "Invoices")
    expect(grid(page).get_by_text(re.compile(r"WH-\d+")).first).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Print (PDF)").click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
