"""Home: what needs attention today."""

from __future__ import annotations

import streamlit as st

from common.roles import CAN_MANAGE_USERS
from core.services.listing import ListQuery
from core.services.notifications import list_inbox, unread_count
from core.services.settings import get_company
from core.services.users import demo_accounts
from ui.auth import require_page
from ui.context import t, uow
from ui.formatting import esc, show
from ui.notices import notice_caption, notice_text, open_button

actor = require_page("home")
company = get_company(uow())
st.title(t("Good day, {name}", name=actor.username))
st.caption(esc(company["name"]))
if actor.role in CAN_MANAGE_USERS:
    demo = demo_accounts(uow(), actor)
    if demo:
        st.warning(
            t(
                "Demo accounts with the published password can log in: {names}. Before real work, remove them "
                "with `python manage.py demo --remove-users` or disable them on Users.",
                names=", ".join(demo),
            ),
            icon=":material/warning:",
        )
unread = unread_count(uow(), actor)
c1, c2 = st.columns(2)
c1.metric(t("Unread notices"), show(unread, "number"))
st.subheader(t("Latest notices"))
page = list_inbox(uow(), actor, ListQuery(sort="at", descending=True, page_size=5))
if not page.rows:
    st.caption(t("Nothing new. Notices about expiring documents, low stock and reminders appear here."))
for row in page.rows:
    cols = st.columns([7, 1])
    cols[0].markdown(notice_text(row))
    cols[0].caption(notice_caption(row))
    open_button(actor, row, cols[1], f"home_open_{row['id']}")
