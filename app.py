"""Twara: the shell. Page config, start-up, login gate, navigation by role."""

from __future__ import annotations

import logging
import time

import streamlit as st

from common.roles import SALES, can_open
from core.services.notifications import unread_count
from ui import session_cookie
from ui.auth import forgive_first_run_not_found, gate, login_pages, logout
from ui.context import runtime, t, t_n, uow
from ui.formatting import esc
from ui.labels import label
from ui.navigation import PAGES

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

_started = time.perf_counter()
log = logging.getLogger("twara.shell")
st.set_page_config(page_title="Twara", page_icon=":material/local_shipping:", layout="wide")
forgive_first_run_not_found()

runtime()
actor = gate()
if actor is None:
    # before login the only page is the login form, whatever the URL asked for; the page the
    # URL names opens after login
    st.navigation(login_pages(), position="hidden").run()
    st.stop()
assert actor is not None

unread = unread_count(uow(), actor)
sections: dict[str, list[st.Page]] = {}
start_page = "plan" if actor.role == SALES else "home"  # a manager's day starts from the plan (P1)
for entry in PAGES:
    if not can_open(actor.role, entry.key):
        continue
    title = t(entry.title)
    if entry.key == "inbox" and unread:
        title = f"{title} ({unread})"
    sections.setdefault(t(entry.section), []).append(
        st.Page(entry.path, title=title, icon=entry.icon, url_path=entry.key, default=(entry.key == start_page))
    )

with st.sidebar:
    st.markdown(f"**{esc(actor.username)}** · {esc(label('role', actor.role))}")
    if unread:
        st.markdown(f":red-badge[{t_n('{n} unread', '{n} unread', unread)}]")
    st.caption(esc(label("language", actor.lang)))
    if st.button(t("Log out"), key="shell_logout", icon=":material/logout:"):
        logout()
    session_cookie.send_pending()  # after a login: the browser keeps the session's token

st.navigation(sections, expanded=True).run()
session_cookie.sent()
# server time of this run: slow runs are logged
_elapsed_ms = (time.perf_counter() - _started) * 1000
if _elapsed_ms > 1000:
    log.warning("slow run: %.0f ms for %s", _elapsed_ms, actor.username)
