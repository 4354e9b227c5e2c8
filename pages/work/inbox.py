"""The user's inbox of notices."""

from __future__ import annotations

import streamlit as st

from core.services.listing import ListQuery
from core.services.notifications import list_inbox, mark_read
from ui.auth import require_page
from ui.context import t, uow
from ui.formatting import esc, show
from ui.forms import run_action

actor = require_page("inbox")
st.title(t("Inbox"))
top = st.columns([2, 2, 4])
unread_only = top[0].toggle(t("Unread only"), key="inbox_unread_only")
if top[1].button(t("Mark all as read"), key="inbox_mark_all"):
    ok, n = run_action(lambda: mark_read(uow(), actor))
    if ok:
        st.toast(t("{n} notices marked as read.", n=n))
        st.rerun()
page_no = st.session_state.get("inbox_page", 1)
page = list_inbox(
    uow(),
    actor,
    ListQuery(
        filters=(("unread", "1"),) if unread_only else (),
        sort="created_at",
        descending=True,
        page=page_no,
        page_size=25,
    ),
)
if not page.rows:
    st.info(t("Your inbox is empty."))
for row in page.rows:
    with st.container(border=True):
        cols = st.columns([6, 2])
        mark = ":blue[:material/circle:] " if row["read_at"] is None else ""
        cols[0].markdown(f"{mark}**{esc(row['title'])}**  \n{esc(row['body'])}")
        cols[0].caption(show(row["created_at"]))
        if row["read_at"] is None and cols[1].button(t("Mark as read"), key=f"inbox_read_{row['id']}"):
            ok, _ = run_action(lambda rid=row["id"]: mark_read(uow(), actor, [rid]))
            if ok:
                st.rerun()
if page.pages > 1:
    st.number_input(t("Page"), 1, page.pages, key="inbox_page")
