"""Roles and what each may open. Used to build the navigation and to check every request."""

from __future__ import annotations

from common.i18n import N_

ADMIN = "administrator"
DIRECTOR = "director"
SALES = "sales_manager"
DISPATCHER = "dispatcher"
KEEPER = "warehouse_keeper"
ACCOUNTANT = "accountant"

ROLES: tuple[str, ...] = (ADMIN, DIRECTOR, SALES, DISPATCHER, KEEPER, ACCOUNTANT)
ROLE_LABELS: dict[str, str] = {
    ADMIN: N_("Administrator"),
    DIRECTOR: N_("Director"),
    SALES: N_("Sales manager"),
    DISPATCHER: N_("Dispatcher"),
    KEEPER: N_("Warehouse keeper"),
    ACCOUNTANT: N_("Accountant"),
}

EVERYONE = frozenset(ROLES)

# Page key -> roles that may open it. The navigation shows a page only to these roles,
# and the page and its services check again.
PAGE_ACCESS: dict[str, frozenset[str]] = {
    "home": EVERYONE,
    "inbox": EVERYONE,
    "account": EVERYONE,
    "employees": frozenset({ADMIN, DIRECTOR, ACCOUNTANT, DISPATCHER}),
    "staff_catalogs": frozenset({ADMIN, DIRECTOR, ACCOUNTANT}),  # positions and departments
    "users": frozenset({ADMIN}),
    "activity": frozenset({ADMIN, DIRECTOR}),
    "outbox": frozenset({ADMIN}),
    "settings": frozenset({ADMIN}),
    "vehicles": frozenset({ADMIN, DIRECTOR, DISPATCHER, ACCOUNTANT}),
    "trailers": frozenset({ADMIN, DIRECTOR, DISPATCHER, ACCOUNTANT}),
    "drivers": frozenset({ADMIN, DIRECTOR, DISPATCHER, ACCOUNTANT}),
    "documents_due": frozenset({ADMIN, DIRECTOR, DISPATCHER}),
    "dispatch_check": frozenset({ADMIN, DIRECTOR, DISPATCHER}),
    "fleet_settings": frozenset({ADMIN, DIRECTOR, DISPATCHER}),
    "items": frozenset({ADMIN, DIRECTOR, KEEPER, ACCOUNTANT, DISPATCHER}),
    "stock_documents": frozenset({ADMIN, DIRECTOR, KEEPER, ACCOUNTANT}),
    "stock": frozenset({ADMIN, DIRECTOR, KEEPER, ACCOUNTANT, DISPATCHER}),
    "plan": frozenset({ADMIN, DIRECTOR, SALES}),
    "clients": frozenset({ADMIN, DIRECTOR, SALES, DISPATCHER, ACCOUNTANT}),
    "segments": frozenset({ADMIN, DIRECTOR, SALES}),
    "crm_settings": frozenset({ADMIN, DIRECTOR}),
    "places": frozenset({ADMIN, DIRECTOR, SALES, DISPATCHER, ACCOUNTANT}),
    "distances": frozenset({ADMIN, DIRECTOR, SALES, DISPATCHER, ACCOUNTANT}),
}

# Capabilities checked by services (writes need more than viewing).
CAN_EDIT_EMPLOYEES = frozenset({ADMIN, DIRECTOR, ACCOUNTANT})
CAN_VIEW_EMPLOYEES = PAGE_ACCESS["employees"]
CAN_MANAGE_USERS = frozenset({ADMIN})
CAN_VIEW_ACTIVITY = PAGE_ACCESS["activity"]
CAN_MANAGE_SETTINGS = frozenset({ADMIN})
CAN_VIEW_FLEET = PAGE_ACCESS["vehicles"]
CAN_EDIT_FLEET = frozenset({ADMIN, DIRECTOR, DISPATCHER})
CAN_VIEW_STOCK = frozenset({ADMIN, DIRECTOR, KEEPER, ACCOUNTANT, DISPATCHER})
CAN_EDIT_STOCK = frozenset({ADMIN, KEEPER})
CAN_VIEW_CRM = PAGE_ACCESS["clients"]
CAN_EDIT_CRM = frozenset({ADMIN, DIRECTOR, SALES})
CAN_CONFIGURE_CRM = PAGE_ACCESS["crm_settings"]
CAN_VIEW_PLACES = PAGE_ACCESS["places"]  # the accountant reads places and distances (costs)
CAN_EDIT_PLACES = frozenset({ADMIN, DIRECTOR, SALES, DISPATCHER})
# Transport (issue 13): sales managers enter, quote and confirm orders; dispatchers plan trips
# and enter what happened; the accountant reads orders, trips and their costs; a warehouse
# keeper issues fuel to a trip (and so may see which trips are on the road).
CAN_VIEW_ORDERS = frozenset({ADMIN, DIRECTOR, SALES, DISPATCHER, ACCOUNTANT})
CAN_EDIT_ORDERS = frozenset({ADMIN, DIRECTOR, SALES})
CAN_CONFIGURE_ORDERS = frozenset({ADMIN, DIRECTOR, SALES})  # order categories, cargo types, reasons
CAN_VIEW_TRIPS = frozenset({ADMIN, DIRECTOR, SALES, DISPATCHER, ACCOUNTANT, KEEPER})
CAN_PLAN_TRIPS = frozenset({ADMIN, DIRECTOR, DISPATCHER})
CAN_VIEW_COSTS = frozenset({ADMIN, DIRECTOR, SALES, DISPATCHER, ACCOUNTANT})


# Who may see records of each kind (the `__audit_type__` of a model), and so read their
# history in the activity log. A kind not listed is for those who read the whole log.
_FLEET_AND_STAFF = CAN_VIEW_FLEET | CAN_VIEW_EMPLOYEES
RECORD_VIEWERS: dict[str, frozenset[str]] = {
    "user": CAN_MANAGE_USERS,
    "company_profile": CAN_MANAGE_SETTINGS,
    "parameter": CAN_MANAGE_SETTINGS,
    "attachment": CAN_VIEW_ACTIVITY,
    "employee": CAN_VIEW_EMPLOYEES | CAN_VIEW_FLEET,  # a driver's personal card is part of the driver
    "staff_catalog": CAN_VIEW_EMPLOYEES,
    "driver": _FLEET_AND_STAFF,
    "vehicle": CAN_VIEW_FLEET,
    "vehicle_category": CAN_VIEW_FLEET,
    "document": CAN_VIEW_FLEET,
    "document_type": CAN_VIEW_FLEET,
    "coupling": CAN_VIEW_FLEET,
    "maintenance_plan": CAN_VIEW_FLEET,
    "repair": CAN_VIEW_FLEET,
    "repair_part": CAN_VIEW_FLEET | CAN_VIEW_STOCK,
    "item": CAN_VIEW_STOCK,
    "item_category": CAN_VIEW_STOCK,
    "warehouse": CAN_VIEW_STOCK,
    "stock_document": CAN_VIEW_STOCK,
    "stock_document_line": CAN_VIEW_STOCK,
    "client": CAN_VIEW_CRM,
    "client_contact": CAN_VIEW_CRM,
    "client_category": CAN_VIEW_CRM,
    "client_agreement": CAN_VIEW_CRM,
    "interaction": CAN_VIEW_CRM,
    "follow_up": CAN_VIEW_CRM,
    "follow_up_rule": CAN_CONFIGURE_CRM,
    "segment": CAN_VIEW_CRM,
    "place": CAN_VIEW_PLACES,
    "distance": CAN_VIEW_PLACES,
    "order_catalog": CAN_VIEW_ORDERS,
    "transport_order": CAN_VIEW_ORDERS,
    "order_stop": CAN_VIEW_ORDERS,
    "trip": CAN_VIEW_TRIPS,
    "trip_stop": CAN_VIEW_TRIPS,
    "trip_expense": CAN_VIEW_TRIPS - {KEEPER},
}


def may_view_records(role: str, entity_type: str) -> bool:
    return role == ADMIN or role in RECORD_VIEWERS.get(entity_type, CAN_VIEW_ACTIVITY)


def can_open(role: str, page_key: str) -> bool:
    return role in PAGE_ACCESS.get(page_key, frozenset())
