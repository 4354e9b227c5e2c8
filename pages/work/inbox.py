"""The user's inbox of notices: each in the reader's language, the latest first, one click
from the record it speaks of."""

from __future__ import annotations

import streamlit as st

from core.services.listing import ListQuery
from core.services.notifications import list_inbox, mark_read
from ui.auth import require_page
from ui.context import t, t_n, uow
from ui.forms import run_action
from ui.notices import notice_caption, notice_text, open_button

actor = require_page("inbox")
st.title(t("Inbox"))
top = st.columns([2, 2, 4])
unread_only = top[0].toggle(t("Unread only"), key="inbox_unread_only")
if top[1].button(t("Mark all as read"), key="inbox_mark_all"):
    ok, n = run_action(lambda: mark_read(uow(), actor))
    if ok:
        count = int(n or 0)
        st.toast(t_n("{n} notice marked as read.", "{n} notices marked as read.", count))
        st.rerun()
page_no = st.session_state.get("inbox_page", 1)
page = list_inbox(
    uow(),
    actor,
    ListQuery(
        filters=(("unread", "1"),) if unread_only else (),
        sort="at",
        descending=True,
        page=page_no,
        page_size=25,
    ),
)
if not page.rows:
    st.info(t("Your inbox is empty."))
for row in page.rows:
    with st.container(border=True):
        cols = st.columns([6, 1, 1])
        cols[0].markdown(notice_text(row))
        cols[0].caption(notice_caption(row))
        open_button(actor, row, cols[1], f"inbox_open_{row['id']}")
        if row["read_at"] is None and cols[2].button(t("Mark as read"), key=f"inbox_read_{row['id']}"):
            ok, _ = run_action(lambda rid=row["id"]: mark_read(uow(), actor, [rid]))
            if ok:
                st.rerun()
if page.pages > 1:
    st.number_input(t("Page"), 1, page.pages, key="inbox_page")
