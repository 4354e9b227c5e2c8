"""A visitor who has not logged in learns nothing of the app, even from a server that has
just started and even through a deep link, and is not told the address is wrong."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import _serve


def test_a_fresh_server_shows_a_stranger_the_login_form_and_no_page_names(demo_db, page: Page):
    server = _serve(demo_db, "e2e-fresh-app.log")
    url = next(server)
    try:
        page.goto(url + "/users")  # the very first request of this server process, a deep link
        expect(page.get_by_role("heading", name="Log in to Twara")).to_be_visible(timeout=60_000)
        page.wait_for_timeout(1500)
        assert page.get_by_text("Page not found").count() == 0  # the address is a page's: it opens after login
        text = page.locator("body").inner_text()
        for name in ("Users", "Activity log", "Vehicles", "Clients", "Settings", "E-mail outbox"):
            assert name not in text, name
        assert page.get_by_test_id("stSidebarNav").count() == 0
    finally:
        next(server, None)
