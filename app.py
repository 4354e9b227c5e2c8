"""Twara: the shell. Page config, start-up, login gate, navigation by role."""

from __future__ import annotations

import logging
import time

import streamlit as st

from common.roles import SALES, can_open
from core.services.notifications import unread_count
from ui.auth import gate, login_page, logout
from ui.context import runtime, t, uow
from ui.formatting import esc
from ui.labels import label
from ui.navigation import PAGES

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

_started = time.perf_counter()
log = logging.getLogger("twara.shell")
st.set_page_config(page_title="Twara", page_icon=":material/local_shipping:", layout="wide")

runtime()
actor = gate()
if actor is None:
    # before login the only page is the login form, whatever the URL asked for
    st.navigation([st.Page(login_page, title=t("Log in"), icon=":material/login:")], position="hidden").run()
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
        st.markdown(f":red-badge[{t('{n} unread', n=unread)}]")
    st.caption(esc(label("language", actor.lang)))
    if st.button(t("Log out"), key="shell_logout", icon=":material/logout:"):
        logout()

st.navigation(sections, expanded=True).run()
# server time of this run: slow runs are logged
_elapsed_ms = (time.perf_counter() - _started) * 1000
if _elapsed_ms > 1000:
    log.warning("slow run: %.0f ms for %s", _elapsed_ms, actor.username)
