"""A sales manager in the browser: starts on the plan, adds a client and a contact, logs a
call with a promise that comes back on the plan on its day, plans an appointment and is
reminded when its result is missing, builds a segment and sees its count, and records an
opt-out that makes the contact unreachable for marketing."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlalchemy import select

from tests.clock import ZONE
from tests.e2e.test_first_day import go, grid, wait_idle

KIGALI = ZONE  # the company's zone


def daily_jobs(demo_db, at: dt.datetime) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """What the worker does: the morning follow-up scan and the result control, at `at`."""
    from core.services.crm import appointment_reminders, follow_up_scan
    from db.session import UnitOfWork, engine_for

    factory = engine_for(demo_db.sqlalchemy_url)[1]
    made = follow_up_scan(UnitOfWork(factory, None), at.astimezone(KIGALI).date())
    sent = appointment_reminders(UnitOfWork(factory, None), at)
    return made, sent


def client_id(demo_db, name: str) -> int:  # type: ignore[no-untyped-def]
    from db.models.crm import Client
    from db.session import engine_for

    with engine_for(demo_db.sqlalchemy_url)[1]() as s:
        found = s.scalar(select(Client.id).where(Client.name == name))
        assert found is not None
        return found


def in_some_grid(page: Page, text: str) -> bool:
    """The client file shows several grids (the list, consent, the register): look in each."""
    frames = page.locator("iframe[title*='agGrid']")
    for _ in range(40):
        for i in range(frames.count()):
            if frames.nth(i).content_frame.get_by_text(text).count():
                return True
        page.wait_for_timeout(500)
    return False


def tab(page: Page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    wait_idle(page)


def test_manager_day(page: Page, demo_url: str, demo_db) -> None:  # type: ignore[no-untyped-def]
    page.goto(demo_url)
    page.get_by_label("User name").fill("sales")
    page.get_by_label("Password", exact=True).fill("Demo-pass-2026")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="My plan")).to_be_visible()  # the day starts on the plan

    # a new client and a contact person
    go(page, "Clients", "Clients")
    page.get_by_role("button", name="Add client").click()
    wait_idle(page)
    page.get_by_role("textbox", name="Legal name or full name *").fill("Nyabugogo Traders")
    page.get_by_role("textbox", name="Phone", exact=True).fill("0788 123 999")
    page.get_by_role("textbox", name="E-mail", exact=True).fill("bad-address")
    page.get_by_role("textbox", name="Tags (comma-separated)").fill("e2e-nyabugogo")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("This e-mail address is not valid.")).to_be_visible()  # at the field
    page.get_by_role("textbox", name="E-mail", exact=True).fill("info@nyabugogo.rw")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Nyabugogo Traders")).to_be_visible()
    tab(page, "Contacts")
    page.get_by_role("textbox", name="Name *").filter(visible=True).fill("Claude")
    page.get_by_role("textbox", name="E-mail").filter(visible=True).fill("claude@nyabugogo.rw")
    page.get_by_role("button", name="Add contact").click()
    expect(page.get_by_text("The contact was added.", exact=True)).to_be_visible()

    # a call with a promise due today
    tab(page, "Timeline")
    page.get_by_text("Log a call, meeting or visit").click()
    page.get_by_role("textbox", name="Topic *").fill("Rates for December")
    page.get_by_role("textbox", name="Result *").fill("Wants our price list")
    page.get_by_role("textbox", name="Promise made (e.g. send the price list)").fill("Send the price list")
    page.get_by_role("spinbutton", name="day, Promise due").click()
    page.keyboard.type(dt.datetime.now(KIGALI).strftime("%d%m%Y"))
    page.keyboard.press("Tab")
    page.get_by_role("button", name="Log contact").click()
    expect(page.get_by_text("Saved.", exact=True)).to_be_visible()
    expect(page.get_by_text("Rates for December")).to_be_visible()  # on the timeline

    # an appointment for tomorrow morning
    page.get_by_text("Plan an appointment (the result comes later)").click()
    wait_idle(page)
    page.get_by_role("textbox", name="Topic *").fill("Depot visit")
    page.get_by_role("button", name="Save appointment").click()
    expect(page.get_by_text("Saved.", exact=True)).to_be_visible()

    # next morning's jobs: the promise reaches the plan; the appointment, 3 hours past
    # without a result, brings a reminder
    tomorrow_noon = dt.datetime.combine(
        dt.datetime.now(KIGALI).date() + dt.timedelta(days=1), dt.time(12, 5), tzinfo=KIGALI
    )
    made, sent = daily_jobs(demo_db, tomorrow_noon)
    assert made >= 1 and sent >= 1
    assert daily_jobs(demo_db, tomorrow_noon) == (0, 0)  # once, not again

    go(page, "My plan", "My plan")
    expect(page.get_by_text("Promise: Send the price list")).to_be_visible()
    go(page, "Inbox", "Inbox")
    expect(page.get_by_text("Enter the result: Depot visit with Nyabugogo Traders").first).to_be_visible()

    # a segment and its live count
    go(page, "Segments", "Segments")
    page.get_by_role("textbox", name="Any of these tags").fill("e2e-nyabugogo")
    page.keyboard.press("Tab")
    wait_idle(page)
    expect(page.get_by_test_id("stMetricValue").filter(has_text="1")).to_be_visible()
    expect(grid(page).get_by_text("Nyabugogo Traders")).to_be_visible()

    # Claude replies STOP: not reachable for marketing e-mail any more
    go(page, "Clients", "Clients")
    page.get_by_role("textbox", name="Search").fill("Nyabugogo")
    page.keyboard.press("Enter")
    wait_idle(page)
    page.get_by_role("combobox", name="Open record").click()
    page.get_by_role("option", name="Nyabugogo Traders").first.click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Nyabugogo Traders")).to_be_visible()
    tab(page, "Consent")
    form = page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name="Record"))
    for _ in range(3):  # a click during a run can close the list before it opens: click again
        wait_idle(page)
        form.get_by_role("combobox", name="Who").click()
        try:
            page.get_by_role("option", name="Claude").click(timeout=6_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    form.get_by_role("combobox", name="How").click()
    page.get_by_role("option", name="Replied STOP").click()
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_text("Recorded.", exact=True)).to_be_visible()
    tab(page, "Consent")
    assert in_some_grid(page, "Opted out of marketing messages on this channel.")

    from core.services.crm import may_send
    from db.models.crm import ClientContact
    from db.session import engine_for

    with engine_for(demo_db.sqlalchemy_url)[1]() as s:
        cid = client_id(demo_db, "Nyabugogo Traders")
        claude = s.scalar(select(ClientContact.id).where(ClientContact.client_id == cid))
        assert may_send(s, cid, "email", "marketing", claude)[0] is False
        assert may_send(s, cid, "email", "service", claude)[0] is True
