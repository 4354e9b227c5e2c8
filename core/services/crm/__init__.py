"""CRM use cases (SPEC C1-C5, C8, P1, P2, P4), one module per job:

clients       the client base, one client's card, the list and the form choices
categories    client categories and the follow-up rules the company configures
contacts      a client's contact people
interactions  calls, meetings and visits logged, appointments planned, promises kept
timeline      one client's history from every source, and the client's statistics
follow_ups    the daily scan that puts due follow-ups on the plans, once per cause
agreements    contracts and tariff sheets with their validity and signed scan
plan          the daily plan and its actions, and plan versus done
results       result control: reminders for appointments without a result
consent       the consent register, `may_send` and the same rule in SQL
segments      groups of clients built from rules
duplicates    likely duplicates of a client (the card, a new client's save, the import)
imports       import from CSV or Excel, and the merge of a duplicate

Code outside this package uses it through the names below (`from core.services import crm`).
"""

from core.services.crm.agreements import AgreementInput, add_agreement, list_agreements
from core.services.crm.base import SCAN_RULES
from core.services.crm.categories import create_category, list_categories, list_rules, save_rule
from core.services.crm.clients import (
    ClientInput,
    client_choices,
    create_client,
    export_clients,
    get_client,
    list_clients,
    manager_choices,
    set_client_archived,
    update_client,
    validate_client,
)
from core.services.crm.consent import (
    client_reachable,
    consent_allows,
    consent_history,
    consent_status,
    may_send,
    record_consent,
)
from core.services.crm.contacts import ContactInput, add_contact, list_contacts
from core.services.crm.duplicates import LikelyDuplicates, find_duplicates
from core.services.crm.follow_ups import follow_up_scan
from core.services.crm.imports import CLIENT_FIELDS, import_clients, merge_clients
from core.services.crm.interactions import InteractionInput, enter_result, keep_promise, log_interaction
from core.services.crm.plan import (
    complete_follow_up,
    daily_plan,
    hand_over_follow_up,
    plan_vs_done,
    reschedule_follow_up,
)
from core.services.crm.results import appointment_reminders
from core.services.crm.segments import (
    SegmentRules,
    list_segments,
    save_segment,
    segment_count,
    segment_members,
    segment_preview,
)
from core.services.crm.timeline import TIMELINE_SOURCES, client_statistics, timeline, timeline_source

__all__ = [
    "CLIENT_FIELDS",
    "SCAN_RULES",
    "TIMELINE_SOURCES",
    "AgreementInput",
    "ClientInput",
    "ContactInput",
    "InteractionInput",
    "LikelyDuplicates",
    "SegmentRules",
    "add_agreement",
    "add_contact",
    "appointment_reminders",
    "client_choices",
    "client_reachable",
    "client_statistics",
    "complete_follow_up",
    "consent_allows",
    "consent_history",
    "consent_status",
    "create_category",
    "create_client",
    "daily_plan",
    "enter_result",
    "export_clients",
    "find_duplicates",
    "follow_up_scan",
    "get_client",
    "hand_over_follow_up",
    "import_clients",
    "keep_promise",
    "list_agreements",
    "list_categories",
    "list_clients",
    "list_contacts",
    "list_rules",
    "list_segments",
    "log_interaction",
    "manager_choices",
    "may_send",
    "merge_clients",
    "plan_vs_done",
    "record_consent",
    "reschedule_follow_up",
    "save_rule",
    "save_segment",
    "segment_count",
    "segment_members",
    "segment_preview",
    "set_client_archived",
    "timeline",
    "timeline_source",
    "update_client",
    "validate_client",
]
