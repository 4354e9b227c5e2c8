"""A notice on screen (the inbox, home): its words in the reader's language, when it was
raised, and the record it speaks of, one click away."""

from __future__ import annotations

from typing import Any

import streamlit as st

from common.actor import Actor
from common.roles import can_open
from core.services.notifications import mark_read
from ui.catalog import open_record
from ui.context import t, t_n, uow
from ui.fleet.drivers import P as DRIVERS
from ui.fleet.units import catalog_key
from ui.formatting import esc, show
from ui.forms import run_action
from ui.navigation import PAGE_PATHS

# the record a notice speaks of (its entity_type) -> the page that shows it and that page's
# catalog (the catalog keys of pages/stock/items.py and pages/crm/clients.py)
RECORD_PAGES: dict[str, tuple[str, str]] = {
    "item": ("items", "items"),
    "client": ("clients", "clients"),
    "vehicle": ("vehicles", catalog_key("vehicle")),
    "trailer": ("trailers", catalog_key("trailer")),
    "driver": ("drivers", DRIVERS),
}
# notices about no one record open a page of their own
KIND_PAGES: dict[str, str] = {"low_stock_digest": "stock"}


def notice_target(row: dict[str, Any], role: str) -> tuple[str, str | None] | None:
    """(page, catalog) that `row` opens for a reader of `role`, or None: a notice with no
    record, or one whose page the reader may not open."""
    found = RECORD_PAGES.get(row.get("entity_type") or "")
    if found is not None and row.get("entity_id") is not None:
        page, catalog = found
        return (page, catalog) if can_open(role, page) else None
    page_only = KIND_PAGES.get(row.get("kind") or "")
    return (page_only, None) if page_only and can_open(role, page_only) else None


def open_notice(actor: Actor, row: dict[str, Any]) -> None:
    """Go to the record the notice speaks of (its page, the record open in its catalog); the
    notice counts as read."""
    target = notice_target(row, actor.role)
    if target is None:
        return
    page, catalog = target
    if row.get("read_at") is None:
        run_action(lambda: mark_read(uow(), actor, [int(row["id"])]))
    if catalog is not None:
        open_record(catalog, int(row["entity_id"]))
    st.switch_page(PAGE_PATHS[page])


def notice_text(row: dict[str, Any]) -> str:
    """The notice's title (bold, a dot when unread) and body, as markdown: the words are the
    reader's language, every value in them escaped."""
    mark = ":blue[:material/circle:] " if row["read_at"] is None else ""
    body = "  \n".join(esc(line) for line in str(row["body"] or "").split("\n"))  # a digest: one item a line
    return f"{mark}**{esc(row['title'])}**" + (f"  \n{body}" if body else "")


def notice_caption(row: dict[str, Any]) -> str:
    """When it was raised (the latest time, how many times since when) and whether its cause
    is over."""
    parts = [show(row["at"])]
    if row.get("times", 1) > 1:
        parts.append(
            t_n(
                "raised once, on {first}",
                "raised {n} times since {first}",
                int(row["times"]),
                first=show(row["created_at"]),
            )
        )
    if row.get("resolved_at") is not None:
        parts.append(t("no longer current"))
    return " · ".join(parts)


def open_button(actor: Actor, row: dict[str, Any], place: Any, key: str) -> None:
    """The one click to the record, when the notice has one the reader may open."""
    if notice_target(row, actor.role) is None:
        return
    if place.button(t("Open"), key=key, icon=":material/open_in_new:"):
        open_notice(actor, row)
