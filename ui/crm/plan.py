"""The actions of the daily plan: a follow-up done with its result, rescheduled with a
reason or handed over; an appointment's result."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from common.actor import Actor
from common.i18n import N_
from core.services import crm
from ui.context import t, uow
from ui.forms import FieldSlots, run_action


def follow_up_actions(
    actor: Actor, prefix: str, item: dict[str, Any], colleagues: dict[int, str], today: dt.date
) -> None:
    """`colleagues`: who the item can be handed over to; `prefix`: the page's session keys."""
    key = f"{prefix}_fu_{item['id']}"
    done, later, hand = st.tabs([t("Done"), t("Reschedule"), t("Hand over")])
    with done:
        slots = FieldSlots()
        with st.form(f"{key}_done"):
            result = st.text_input(t("Result") + " *", key=f"{key}_result")
            slots.slot("result")
            if st.form_submit_button(t("Mark done"), type="primary"):
                ok, _ = run_action(
                    lambda: crm.complete_follow_up(uow(), actor, item["id"], result), slots, success=N_("Done.")
                )
                if ok:
                    st.rerun()
    with later:
        slots = FieldSlots()
        with st.form(f"{key}_later"):
            new_date = st.date_input(
                t("New date"), today + dt.timedelta(days=1), key=f"{key}_date", format="DD/MM/YYYY"
            )
            slots.slot("new_date")
            reason = st.text_input(t("Reason") + " *", key=f"{key}_reason")
            slots.slot("reason")
            if st.form_submit_button(t("Reschedule")):
                ok, _ = run_action(
                    lambda: crm.reschedule_follow_up(uow(), actor, item["id"], new_date, reason),
                    slots,
                    success=N_("Rescheduled."),
                )
                if ok:
                    st.rerun()
    with hand:
        slots = FieldSlots()
        with st.form(f"{key}_hand"):
            to = st.selectbox(t("To"), list(colleagues), format_func=colleagues.get, key=f"{key}_to")
            slots.slot("to_user")
            if st.form_submit_button(t("Hand over")) and to is not None:
                ok, _ = run_action(
                    lambda: crm.hand_over_follow_up(uow(), actor, item["id"], to), slots, success=N_("Handed over.")
                )
                if ok:
                    st.rerun()


def appointment_form(actor: Actor, prefix: str, a: dict[str, Any]) -> None:
    if not a["overdue"]:
        st.caption(t("Enter the result after the appointment."))
    slots = FieldSlots()
    with st.form(f"{prefix}_appt_{a['id']}"):
        result = st.text_area(t("Result") + " *", height=68, key=f"{prefix}_appt_result_{a['id']}")
        slots.slot("result")
        n = st.columns([3, 1])
        step = n[0].text_input(t("Next step"), key=f"{prefix}_appt_step_{a['id']}")
        slots.slot("next_step")
        due = n[1].date_input(t("Next step due"), value=None, key=f"{prefix}_appt_due_{a['id']}", format="DD/MM/YYYY")
        slots.slot("next_due")
        if st.form_submit_button(t("Save result"), type="primary"):
            ok, _ = run_action(
                lambda: crm.enter_result(uow(), actor, a["id"], result, next_step=step, next_due=due),
                slots,
                success=N_("Saved."),
            )
            if ok:
                st.rerun()
