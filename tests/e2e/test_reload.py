"""A login survives a reload and a new tab, a log-out ends it in every tab, and a bookmarked
address opens its page after login (no "Page not found")."""

from __future__ import annotations

import time

from playwright.sync_api import Page, expect

from tests.e2e.test_first_day import go, wait_idle

USER, PASSWORD = "dispatcher", "Demo-pass-2026"


def log_in(page: Page) -> None:
    expect(page.get_by_role("heading", name="Log in to Twara")).to_be_visible()
    page.get_by_label("User name").fill(USER)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def logged_in_on(page: Page, heading: str) -> None:
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Log in to Twara")).to_have_count(0)
    expect(page.get_by_text("Page not found")).to_have_count(0)
    expect(page.get_by_test_id("stSidebar").get_by_text(USER, exact=True)).to_be_visible()


def session_cookie(page: Page) -> dict | None:
    return next((c for c in page.context.cookies() if c["name"] == "twara_session"), None)


def test_a_reload_and_a_new_tab_keep_the_login_and_a_log_out_ends_it(page: Page, demo_url: str) -> None:
    page.goto(demo_url)
    log_in(page)
    logged_in_on(page, "Good day, dispatcher")

    cookie = session_cookie(page)
    assert cookie is not None
    assert cookie["path"] == "/" and cookie["sameSite"] == "Strict" and not cookie["secure"]  # served over http
    assert 11.9 * 3600 < cookie["expires"] - time.time() <= 12 * 3600  # auth.session_max_hours
    assert cookie["value"] not in page.url

    go(page, "Vehicles", "Vehicles")
    assert page.url.endswith("/vehicles")
    page.reload()
    logged_in_on(page, "Vehicles")  # F5: the same page, still logged in
    assert page.url.endswith("/vehicles")

    other = page.context.new_page()  # a link opened in a new tab
    other.goto(demo_url + "/documents_due")
    logged_in_on(other, "Documents due")

    wait_idle(page)
    page.get_by_test_id("stSidebar").get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in to Twara")).to_be_visible()
    wait_idle(page)
    assert session_cookie(page) is None  # the browser forgot it
    page.reload()
    expect(page.get_by_role("heading", name="Log in to Twara")).to_be_visible()
    wait_idle(page)
    expect(page.get_by_test_id("stSidebar").get_by_text(USER, exact=True)).to_have_count(0)

    # the other tab's session ended with the log-out: its next click shows the login form
    other.get_by_test_id("stSidebarNav").get_by_role("link", name="Vehicles").click()
    expect(other.get_by_role("heading", name="Log in to Twara")).to_be_visible()
    expect(other.get_by_text("Your session has ended. Please log in again.")).to_be_visible()
    other.close()


def test_a_cookie_from_an_ended_session_shows_the_login_form(page: Page, demo_url: str) -> None:
    page.goto(demo_url)
    log_in(page)
    logged_in_on(page, "Good day, dispatcher")
    stolen = session_cookie(page)
    assert stolen is not None
    page.get_by_test_id("stSidebar").get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in to Twara")).to_be_visible()
    wait_idle(page)

    page.context.add_cookies([{**stolen}])  # a copy kept from before the log-out
    page.goto(demo_url + "/vehicles")
    expect(page.get_by_role("heading", name="Log in to Twara")).to_be_visible()
    expect(page.get_by_text("Your session has ended. Please log in again.")).to_be_visible()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Vehicles")).to_have_count(0)
    assert session_cookie(page) is None  # refused, and cleared


def test_a_bookmark_opens_its_page_after_login(page: Page, demo_url: str) -> None:
    page.goto(demo_url + "/vehicles")
    expect(page.get_by_role("heading", name="Log in to Twara")).to_be_visible()
    wait_idle(page)
    expect(page.get_by_text("Page not found")).to_have_count(0)
    assert "Vehicles" not in page.locator("body").inner_text()  # no page name before login
    assert page.get_by_test_id("stSidebarNav").count() == 0
    assert page.title() == "Twara"  # the tab names no page either
    log_in(page)
    logged_in_on(page, "Vehicles")
    assert page.url.endswith("/vehicles")
