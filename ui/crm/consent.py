"""The consent tab: may we send, per person, channel and purpose, and why; the form that
records a consent or an opt-out; the register."""

from __future__ import annotations

import streamlit as st

from common.i18n import N_
from core.services import crm
from db.models.crm import CHANNELS, CONSENT_HOW, PURPOSES
from ui.context import t, t_plain, uow
from ui.crm.screen import ClientScreen
from ui.forms import FieldSlots, run_action
from ui.grid import Column, table
from ui.labels import label, labeller, labels


def consent_tab(screen: ClientScreen, client_id: int) -> None:
    rows = crm.consent_status(uow(), screen.actor, client_id)
    table(
        [
            {**r, "who": t_plain(r["who"]) if r["contact_id"] is None else r["who"], "why": t_plain(r["why"])}
            for r in rows
        ],
        [
            Column("who", N_("Who")),
            Column("channel", N_("Channel"), labels=labels("channel")),
            Column("purpose", N_("Purpose"), labels=labels("purpose")),
            Column("allowed", N_("May we send?"), kind="bool"),
            Column("why", N_("Why"), wide=True),
        ],
        key=f"{screen.key}_consent_{client_id}",
    )
    if screen.can_edit:
        contacts = {r["id"]: r["name"] for r in crm.list_contacts(uow(), screen.actor, client_id)}
        slots = FieldSlots()
        with st.form(f"{screen.key}_consent_form_{client_id}"):
            st.markdown(t("Record a consent or an opt-out"))
            c = st.columns(5)
            ids = [None, *contacts]
            contact_id = c[0].selectbox(
                t("Who"), ids, format_func=lambda i: t("The client") if i is None else contacts[i]
            )
            channel = c[1].selectbox(t("Channel"), CHANNELS, format_func=labeller("channel"))
            purpose = c[2].selectbox(t("Purpose"), PURPOSES, format_func=labeller("purpose"))
            choice = c[3].radio(
                t("Decision"), ["out", "in"], format_func=lambda x: t("Opted out") if x == "out" else t("Opted in")
            )
            how = c[4].selectbox(t("How"), CONSENT_HOW, format_func=labeller("consent_how"))
            note = st.text_input(t("Note"))
            submitted = st.form_submit_button(t("Record"))
        if submitted:
            ok, _ = run_action(
                lambda: crm.record_consent(
                    uow(), screen.actor, client_id, channel, purpose, choice == "in", how, contact_id, note
                ),
                slots,
                success=N_("Recorded."),
            )
            if ok:
                st.rerun()
    history = crm.consent_history(uow(), screen.actor, client_id)
    if history:
        st.markdown(t("Register"))
        table(
            [{**h, "contact": h["contact"] or t_plain("The client"), "by": label("author", h["by"])} for h in history],
            [
                Column("at", N_("When")),
                Column("contact", N_("Who")),
                Column("channel", N_("Channel"), labels=labels("channel")),
                Column("purpose", N_("Purpose"), labels=labels("purpose")),
                Column("opted_in", N_("Decision"), labels={True: N_("Opted in"), False: N_("Opted out")}),
                Column("how", N_("How"), labels=labels("consent_how")),
                Column("by", N_("Recorded by")),
            ],
            key=f"{screen.key}_consent_log_{client_id}",
        )
