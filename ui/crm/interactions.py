"""Logging a call, meeting or visit with its result, promise and next step, or planning an
appointment whose result comes later."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import streamlit as st

from common.i18n import N_
from core.services import crm
from core.services.crm import InteractionInput
from db.models.crm import INTERACTION_KINDS
from ui.context import company_locale, t, uow
from ui.crm.screen import ClientScreen
from ui.forms import FieldSlots, run_action
from ui.labels import labeller


def when_input(key: str, planned: bool) -> dt.datetime:
    """A date and a time in the company's time zone, returned timezone-aware."""
    zone = ZoneInfo(company_locale()[1])
    now = dt.datetime.now(zone)
    default = (now + dt.timedelta(days=1)).replace(hour=9, minute=0) if planned else now
    c = st.columns(2)
    day = c[0].date_input(t("Date"), default.date(), key=f"{key}_d", format="DD/MM/YYYY")
    time = c[1].time_input(t("Time"), default.time().replace(second=0, microsecond=0), key=f"{key}_t", step=900)
    return dt.datetime.combine(day, time, tzinfo=zone)


def log_form(screen: ClientScreen, client_id: int) -> None:
    contacts = {r["id"]: r["name"] for r in crm.list_contacts(uow(), screen.actor, client_id)}
    slots = FieldSlots()
    planned = st.toggle(t("Plan an appointment (the result comes later)"), key=f"{screen.key}_planned_{client_id}")
    with st.form(f"{screen.key}_log_form_{client_id}", clear_on_submit=True):
        c = st.columns(3)
        kind = c[0].selectbox(t("Kind"), INTERACTION_KINDS, format_func=labeller("interaction_kind"))
        contact_ids = [None, *contacts]
        contact_id = c[1].selectbox(t("Contact"), contact_ids, format_func=lambda i: "" if i is None else contacts[i])
        with c[2]:
            at = when_input(f"{screen.key}_at_{client_id}", planned)
            slots.slot("at")
        topic = st.text_input(t("Topic") + " *")
        slots.slot("topic")
        result = ""
        if not planned:
            result = st.text_area(t("Result") + " *", height=68)
            slots.slot("result")
        promotional = st.checkbox(t("Promotional contact (marketing)"))
        p = st.columns([3, 1])
        promise = p[0].text_input(t("Promise made (e.g. send the price list)"))
        promise_due = p[1].date_input(t("Promise due"), value=None, format="DD/MM/YYYY")
        slots.slot("promise_due")
        n = st.columns([3, 1])
        next_step = n[0].text_input(t("Next step"))
        slots.slot("next_step")
        next_due = n[1].date_input(t("Next step due"), value=None, format="DD/MM/YYYY")
        slots.slot("next_due")
        submitted = st.form_submit_button(t("Save appointment") if planned else t("Log contact"), type="primary")
    if submitted:
        data = InteractionInput(
            client_id=client_id,
            kind=kind,
            at=at,
            topic=topic,
            planned=planned,
            contact_id=contact_id,
            result=result,
            promise=promise,
            promise_due=promise_due,
            next_step=next_step,
            next_due=next_due,
            promotional=promotional,
        )
        ok, _ = run_action(lambda: crm.log_interaction(uow(), screen.actor, data), slots, success=N_("Saved."))
        if ok:
            st.rerun()
