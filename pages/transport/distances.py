"""Distances (SPEC T2): the company's own table of road km and typical hours, edited here
or imported, the routing server's cached answers beside it, and the distance between any
two places with where it comes from: the table, the routing server or an estimate."""

from __future__ import annotations

from functools import partial

import streamlit as st

from common.i18n import N_
from common.roles import CAN_EDIT_PLACES
from core.services import transport
from ui.auth import require_page
from ui.catalog import Catalog, Column, render_catalog
from ui.context import t, t_n, uow
from ui.forms import run_action
from ui.labels import labels
from ui.transport.distances import (
    P,
    distance_add,
    distance_details,
    export_rows,
    import_box,
    list_page,
    lookup,
    routing_caption,
)

actor = require_page("distances")
can_edit = actor.role in CAN_EDIT_PLACES
st.title(t("Distances"))
with st.expander(t("Distance between two places"), icon=":material/straighten:"):
    lookup(actor, f"{P}_lookup", transport.place_choices(uow(), actor))
routing_caption()
head = st.columns([1, 2, 3])
with head[0]:
    import_box(actor, "distances", P)
if can_edit and head[1].button(t("Forget the routing answers"), key=f"{P}_forget", icon=":material/refresh:"):
    ok, dropped = run_action(lambda: transport.forget_routing(uow(), actor))
    if ok:
        st.toast(
            t_n(
                "{n} routing answer forgotten; it is asked again when needed.",
                "{n} routing answers forgotten; they are asked again when needed.",
                dropped or 0,
            )
        )
render_catalog(
    Catalog(
        key=P,
        entity_type="distance",
        title_of=lambda r: r["route"],
        columns=[
            Column("from_name", N_("From"), width=200),
            Column("to_name", N_("To"), width=200),
            Column("km", N_("Road km"), "number"),
            Column("hours", N_("Typical hours"), "number"),
            Column("source", N_("Source"), labels=labels("distance_source")),
            Column("changed_at", N_("Changed"), "datetime"),
        ],
        list_page=partial(list_page, actor),
        export_rows=partial(export_rows, actor),
        default_sort="from_name",
        sort_keys=["from_name", "to_name", "km", "changed_at"],
        render_details=partial(distance_details, actor),
        render_add=partial(distance_add, actor),
        can_edit=can_edit,
        attachments=False,
        archived_label=N_("Show routing cache"),
        add_label=N_("Add distance"),
        search_placeholder=N_("A place's name..."),
    )
)
