"""Drivers: employees with a driver card — licence, categories, qualifications, medical
status, documents and trips (SPEC F5, F6)."""

from __future__ import annotations

from functools import partial

import streamlit as st

from common.i18n import N_
from common.roles import CAN_EDIT_FLEET
from core.fleet import LICENCE_CATEGORIES
from ui.auth import require_page
from ui.catalog import Catalog, Column, Filter, render_catalog
from ui.context import t
from ui.fleet.documents import documents_tab
from ui.fleet.drivers import P, export_rows, list_page, render_add, render_details
from ui.fleet.imports import import_box
from ui.fleet.trips import trips_tab
from ui.labels import options

actor = require_page("drivers")
st.title(t("Drivers"))
import_box(actor, "driver", P)
render_catalog(
    Catalog(
        key=P,
        entity_type="employee",
        title_of=lambda r: f"{r['full_name']} ({r['code']})",
        columns=[
            Column("code", N_("Code"), width=110),
            Column("full_name", N_("Full name"), width=200),
            Column("phone", N_("Phone")),
            Column("licence_number", N_("Licence number")),
            Column("licence_categories", N_("Categories")),
            Column("licence_valid_to", N_("Licence valid to"), "status", width=200),
            Column("medical_status", N_("Medical status")),
        ],
        list_page=partial(list_page, actor),
        export_rows=partial(export_rows, actor),
        default_sort="full_name",
        sort_keys=["full_name", "licence_valid_to", "code"],
        filters=[
            Filter("category", N_("Category"), [(c, c) for c in LICENCE_CATEGORIES]),
            Filter("qualification", N_("Qualification"), options("qualification")),
        ],
        render_details=partial(render_details, actor),
        render_add=partial(render_add, actor),
        extra_tabs=[
            (N_("Documents"), lambda eid: documents_tab(actor, P, employee_id=eid, applies_to="driver")),
            (N_("Trips"), lambda eid: trips_tab()),
        ],
        can_edit=actor.role in CAN_EDIT_FLEET,
        history_types=("employee", "driver"),
        add_label=N_("Add driver"),
        search_placeholder=N_("Name, code, licence number..."),
    )
)
