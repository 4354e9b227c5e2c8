"""Fleet catalogs the company edits: document types (and which dispatch needs) and categories."""

from __future__ import annotations

import streamlit as st

from common.i18n import N_
from common.roles import CAN_EDIT_FLEET
from core.services import fleet
from ui.auth import require_page
from ui.context import t, t_name, uow
from ui.formatting import esc
from ui.forms import FieldSlots, run_action
from ui.labels import label, labeller, labels

actor = require_page("fleet_settings")
can_edit = actor.role in CAN_EDIT_FLEET
st.title(t("Fleet catalogs"))
tab_docs, tab_cats = st.tabs([t("Document types"), t("Vehicle categories")])

with tab_docs:
    types = fleet.list_document_types(uow(), actor, include_archived=True)
    for applies in labels("fleet_group"):
        st.subheader(esc(label("fleet_group", applies)))
        for d in [x for x in types if x["applies_to"] == applies]:
            cols = st.columns([4, 3, 2])
            shown = t_name(d["name"]) + (f" ({t('archived')})" if d["archived"] else "")
            cols[0].markdown(f"**{shown}**")
            # the version is in the key: a type saved meanwhile is a new toggle showing its value,
            # so a click always answers the version it was shown with
            required = cols[1].toggle(
                t("Required for dispatch"),
                d["required"],
                key=f"fleetset_req_{d['id']}_v{d['version']}",
                disabled=not can_edit or d["archived"],
            )
            if required != d["required"]:
                ok, _ = run_action(
                    lambda d=d, r=required: fleet.save_document_type(
                        uow(), actor, d["name"], d["applies_to"], r, d["id"], expected_version=d["version"]
                    ),
                    success=N_("Saved."),
                )
                if ok:
                    st.rerun()
            if can_edit and cols[2].button(
                t("Restore") if d["archived"] else t("Archive"), key=f"fleetset_arch_{d['id']}"
            ):
                ok, _ = run_action(
                    lambda d=d: fleet.set_document_type_archived(uow(), actor, d["id"], not d["archived"])
                )
                if ok:
                    st.rerun()
    if can_edit:
        slots = FieldSlots()
        with st.form("fleetset_doc_add", clear_on_submit=True):
            c = st.columns([3, 2, 2])
            name = c[0].text_input(t("New document type"))
            with c[0]:
                slots.slot("name")
            applies_to = c[1].selectbox(t("For"), list(labels("fleet_group")), format_func=labeller("fleet_group"))
            required = c[2].checkbox(t("Required for dispatch"))
            submitted = st.form_submit_button(t("Add"))
        if submitted:
            ok, _ = run_action(
                lambda: fleet.save_document_type(uow(), actor, name, applies_to, required),
                slots,
                success=N_("Saved."),
            )
            if ok:
                st.rerun()

with tab_cats:
    for kind in ("vehicle", "trailer"):
        st.subheader(esc(label("fleet_group", kind)))
        for c in fleet.list_categories(uow(), actor, kind, include_archived=True):
            cols = st.columns([6, 2])
            cols[0].markdown(t_name(c["name"]) + (f" ({t('archived')})" if c["archived"] else ""))
            if can_edit and cols[1].button(
                t("Restore") if c["archived"] else t("Archive"), key=f"fleetset_cat_{c['id']}"
            ):
                ok, _ = run_action(lambda c=c: fleet.set_category_archived(uow(), actor, c["id"], not c["archived"]))
                if ok:
                    st.rerun()
        if can_edit:
            slots = FieldSlots()
            with st.form(f"fleetset_cat_add_{kind}", clear_on_submit=True):
                name = st.text_input(t("New category"))
                slots.slot("name")
                submitted = st.form_submit_button(t("Add"))
            if submitted:
                ok, _ = run_action(
                    lambda k=kind, n=name: fleet.save_category(uow(), actor, k, n), slots, success=N_("Saved.")
                )
                if ok:
                    st.rerun()
