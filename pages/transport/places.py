"""Places (SPEC T2): towns, depots, client sites, border posts and ports with their
coordinates; each place's distances to the others and where they come from."""

from __future__ import annotations

from functools import partial

import streamlit as st

from common.i18n import N_
from common.roles import CAN_EDIT_PLACES
from core.places import COUNTRY_LABELS
from ui.auth import require_page
from ui.catalog import Catalog, Column, Filter, render_catalog
from ui.context import t
from ui.labels import labels, options
from ui.transport.distances import import_box
from ui.transport.places import P, export_rows, list_page, place_add, place_details, place_distances

actor = require_page("places")
st.title(t("Places"))
import_box(actor, "places", P)
render_catalog(
    Catalog(
        key=P,
        entity_type="place",
        title_of=lambda r: f"{r['name']} ({r['country']})",
        columns=[
            Column("name", N_("Name"), width=220),
            Column("kind", N_("Kind"), labels=labels("place_kind")),
            Column("country", N_("Country"), width=80),
            Column("region", N_("Region")),
            Column("latitude", N_("Latitude")),
            Column("longitude", N_("Longitude")),
            Column("client", N_("Client")),
        ],
        list_page=partial(list_page, actor),
        export_rows=partial(export_rows, actor),
        default_sort="name",
        sort_keys=["name", "kind", "country", "region"],
        filters=[
            Filter("kind", N_("Kind"), options("place_kind")),
            Filter("country", N_("Country"), [(c, f"{c} · {t(v)}") for c, v in COUNTRY_LABELS.items()]),
        ],
        render_details=partial(place_details, actor),
        render_add=partial(place_add, actor),
        extra_tabs=[(N_("Distances"), partial(place_distances, actor))],
        can_edit=actor.role in CAN_EDIT_PLACES,
        attachments=False,
        add_label=N_("Add place"),
        search_placeholder=N_("Name, region or country code..."),
    )
)
