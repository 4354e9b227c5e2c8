"""A newcomer's first day, in the browser: create the administrator, log in, add an employee
with a photo, find the employee in the grid, see the change in the activity log, switch to
Kinyarwanda."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def wait_idle(page: Page) -> None:
    """Wait until Streamlit has finished the current run."""
    page.wait_for_timeout(800)  # let the rerun start before waiting for it to end
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)


def sidebar_link(page: Page, name: str):  # type: ignore[no-untyped-def]
    return page.get_by_test_id("stSidebarNav").get_by_role("link", name=re.compile(name))


def go(page: Page, link: str, heading: str) -> None:
    """Open a page from the sidebar once the current run is over (a click during a run can be lost)."""
    for _ in range(3):
        wait_idle(page)
        sidebar_link(page, link).click()
        try:
            expect(page.get_by_role("heading", name=heading)).to_be_visible(timeout=8_000)
            wait_idle(page)
            return
        except AssertionError:
            continue
    expect(page.get_by_role("heading", name=heading)).to_be_visible()


def grid(page: Page):  # type: ignore[no-untyped-def]
    return page.frame_locator("iframe[title*='agGrid']").first


def test_first_day(page: Page, app_url: str) -> None:
    page.goto(app_url)
    expect(page.get_by_text("No user exists yet")).to_be_visible(timeout=30_000)
    page.get_by_label("User name").fill("admin")
    page.get_by_label("Full name").fill("Alice Uwase")
    page.get_by_label("Password", exact=True).fill("Secret-pass-1")
    page.get_by_label("Repeat the password").fill("Secret-pass-1")
    page.get_by_role("button", name="Create administrator").click()
    expect(page.get_by_text("The administrator was created")).to_be_visible()
    expect(page.get_by_role("heading", name="Log in to Twara")).to_be_visible()
    wait_idle(page)  # the first-admin form fades out only when the run ends

    page.get_by_label("User name").fill("admin")
    page.get_by_label("Password", exact=True).fill("Secret-pass-1")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Good day, admin")).to_be_visible()

    # add an employee
    sidebar_link(page, "Employees").click()
    expect(page.get_by_role("heading", name="Employees")).to_be_visible()
    page.get_by_role("button", name="Add employee").click()
    page.get_by_label("Full name *").fill("Josiane Mukeshimana")
    # a position is chosen from its catalog (a new install has the usual ones); the list's
    # Position filter comes first, the form's field below it
    page.get_by_role("combobox", name="Position", exact=True).last.click()
    page.get_by_role("option", name="Dispatcher", exact=True).click()
    page.get_by_label("Phone", exact=True).fill("0788 555 111")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("heading", name="Josiane Mukeshimana")).to_be_visible()

    # attach a photo
    page.get_by_role("tab", name="Attachments").click()
    page.locator("input[type=file]").first.set_input_files(str(FIXTURES / "photo.jpg"))
    page.get_by_text("Photo", exact=True).first.click()
    page.get_by_role("button", name="Attach").click()
    expect(page.get_by_text("photo.jpg")).to_be_visible()
    page.get_by_role("tab", name="Details").click()
    expect(page.locator("[data-testid=stImage] img").first).to_be_visible()

    # find it in the grid: the grid shows its rows
    page.get_by_role("textbox", name="Search").fill("mukeshim")
    page.get_by_role("textbox", name="Search").press("Enter")
    wait_idle(page)
    row = grid(page).get_by_text("Josiane Mukeshimana")
    expect(row).to_be_visible()
    expect(grid(page).get_by_text("+250 788 555 111")).to_be_visible()
    row.click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Josiane Mukeshimana")).to_be_visible()

    # the change is in the activity log
    sidebar_link(page, "Activity log").click()
    expect(page.get_by_role("heading", name="Activity log")).to_be_visible()
    wait_idle(page)
    log = grid(page)
    expect(log.get_by_text("Employee", exact=True).first).to_be_visible()
    expect(log.get_by_text(re.compile("Full name: Josiane Mukeshimana")).first).to_be_visible()

    # switch to Kinyarwanda
    sidebar_link(page, "My account").click()
    page.get_by_text("Ikinyarwanda").click()
    expect(sidebar_link(page, "Abakozi")).to_be_visible()
    sidebar_link(page, "Abakozi").click()
    expect(page.get_by_role("heading", name="Abakozi")).to_be_visible()
    expect(page.get_by_role("textbox", name="Shakisha")).to_be_visible()
    expect(grid(page).get_by_text("Josiane Mukeshimana")).to_be_visible()
    expect(grid(page).get_by_text("Amazina yose")).to_be_visible()
