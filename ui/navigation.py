"""Every screen of Twara, in one list: the shell builds the navigation from it (Streamlit
does not discover `pages/` under `st.navigation`), and the page tests open each from it."""

from __future__ import annotations

from dataclasses import dataclass

from common.i18n import N_


@dataclass(frozen=True)
class PageEntry:
    key: str  # also the URL path and the key of common.roles.PAGE_ACCESS
    path: str  # the script, relative to the project root
    title: str  # English msgid
    icon: str
    section: str  # English msgid


PAGES: tuple[PageEntry, ...] = (
    PageEntry("home", "pages/work/home.py", N_("Home"), ":material/home:", N_("Work")),
    PageEntry("inbox", "pages/work/inbox.py", N_("Inbox"), ":material/inbox:", N_("Work")),
    PageEntry("plan", "pages/crm/plan.py", N_("My plan"), ":material/checklist:", N_("Work")),
    PageEntry("clients", "pages/crm/clients.py", N_("Clients"), ":material/groups:", N_("Clients")),
    PageEntry("segments", "pages/crm/segments.py", N_("Segments"), ":material/filter_alt:", N_("Clients")),
    PageEntry("crm_settings", "pages/crm/crm_settings.py", N_("CRM settings"), ":material/tune:", N_("Clients")),
    PageEntry("employees", "pages/staff/employees.py", N_("Employees"), ":material/badge:", N_("Catalogs")),
    PageEntry(
        "staff_catalogs", "pages/staff/staff_catalogs.py", N_("Staff catalogs"), ":material/tune:", N_("Catalogs")
    ),
    PageEntry("vehicles", "pages/fleet/vehicles.py", N_("Vehicles"), ":material/local_shipping:", N_("Fleet")),
    PageEntry("trailers", "pages/fleet/trailers.py", N_("Trailers"), ":material/rv_hookup:", N_("Fleet")),
    PageEntry("drivers", "pages/fleet/drivers.py", N_("Drivers"), ":material/id_card:", N_("Fleet")),
    PageEntry(
        "documents_due", "pages/fleet/documents_due.py", N_("Documents due"), ":material/event_busy:", N_("Fleet")
    ),
    PageEntry(
        "dispatch_check", "pages/fleet/dispatch_check.py", N_("Dispatch check"), ":material/fact_check:", N_("Fleet")
    ),
    PageEntry("fleet_settings", "pages/fleet/fleet_settings.py", N_("Fleet catalogs"), ":material/tune:", N_("Fleet")),
    PageEntry("places", "pages/transport/places.py", N_("Places"), ":material/location_on:", N_("Transport")),
    PageEntry("distances", "pages/transport/distances.py", N_("Distances"), ":material/route:", N_("Transport")),
    PageEntry("items", "pages/stock/items.py", N_("Items"), ":material/inventory_2:", N_("Warehouse")),
    PageEntry(
        "stock_documents", "pages/stock/documents.py", N_("Invoices"), ":material/receipt_long:", N_("Warehouse")
    ),
    PageEntry("stock", "pages/stock/stock.py", N_("Stock"), ":material/warehouse:", N_("Warehouse")),
    PageEntry("activity", "pages/admin/activity.py", N_("Activity log"), ":material/history:", N_("Administration")),
    PageEntry("users", "pages/admin/users.py", N_("Users"), ":material/manage_accounts:", N_("Administration")),
    PageEntry("outbox", "pages/admin/outbox.py", N_("E-mail outbox"), ":material/outgoing_mail:", N_("Administration")),
    PageEntry("settings", "pages/admin/settings.py", N_("Settings"), ":material/settings:", N_("Administration")),
    PageEntry("account", "pages/admin/account.py", N_("My account"), ":material/person:", N_("Administration")),
)
PAGE_PATHS: dict[str, str] = {p.key: p.path for p in PAGES}
