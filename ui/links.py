"""A record a screen speaks of, opened in one click: which screen shows each kind of
record, a read-only grid whose row opens its record when clicked, and the keyboard's way to
the same (an "Open record" box under the grid).

A link is `(type, id)`: a record type (`common.records.RECORD_LABELS`), or "trailer" for a
vehicle that is one (it is on the Trailers screen); a child record (an invoice line, a
client's contact) is linked by its parent (`core.services.records` says which). The id is
None for a screen with no record of its own (Settings).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from common.actor import Actor
from common.i18n import N_
from common.roles import can_open
from ui.catalog import open_record
from ui.context import t
from ui.grid import Column, table
from ui.navigation import PAGE_PATHS

Link = tuple[str, int | None]

# record type -> (page, whether the page is a catalog of such records: its key is the page's)
SCREENS: dict[str, tuple[str, bool]] = {
    "vehicle": ("vehicles", True),
    "trailer": ("trailers", True),
    "driver": ("drivers", True),
    "employee": ("employees", True),
    "user": ("users", True),
    "client": ("clients", True),
    "item": ("items", True),
    "stock_document": ("stock_documents", True),
    "place": ("places", True),
    "distance": ("distances", True),
    "warehouse": ("stock", False),
    "item_category": ("stock", False),
    "vehicle_category": ("fleet_settings", False),
    "document_type": ("fleet_settings", False),
    "client_category": ("crm_settings", False),
    "follow_up_rule": ("crm_settings", False),
    "segment": ("segments", False),
    "staff_catalog": ("staff_catalogs", False),
    "company_profile": ("settings", False),
    "parameter": ("settings", False),
    "email_outbox": ("outbox", False),
}


def can_follow(actor: Actor, link: Link | None) -> bool:
    """Whether `actor` may open the screen of `link` (no link for a screen the role may not open)."""
    if link is None or link[0] not in SCREENS:
        return False
    return can_open(actor.role, SCREENS[link[0]][0])


def follow(actor: Actor, link: Link) -> None:
    """Go to the screen of `link`, its record selected."""
    page, is_catalog = SCREENS[link[0]]
    if not can_open(actor.role, page):
        return
    if is_catalog and link[1] is not None:
        open_record(page, int(link[1]))
    st.switch_page(PAGE_PATHS[page])


def link_button(actor: Actor, link: Link | None, key: str, text: str = N_("Open"), where: Any = None) -> None:
    """A button that opens `link` (none when the role may not open its screen)."""
    if not can_follow(actor, link):
        return
    assert link is not None
    box = where if where is not None else st
    if box.button(t(text), key=key, icon=":material/open_in_new:"):
        follow(actor, link)


def linked_table(
    actor: Actor,
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[Column],
    links: Sequence[Link | None],
    key: str,
    titles: Sequence[str],
) -> None:
    """A read-only grid (`ui.grid.table`) whose rows open their record in one click;
    `links[i]` is row i's record, `titles[i]` what the "Open record" box calls it."""
    picked = table(rows, columns, key=key, selectable=True)
    followable = {i: link for i, link in enumerate(links) if can_follow(actor, link)}
    if picked is not None:
        link = followable.get(picked)
        if link is not None:
            follow(actor, link)
    if followable:
        chosen = st.selectbox(
            t("Open record"),
            [None, *followable],
            format_func=lambda i: "" if i is None else titles[i],
            key=f"{key}_open",
            placeholder=t("Choose..."),
        )
        if chosen is not None:  # (the box is not on the next screen: back here, it is empty again)
            follow(actor, followable[chosen])
