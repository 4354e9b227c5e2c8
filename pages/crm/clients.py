"""Clients (SPEC C1-C3, C8): the client base on the catalog screen, and each client's file:
details, contacts, timeline with logging of calls and appointments, contracts, consent,
statistics and duplicates. The tabs are in ui/crm/."""

from __future__ import annotations

from functools import partial

import streamlit as st

from common.i18n import N_
from core.services import crm
from ui.auth import require_page
from ui.catalog import Catalog, Column, Filter, render_catalog
from ui.context import t, uow
from ui.crm.agreements import agreements_tab
from ui.crm.consent import consent_tab
from ui.crm.contacts import contacts_tab
from ui.crm.details import add_client, details_tab
from ui.crm.duplicates import duplicates_tab
from ui.crm.imports import import_popover
from ui.crm.screen import ClientScreen
from ui.crm.statistics import statistics_tab
from ui.crm.timeline import timeline_tab
from ui.labels import label, labels, options

actor = require_page("clients")
P = "clients"
screen = ClientScreen(actor, P)

st.title(t("Clients"))
import_popover(screen)
managers = crm.manager_choices(uow(), actor)
categories = crm.list_categories(uow(), actor)
render_catalog(
    Catalog(
        key=P,
        entity_type="client",
        title_of=lambda r: f"{r['name']} · {r['code']}",
        columns=[
            Column("code", N_("Code"), width=100),
            Column("name", N_("Name"), width=240),
            Column("category", N_("Category"), "name", width=130),
            Column("region", N_("Region"), width=110),
            Column("phone", N_("Phone"), width=150),
            Column("manager", N_("Manager"), width=150),
            Column("status", N_("Status"), width=100, labels=labels("client_status")),
            Column("last_contact", N_("Last contact"), "datetime"),
        ],
        list_page=lambda q: crm.list_clients(uow(), actor, q),
        export_rows=lambda q: crm.export_clients(uow(), actor, q),
        default_sort="name",
        sort_keys=["name", "code", "last_contact", "region"],
        filters=[
            Filter("status", N_("Status"), options("client_status")),
            Filter("category", N_("Category"), [(str(c["id"]), label("name", c["name"])) for c in categories]),
            Filter("manager", N_("Manager"), [(str(i), n) for i, n in managers]),
        ],
        render_details=partial(details_tab, screen),
        render_add=partial(add_client, screen),
        extra_tabs=[
            (N_("Contacts"), partial(contacts_tab, screen)),
            (N_("Timeline"), partial(timeline_tab, screen)),
            (N_("Contracts"), partial(agreements_tab, screen)),
            (N_("Consent"), partial(consent_tab, screen)),
            (N_("Statistics"), partial(statistics_tab, screen)),
            (N_("Duplicates"), partial(duplicates_tab, screen)),
        ],
        can_edit=screen.can_edit,
        history_types=("client", "client_contact"),
        add_label=N_("Add client"),
        search_placeholder=N_("Name, code, tax id, phone, e-mail..."),
    )
)
