"""A dispatcher's morning in the browser: a tractor's documents coloured by validity, an
insurance with its scan, the documents-due list, the dispatch check refusing a driver whose
licence expired, and the expiry notice arriving once in the inbox."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.clock import TODAY
from tests.e2e.test_first_day import grid, sidebar_link, wait_idle

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def expired_licence_driver(demo_db) -> str:  # type: ignore[no-untyped-def]
    from db.models.fleet import Driver
    from db.models.hr import Employee
    from db.session import engine_for

    with engine_for(demo_db.sqlalchemy_url)[1]() as s:
        return s.scalar(
            select(Employee.full_name)
            .join(Driver, Driver.employee_id == Employee.id)
            .where(Driver.licence_valid_to < TODAY)
        )


def run_expiry_job_twice(demo_db) -> list[int]:  # type: ignore[no-untyped-def]
    from core.services.fleet import expiry_scan
    from db.session import UnitOfWork, engine_for

    factory = engine_for(demo_db.sqlalchemy_url)[1]
    # the daily job (on the company's day), and a second worker or a restart doing it again
    return [expiry_scan(UnitOfWork(factory, None)).notices for _ in range(2)]


def notices_in_inbox(page: Page, text: re.Pattern[str]) -> int:
    """How many notices match `text` over every page of the inbox (25 a page, the latest first:
    the daily scans of a worker that runs meanwhile push older notices to a later page)."""
    found = page.get_by_text(text).count()
    box = page.get_by_role("spinbutton", name="Page")
    if not box.count():
        return found
    last = int(box.get_attribute("max") or 1)
    for number in range(2, last + 1):
        box.fill(str(number))
        box.press("Enter")
        wait_idle(page)
        found += page.get_by_text(text).count()
    return found


def choose(page: Page, label: str, option: str) -> None:
    box = page.get_by_role("combobox", name=label).filter(visible=True)
    box.click()
    box.press_sequentially(option)  # the list is long: type to narrow it, as a person would
    page.get_by_role("option", name=re.compile(re.escape(option))).first.click()
    wait_idle(page)


def test_dispatcher_morning(page: Page, demo_url: str, demo_db) -> None:  # type: ignore[no-untyped-def]
    counts = run_expiry_job_twice(demo_db)
    assert counts[0] > 0 and counts[1] == 0

    page.goto(demo_url)
    page.get_by_label("User name").fill("dispatcher")
    page.get_by_label("Password", exact=True).fill("Demo-pass-2026")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Good day, dispatcher")).to_be_visible()

    # the tractor and its documents, coloured by validity
    sidebar_link(page, "Vehicles").click()
    expect(page.get_by_role("heading", name="Vehicles")).to_be_visible()
    wait_idle(page)
    grid(page).get_by_text("RAA 101 A").click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="RAA 101 A")).to_be_visible()
    page.get_by_role("tab", name="Documents").click()
    expect(page.get_by_text("Expired", exact=True).filter(visible=True).first).to_be_visible()

    # a new insurance with its scan
    choose(page, "Document type", "Insurance")
    page.get_by_role("textbox", name="Number", exact=True).filter(visible=True).fill("SON-2027-0042")
    # the date field has day, month and year parts; typing fills them in turn
    page.get_by_role("spinbutton", name="day, Valid to *").filter(visible=True).click()
    page.keyboard.type((TODAY + dt.timedelta(days=365)).strftime("%d%m%Y"))
    page.keyboard.press("Tab")
    form = page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name="Add document"))
    form.locator("input[type=file]").set_input_files(str(FIXTURES / "insurance.pdf"))
    expect(page.get_by_text("insurance.pdf").filter(visible=True).first).to_be_visible()  # uploaded
    page.get_by_role("button", name="Add document").click()
    wait_idle(page)
    expect(page.get_by_text("SON-2027-0042")).to_be_visible()
    page.get_by_text("Scans of this document").first.click()
    expect(page.get_by_text("insurance.pdf").filter(visible=True).first).to_be_visible()

    # the documents-due list no longer holds the renewed insurance, but holds the expired licence
    driver = expired_licence_driver(demo_db)
    sidebar_link(page, "Documents due").click()
    expect(page.get_by_role("heading", name="Documents due")).to_be_visible()
    wait_idle(page)
    due = grid(page)
    expect(due.get_by_text(driver)).to_be_visible()
    expect(due.get_by_text("RAA 101 A")).to_have_count(0)

    # the dispatch check refuses the driver whose licence expired
    sidebar_link(page, "Dispatch check").click()
    expect(page.get_by_role("heading", name="Dispatch check")).to_be_visible()
    choose(page, "Vehicle", "RAA 100 A")
    choose(page, "Driver", driver)
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_text(re.compile(r"Not allowed"))).to_be_visible()
    expect(page.get_by_text(f"{driver}'s driving licence expired on")).to_be_visible()

    # the expiry notice is in the inbox once
    sidebar_link(page, "Inbox").click()
    expect(page.get_by_role("heading", name="Inbox")).to_be_visible()
    wait_idle(page)
    assert notices_in_inbox(page, re.compile(rf"Driving licence of {re.escape(driver)} expired on")) == 1
