"""Every grid shows the same columns in Kinyarwanda as in English, and no tab or column
label repeats on a screen (columns are keyed by code, labels shown together differ)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.test_first_day import wait_idle

# every screen with a grid an administrator opens, with the grids' selectable first record
SCREENS = (
    "employees",
    "users",
    "clients",
    "segments",
    "crm_settings",
    "plan",
    "vehicles",
    "trailers",
    "drivers",
    "documents_due",
    "items",
    "stock_documents",
    "stock",
    "activity",
    "outbox",
)
CATALOGS = {"employees", "users", "clients", "vehicles", "trailers", "drivers", "items", "stock_documents"}


def open_screen(page: Page, key: str, with_grid: bool = True) -> None:
    for _ in range(3):
        wait_idle(page)
        page.get_by_test_id("stSidebarNav").locator(f'a[href$="/{key}"]').click()
        try:
            page.wait_for_url(f"**/{key}", timeout=8_000)
            break
        except Exception:  # a click during a run can be lost: try again, as a person would
            continue
    wait_idle(page)
    if not with_grid:
        return
    # let the grids draw: every screen surveyed has one in view
    page.locator("iframe[title*='agGrid']").first.wait_for(state="visible", timeout=20_000)
    page.frame_locator("iframe[title*='agGrid']").first.locator(".ag-header-cell-text").first.wait_for(
        state="attached", timeout=20_000
    )


def headers(page: Page) -> list[list[str]]:
    """The headers of every grid in view on the screen, in order (a grid in a tab not
    shown draws only some of its columns)."""
    found = []
    for element in page.locator("iframe[title*='agGrid']").element_handles():
        if not element.is_visible() or element.bounding_box()["width"] < 100:  # type: ignore[index]
            continue
        frame = element.content_frame()
        assert frame is not None
        frame.wait_for_selector(".ag-header-cell-text", state="attached")
        texts = frame.locator(".ag-header-cell .ag-header-cell-text").all_text_contents()
        found.append([" ".join(text.split()) for text in texts])
    return found


def settled_headers(page: Page) -> list[list[str]]:
    """The headers once the screen has stopped drawing grids (a record's tabs come after)."""
    last = headers(page)
    for _ in range(10):
        page.wait_for_timeout(600)
        now = headers(page)
        if now == last:
            return now
        last = now
    return last


def tabs(page: Page) -> list[str]:
    return [" ".join(t.split()) for t in page.get_by_role("tab").all_inner_texts()]


def select_first_row(page: Page) -> None:
    frame = page.frame_locator("iframe[title*='agGrid']").first
    frame.locator(".ag-center-cols-container .ag-row").first.click()
    wait_idle(page)


def survey(page: Page) -> dict[str, tuple[list[list[str]], list[str]]]:
    seen = {}
    for key in SCREENS:
        open_screen(page, key)
        if key in CATALOGS:
            select_first_row(page)
        seen[key] = (settled_headers(page), tabs(page))
    return seen


def test_grids_keep_their_columns_in_kinyarwanda(page: Page, demo_url: str) -> None:
    page.goto(demo_url)
    page.get_by_label("User name").fill("admin")
    page.get_by_label("Password", exact=True).fill("Demo-pass-2026")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("stSidebarNav")).to_be_visible()
    english = survey(page)

    open_screen(page, "account", with_grid=False)
    page.get_by_text("Ikinyarwanda", exact=True).click()
    expect(page.get_by_role("heading", name="Konti yanjye")).to_be_visible()
    kinyarwanda = survey(page)
    open_screen(page, "account", with_grid=False)
    page.get_by_text("English", exact=True).click()  # leave the demo user as found
    wait_idle(page)

    for key in SCREENS:
        en_grids, en_tabs = english[key]
        rw_grids, rw_tabs = kinyarwanda[key]
        assert en_grids, f"{key}: no grid drawn"
        assert [len(g) for g in rw_grids] == [len(g) for g in en_grids], (key, en_grids, rw_grids)
        assert len(rw_tabs) == len(en_tabs), (key, en_tabs, rw_tabs)
        for shown in (*en_grids, *rw_grids, en_tabs, rw_tabs):
            folded = [s.casefold() for s in shown]
            assert len(set(folded)) == len(folded), f"{key}: a label repeats in {shown}"
        assert rw_grids != en_grids, f"{key}: the headers did not change language"


def test_add_opens_its_form_in_view(page: Page, demo_url: str) -> None:
    """On a 1,000-pixel window, "Add …" shows its form where the click was, not below the
    screen, whatever the length of the list."""
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(demo_url)
    page.get_by_label("User name").fill("admin")
    page.get_by_label("Password", exact=True).fill("Demo-pass-2026")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("stSidebarNav")).to_be_visible()
    for key, button, field in (
        ("employees", "Add employee", "Full name"),
        ("vehicles", "Add vehicle", "Plate"),
        ("clients", "Add client", "Legal name or full name"),
    ):
        open_screen(page, key)
        add = page.get_by_role("button", name=button)
        box = add.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 1000, f"{key}: {button} is below the screen"
        add.click()
        first = page.get_by_role("textbox", name=field).first
        expect(first).to_be_visible()
        box = first.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 1000, f"{key}: the form is off-screen"
        page.get_by_role("button", name="Cancel", exact=True).click()
        wait_idle(page)
