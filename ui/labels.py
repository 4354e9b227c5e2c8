"""Every coded value on screen, in the reader's language: one function, `label(kind, code)`.

A code is what the database keeps (`sales_manager`, `in_repair`, `receipt`, `stock_document`);
a screen never shows one. The registry below says, for each kind of code, which English
msgid each code is shown as; the maps stay where their codes are defined (roles in
`common.roles`, record types, fields and log actions in `common.records`, the fleet's in
`core.fleet`) and the rest are here. A code the registry does not know is shown as it is and
logged, and the page crawl test (tests/app/test_no_raw_codes.py) fails on it.

Two kinds are open: `author` (a user name is shown as it is; the system's own work is
"Twara (automatic)") and `name` (a name from the database: one we seeded, such as a vehicle
category or a document type, is our msgid and comes translated; one a user typed is shown
as typed). Languages are shown by their own names, in every language.

Plain text, for grid cells, options and PDFs; in markdown, pass it through `esc()`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from common.i18n import LANGUAGES, N_
from common.records import ACTION_LABELS, FIELD_LABELS, FIELD_LABELS_BY_RECORD, RECORD_LABELS
from common.roles import ROLE_LABELS
from core.fleet import FUEL_LABELS, MEDICAL_LABELS, QUALIFICATIONS, STATUS_LABELS, UNIT_LABELS
from core.orders import CATALOG_LABELS as ORDER_CATALOGS
from core.orders import SERVICE_LABELS as ORDER_SERVICES
from core.orders import STATUS_LABELS as ORDER_STATUSES
from core.orders import STOP_KIND_LABELS as ORDER_STOP_KINDS
from core.places import KIND_LABELS as PLACE_KINDS
from core.places import SOURCE_LABELS as DISTANCE_SOURCES
from core.trips import EXPENSE_LABELS as TRIP_EXPENSES
from core.trips import STATUS_LABELS as TRIP_STATUSES
from core.trips import STOP_KIND_LABELS as TRIP_STOP_KINDS
from ui.context import t_plain

log = logging.getLogger("twara.labels")

DOCUMENT_STATES = {
    "valid": N_("Valid"),
    "expiring": N_("Expiring"),
    "expired": N_("Expired"),
    "none": N_("No documents"),
}
MAINTENANCE_STATES = {"ok": N_("Not due"), "due": N_("Due soon"), "overdue": N_("Overdue")}
FLEET_GROUPS = {"vehicle": N_("Vehicles"), "trailer": N_("Trailers"), "driver": N_("Drivers")}
FLEET_OWNERS = {"vehicle": N_("Vehicle"), "trailer": N_("Trailer"), "driver": N_("Driver")}
ODOMETER_SOURCES = {
    "manual": N_("Entered by hand"),
    "initial": N_("When the unit was added"),
    "fuel": N_("At a fuel issue"),
    "import": N_("Imported"),
}

STOCK_KINDS = {
    "receipt": N_("Receipt"),
    "issue": N_("Issue"),
    "transfer": N_("Transfer"),
    "writeoff": N_("Write-off"),
    "count": N_("Inventory count"),
}
STOCK_STATUSES = {"draft": N_("Draft"), "posted": N_("Posted"), "cancelled": N_("Cancelled")}
STOCK_UNITS = {
    "l": N_("litre"),
    "pcs": N_("piece"),
    "kg": N_("kg"),
    "set": N_("set"),
    "m": N_("metre"),
    "pair": N_("pair"),
}
STORE_KINDS = {"store": N_("Store"), "tank": N_("Fuel tank"), "workshop": N_("Workshop")}

CLIENT_STATUSES = {"prospect": N_("Prospect"), "active": N_("Active"), "dormant": N_("Dormant"), "lost": N_("Lost")}
CLIENT_KINDS = {"company": N_("Company"), "person": N_("Private person")}
# what a client's timeline holds: contacts, documents, contracts, follow-ups, consent
INTERACTION_KINDS = {
    "call": N_("Call"),
    "meeting": N_("Meeting"),
    "visit": N_("Visit"),
    "email": N_("E-mail"),
    "sms": N_("SMS"),
    "letter": N_("Letter"),
    "document": N_("Document"),
    "follow_up": N_("Follow-up done"),
    "consent": N_("Consent"),
    "contract": N_("Contract"),
    "tariff_sheet": N_("Price list"),  # a scanned price-list document: users call it a price list
}
INTERACTION_STATUSES = {"planned": N_("Planned"), "done": N_("Done"), "cancelled": N_("Cancelled")}
FOLLOW_UP_STATUSES = {"open": N_("Not done yet"), "done": N_("Done"), "cancelled": N_("Cancelled")}
FOLLOW_UP_RULES = {
    "silent": N_("No contact for N days"),
    "promise": N_("Promise due (N days ahead)"),
    "next_step": N_("Next step due (N days ahead)"),
    "contract": N_("Contract or price list ends (N days ahead)"),
    "promo": N_("Promotional contact every N days"),
    "no_offer": N_("No offer for N days"),
}
CHANNELS = {"email": N_("E-mail"), "sms": N_("SMS"), "phone": N_("Phone")}
PURPOSES = {"marketing": N_("Marketing"), "service": N_("Service")}
CONSENT_HOW = {
    "form": N_("Signed form"),
    "stop_reply": N_("Replied STOP"),
    "unsubscribe_link": N_("Unsubscribe link"),
    "phone": N_("By phone"),
    "paper": N_("Letter"),
    "import": N_("Imported"),
}

OUTBOX_STATUSES = {
    "queued": N_("Waiting to be sent"),
    "sending": N_("Being sent"),
    "sent": N_("Sent"),
    "failed": N_("Failed, will retry"),
    "unknown": N_("No answer from the provider: being checked"),
    "held": N_("Delivery unknown: check, then resend"),
    "not_sent": N_("Not sent (no provider)"),
}
PARAMETER_GROUPS = {
    "security": N_("Security"),
    "files": N_("Files"),
    "fuel": N_("Fuel"),
    "costs": N_("Costs"),
    "reminders": N_("Reminders and notices"),
    "fleet": N_("Fleet"),
    "warehouse": N_("Warehouse"),
    "crm": N_("Clients"),
    "transport": N_("Transport"),
}
PARAMETER_UNITS = {"days": N_("days"), "hours": N_("hours"), "min": N_("minutes")}
PARAMETER_KINDS = {
    "decimal": N_("Decimal number"),
    "int": N_("Whole number"),
    "text": N_("Text"),
    "bool": N_("Yes or no"),
    "int_list": N_("List of whole numbers"),
}
ATTACHMENT_KINDS = {"document": N_("Document"), "photo": N_("Photo")}
STAFF_CATALOGS = {"position": N_("Position"), "department": N_("Department")}
AUTHORS = {"system": N_("Twara (automatic)")}

REGISTRY: dict[str, Mapping[str, str]] = {
    "role": ROLE_LABELS,
    "language": LANGUAGES,  # each language by its own name, not translated
    "record": RECORD_LABELS,
    "field": FIELD_LABELS,
    "action": ACTION_LABELS,
    "author": AUTHORS,
    "unit_type": UNIT_LABELS,
    "vehicle_status": STATUS_LABELS,
    "fuel": FUEL_LABELS,
    "medical": MEDICAL_LABELS,
    "qualification": QUALIFICATIONS,
    "document_state": DOCUMENT_STATES,
    "maintenance_state": MAINTENANCE_STATES,
    "fleet_group": FLEET_GROUPS,
    "fleet_owner": FLEET_OWNERS,
    "odometer_source": ODOMETER_SOURCES,
    "stock_kind": STOCK_KINDS,
    "stock_status": STOCK_STATUSES,
    "stock_unit": STOCK_UNITS,
    "store_kind": STORE_KINDS,
    "client_status": CLIENT_STATUSES,
    "client_kind": CLIENT_KINDS,
    "interaction_kind": INTERACTION_KINDS,
    "interaction_status": INTERACTION_STATUSES,
    "follow_up_status": FOLLOW_UP_STATUSES,
    "follow_up_rule": FOLLOW_UP_RULES,
    "channel": CHANNELS,
    "purpose": PURPOSES,
    "consent_how": CONSENT_HOW,
    "outbox_status": OUTBOX_STATUSES,
    "parameter_group": PARAMETER_GROUPS,
    "parameter_unit": PARAMETER_UNITS,
    "parameter_kind": PARAMETER_KINDS,
    "attachment_kind": ATTACHMENT_KINDS,
    "staff_catalog": STAFF_CATALOGS,
    "place_kind": PLACE_KINDS,
    "distance_source": DISTANCE_SOURCES,
    "order_status": ORDER_STATUSES,
    "order_service": ORDER_SERVICES,
    "order_stop_kind": ORDER_STOP_KINDS,
    "order_catalog": ORDER_CATALOGS,
    "trip_status": TRIP_STATUSES,
    "trip_stop_kind": TRIP_STOP_KINDS,
    "trip_expense": TRIP_EXPENSES,
}
UNTRANSLATED = frozenset({"language"})
# kinds whose other values are not codes but data, shown as they are: a user name, a unit
# symbol (km, RWF), a name from the database (translated when it is one we seeded)
OPEN = frozenset({"author", "parameter_unit", "name"})

# The kind of code a field of a record holds, for the activity log's Changes (by record
# type, then for the field whatever the record).
VALUE_KINDS: dict[tuple[str, str] | str, str] = {
    "role": "role",
    "language": "language",
    "default_language": "language",
    "unit_type": "unit_type",
    "fuel_type": "fuel",
    "medical_status": "medical",
    "qualifications": "qualification",
    "entity_type": "record",
    "applies_to": "fleet_group",
    "channel": "channel",
    "purpose": "purpose",
    "how": "consent_how",
    "rule": "follow_up_rule",
    ("vehicle", "status"): "vehicle_status",
    ("vehicle_category", "kind"): "fleet_group",
    ("vehicle_category", "name"): "name",
    ("document_type", "name"): "name",
    ("item_category", "name"): "name",
    ("client_category", "name"): "name",
    ("staff_catalog", "name"): "name",
    ("staff_catalog", "kind"): "staff_catalog",
    ("parameter", "description"): "name",
    ("parameter", "group_name"): "parameter_group",
    ("parameter", "kind"): "parameter_kind",
    ("parameter", "unit"): "parameter_unit",
    ("attachment", "kind"): "attachment_kind",
    ("item", "unit"): "stock_unit",
    ("stock_document", "kind"): "stock_kind",
    ("stock_document", "status"): "stock_status",
    ("warehouse", "kind"): "store_kind",
    ("client", "kind"): "client_kind",
    ("client", "status"): "client_status",
    ("interaction", "kind"): "interaction_kind",
    ("interaction", "status"): "interaction_status",
    ("client_agreement", "kind"): "interaction_kind",
    ("follow_up", "status"): "follow_up_status",
    ("follow_up_rule", "kind"): "follow_up_rule",
    ("email_outbox", "status"): "outbox_status",
    ("place", "kind"): "place_kind",
    ("distance", "source"): "distance_source",
    ("order_catalog", "kind"): "order_catalog",
    ("order_catalog", "name"): "name",
    ("transport_order", "status"): "order_status",
    ("transport_order", "service"): "order_service",
    ("transport_order", "distance_source"): "distance_source",
    ("order_stop", "kind"): "order_stop_kind",
    ("trip", "status"): "trip_status",
    ("trip_stop", "kind"): "trip_stop_kind",
    ("trip_stop", "leg_source"): "distance_source",
    ("trip_expense", "kind"): "trip_expense",
}


def label(kind: str, code: str | None) -> str:
    """`code` of `kind` as the reader calls it (plain text); empty for no code."""
    if code is None or code == "":
        return ""
    if kind == "name":
        return t_plain(str(code))
    known = REGISTRY[kind]
    message = known.get(code)
    if message is None:
        if kind not in OPEN:
            log.warning("no label for %s %r", kind, code)
        return str(code)
    return message if kind in UNTRANSLATED else t_plain(message)


def labeller(kind: str) -> Callable[[str | None], str]:
    """`label` of one kind, for a selectbox's `format_func`."""
    return lambda code: label(kind, code)


def labels(kind: str) -> Mapping[str, str]:
    """The codes of `kind` and their msgids (a catalog Column's `labels`)."""
    return REGISTRY[kind]


def options(kind: str, codes: tuple[str, ...] | list[str] | None = None) -> list[tuple[str, str]]:
    """(code, label) pairs of `kind` (or of the given codes), for a catalog filter."""
    return [(code, label(kind, code)) for code in (REGISTRY[kind] if codes is None else codes)]


def field_label(record_type: str, field: str) -> str:
    """What a field of a record is called (its form's label)."""
    message = FIELD_LABELS_BY_RECORD.get(record_type, {}).get(field) or FIELD_LABELS.get(field)
    if message is None:
        log.warning("no label for field %s.%s", record_type, field)
        return field
    return t_plain(message)


def value_kind(record_type: str, field: str) -> str | None:
    """The kind of code a field holds (for `label`), or None for data."""
    return VALUE_KINDS.get((record_type, field)) or VALUE_KINDS.get(field)


def path_label(path: str) -> str:
    """A category's path ("Parts / Tyres"), each name as `label("name", ...)` shows it."""
    return " / ".join(label("name", part) for part in path.split(" / ")) if path else ""
