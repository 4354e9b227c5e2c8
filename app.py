"""Twara: the shell. Page config, start-up, login gate, navigation by role."""

from __future__ import annotations

import logging
import time

import streamlit as st

from core.i18n import LANGUAGES, N_
from core.roles import ROLE_LABELS, SALES, can_open
from core.services.notifications import unread_count
from ui.auth import gate, login_page, logout
from ui.context import runtime, t, uow

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

# (page key, file, title msgid, icon, section msgid)
PAGES = [
    ("home", "pages/home.py", N_("Home"), ":material/home:", N_("Work")),
    ("inbox", "pages/inbox.py", N_("Inbox"), ":material/inbox:", N_("Work")),
    ("plan", "pages/plan.py", N_("My plan"), ":material/checklist:", N_("Work")),
    ("clients", "pages/clients.py", N_("Clients"), ":material/groups:", N_("Clients")),
    ("segments", "pages/segments.py", N_("Segments"), ":material/filter_alt:", N_("Clients")),
    ("crm_settings", "pages/crm_settings.py", N_("CRM settings"), ":material/tune:", N_("Clients")),
    ("employees", "pages/employees.py", N_("Employees"), ":material/badge:", N_("Catalogs")),
    ("vehicles", "pages/vehicles.py", N_("Vehicles"), ":material/local_shipping:", N_("Fleet")),
    ("trailers", "pages/trailers.py", N_("Trailers"), ":material/rv_hookup:", N_("Fleet")),
    ("drivers", "pages/drivers.py", N_("Drivers"), ":material/id_card:", N_("Fleet")),
    ("documents_due", "pages/documents_due.py", N_("Documents due"), ":material/event_busy:", N_("Fleet")),
    ("dispatch_check", "pages/dispatch_check.py", N_("Dispatch check"), ":material/fact_check:", N_("Fleet")),
    ("fleet_settings", "pages/fleet_settings.py", N_("Fleet catalogs"), ":material/tune:", N_("Fleet")),
    ("items", "pages/items.py", N_("Items"), ":material/inventory_2:", N_("Warehouse")),
    ("invoices", "pages/invoices.py", N_("Invoices"), ":material/receipt_long:", N_("Warehouse")),
    ("stock", "pages/stock.py", N_("Stock"), ":material/warehouse:", N_("Warehouse")),
    ("activity", "pages/activity.py", N_("Activity log"), ":material/history:", N_("Administration")),
    ("users", "pages/users.py", N_("Users"), ":material/manage_accounts:", N_("Administration")),
    ("outbox", "pages/outbox.py", N_("E-mail outbox"), ":material/outgoing_mail:", N_("Administration")),
    ("settings", "pages/settings.py", N_("Settings"), ":material/settings:", N_("Administration")),
    ("account", "pages/account.py", N_("My account"), ":material/person:", N_("Administration")),
]

unread = unread_count(uow(), actor)
sections: dict[str, list[st.Page]] = {}
start_page = "plan" if actor.role == SALES else "home"  # a manager's day starts from the plan (P1)
for key, path, title, icon, section in PAGES:
    if not can_open(actor.role, key):
        continue
    label = t(title)
    if key == "inbox" and unread:
        label = f"{label} ({unread})"
    sections.setdefault(t(section), []).append(
        st.Page(path, title=label, icon=icon, url_path=key, default=(key == start_page))
    )

with st.sidebar:
    st.markdown(f"**{actor.username}** · {t(ROLE_LABELS[actor.role])}")
    if unread:
        st.markdown(f":red-badge[{t('{n} unread', n=unread)}]")
    st.caption(LANGUAGES[actor.lang])
    if st.button(t("Log out"), key="shell_logout", icon=":material/logout:"):
        logout()

st.navigation(sections, expanded=True).run()
# server time of this run: slow runs are logged
_elapsed_ms = (time.perf_counter() - _started) * 1000
if _elapsed_ms > 1000:
    log.warning("slow run: %.0f ms for %s", _elapsed_ms, actor.username)
