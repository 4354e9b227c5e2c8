"""The contracts tab: a client's contracts and tariff sheets ("Price list" on screen) with
their validity, and the form that adds one with its signed scan."""

from __future__ import annotations

import streamlit as st

from common.i18n import N_
from core.services import crm
from core.services.crm import AgreementInput
from db.models.crm import AGREEMENT_KINDS
from ui.context import t, uow
from ui.crm.screen import ClientScreen
from ui.forms import FieldSlots, run_action
from ui.grid import Column, table
from ui.labels import labeller, labels


def agreements_tab(screen: ClientScreen, client_id: int) -> None:
    rows = crm.list_agreements(uow(), screen.actor, client_id)
    if rows:
        table(
            [{**r, "valid_to_state": r["state"], "scan": r["attachment_id"] is not None or None} for r in rows],
            [
                Column("kind", N_("Kind"), labels=labels("interaction_kind")),
                Column("number", N_("Number")),
                Column("valid_from", N_("Valid from")),
                Column("valid_to", N_("Valid to"), kind="status"),
                Column("scan", N_("Scan"), kind="bool"),
                Column("note", N_("Note"), wide=True),
            ],
            key=f"{screen.key}_agreements_{client_id}",
        )
    else:
        st.caption(t("No contracts or price lists yet."))
    if not screen.can_edit:
        return
    slots = FieldSlots()
    with st.form(f"{screen.key}_agreement_form_{client_id}", clear_on_submit=True):
        st.markdown(t("Add a contract or price list"))
        c = st.columns(4)
        kind = c[0].selectbox(t("Kind"), AGREEMENT_KINDS, format_func=labeller("interaction_kind"))
        number = c[1].text_input(t("Number") + " *")
        with c[1]:
            slots.slot("agreement_number")
        valid_from = c[2].date_input(t("Valid from") + " *", value=None, format="DD/MM/YYYY")
        with c[2]:
            slots.slot("valid_from")
        valid_to = c[3].date_input(t("Valid to") + " *", value=None, format="DD/MM/YYYY")
        with c[3]:
            slots.slot("valid_to")
        upload = st.file_uploader(t("Signed scan (PDF or picture)"), type=["pdf", "jpg", "jpeg", "png"])
        slots.slot("file")
        note = st.text_input(t("Note"))
        submitted = st.form_submit_button(t("Add"))
    if submitted:
        file = (upload.name, upload.getvalue()) if upload is not None else None
        data = AgreementInput(kind, number, valid_from, valid_to, note)
        ok, _ = run_action(
            lambda: crm.add_agreement(uow(), screen.actor, client_id, data, file), slots, success=N_("Saved.")
        )
        if ok:
            st.rerun()
