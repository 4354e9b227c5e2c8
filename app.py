"""Twara: the shell. Page config, start-up, login gate, navigation by role."""

from __future__ import annotations

import logging

import streamlit as st

from core.i18n import LANGUAGES
from core.roles import ROLE_LABELS, can_open
from core.services.notifications import unread_count
from ui.auth import gate, login_page, logout
from ui.context import runtime, t, uow

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

st.set_page_config(page_title="Twara", page_icon=":material/local_shipping:", layout="wide")

runtime()
actor = gate()
if actor is None:
    # before login the only page is the login form, whatever the URL asked for
    st.navigation([st.Page(login_page, title=t("Log in"), icon=":material/login:")], position="hidden").run()
    st.stop()
assert actor is not None

# (page key, file, title msgid, icon, section msgid)
PAGES = [
    ("home", "pages/home.py", "Home", ":material/home:", "Work"),
    ("inbox", "pages/inbox.py", "Inbox", ":material/inbox:", "Work"),
    ("employees", "pages/employees.py", "Employees", ":material/badge:", "Catalogs"),
    ("activity", "pages/activity.py", "Activity log", ":material/history:", "Administration"),
    ("users", "pages/users.py", "Users", ":material/manage_accounts:", "Administration"),
    ("outbox", "pages/outbox.py", "E-mail outbox", ":material/outgoing_mail:", "Administration"),
    ("settings", "pages/settings.py", "Settings", ":material/settings:", "Administration"),
    ("account", "pages/account.py", "My account", ":material/person:", "Administration"),
]

unread = unread_count(uow(), actor)
sections: dict[str, list[st.Page]] = {}
for key, path, title, icon, section in PAGES:
    if not can_open(actor.role, key):
        continue
    label = t(title)
    if key == "inbox" and unread:
        label = f"{label} ({unread})"
    sections.setdefault(t(section), []).append(
        st.Page(path, title=label, icon=icon, url_path=key, default=(key == "home"))
    )

with st.sidebar:
    st.markdown(f"**{actor.username}** · {t(ROLE_LABELS[actor.role])}")
    if unread:
        st.markdown(f":red-badge[{t('{n} unread', n=unread)}]")
    st.caption(LANGUAGES[actor.lang])
    if st.button(t("Log out"), key="shell_logout", icon=":material/logout:"):
        logout()

st.navigation(sections).run()
