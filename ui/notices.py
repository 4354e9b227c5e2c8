"""A notice on screen (the inbox, home): its words in the reader's language, when it was
raised, and the record it speaks of, one click away."""

from __future__ import annotations

from typing import Any

import streamlit as st

from common.actor import Actor
from common.roles import can_open
from core.services.notifications import mark_read
from ui.context import t, t_n, uow
from ui.formatting import esc, show
from ui.forms import run_action
from ui.links import Link, can_follow, follow
from ui.navigation import PAGE_PATHS

# notices about no one record open a page of their own
KIND_PAGES: dict[str, str] = {"low_stock_digest": "stock"}


def notice_link(row: dict[str, Any]) -> Link | None:
    """The record a notice speaks of (`ui.links`: the one map of records to screens), or a
    screen of its own (the digest opens Stock)."""
    if row.get("entity_type") and row.get("entity_id") is not None:
        return (str(row["entity_type"]), int(row["entity_id"]))
    page = KIND_PAGES.get(row.get("kind") or "")
    return ("page:" + page, None) if page else None


def _can_open(actor: Actor, link: Link | None) -> bool:
    if link is not None and link[0].startswith("page:"):
        return can_open(actor.role, link[0].removeprefix("page:"))
    return can_follow(actor, link)


def open_notice(actor: Actor, row: dict[str, Any]) -> None:
    """Go to the record the notice speaks of (its page, the record open in its catalog); the
    notice counts as read."""
    link = notice_link(row)
    if link is None or not _can_open(actor, link):
        return
    if row.get("read_at") is None:
        run_action(lambda: mark_read(uow(), actor, [int(row["id"])]))
    if link[0].startswith("page:"):
        st.switch_page(PAGE_PATHS[link[0].removeprefix("page:")])
    follow(actor, link)


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
    if not _can_open(actor, notice_link(row)):
        return
    if place.button(t("Open"), key=key, icon=":material/open_in_new:"):
        open_notice(actor, row)
