"""A dispatcher and the map of the company's work in the browser: a border post's distances
with where they come from, an estimate marked as such, then the road measured and entered
in the company's table, which from then on gives the distance both ways."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_first_day import go, grid, wait_idle


def choose(page: Page, label: str, option: str) -> None:
    box = page.get_by_role("combobox", name=label, exact=True).filter(visible=True)
    wanted = page.get_by_role("option", name=re.compile(re.escape(option))).first
    for _ in range(3):
        wait_idle(page)
        box.click()
        box.press_sequentially(option)  # type to narrow the list, as a person would
        try:
            wanted.wait_for(state="visible", timeout=8_000)
            break
        except Exception:  # typed while the screen redrew: the keys were lost; again, as a person would
            page.keyboard.press("Escape")
    wanted.click()
    wait_idle(page)


def test_dispatcher_enters_a_road_the_table_lacked(page: Page, demo_url: str) -> None:
    page.goto(demo_url)
    page.get_by_label("User name").fill("dispatcher")
    page.get_by_label("Password", exact=True).fill("Demo-pass-2026")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Good day, dispatcher")).to_be_visible()

    # a border post and its distances, each with its source
    go(page, "Places", "Places")
    grid(page).get_by_text("Rusumo border").click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Rusumo border")).to_be_visible()
    page.get_by_role("tab", name="Distances").click()
    choose(page, "To", "Kigali (RW)")
    expect(page.get_by_text("160 km · 4 h · Company table")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "e2e-places.png"), full_page=True)

    # a pair nobody measured: estimated, and marked so
    go(page, "Distances", "Distances")
    wait_idle(page)
    page.get_by_text("Distance between two places").click()
    expect(page.get_by_role("combobox", name="From", exact=True).filter(visible=True)).to_be_visible()
    choose(page, "From", "Huye (RW)")
    choose(page, "To", "Cyanika border (RW)")
    expect(page.get_by_text(re.compile(r"^≈ .* km · .* h · Estimate$"))).to_be_visible()

    # the road measured and entered: the table gives it now, and for the way back too
    page.get_by_role("button", name="Add distance").click()
    wait_idle(page)
    form = page.get_by_test_id("stForm")
    for label, option in (("From *", "Huye (RW)"), ("To *", "Cyanika border (RW)")):
        choose(page, label, option)
    form.get_by_role("textbox", name="Road km *").fill("210")
    form.get_by_role("textbox", name="Typical hours").fill("5:30")
    form.get_by_role("button", name="Save to the company table").click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Huye → Cyanika border")).to_be_visible()
    if not page.get_by_role("combobox", name="From", exact=True).is_visible():  # the expander stays as left
        page.get_by_text("Distance between two places").click()
    choose(page, "From", "Cyanika border (RW)")
    choose(page, "To", "Huye (RW)")
    expect(page.get_by_text("210 km · 5.5 h · Company table")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "e2e-distances.png"), full_page=True)
