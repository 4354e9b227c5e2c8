"""My plan (SPEC P1, P2, P4): today's due follow-ups and appointments, overdue ones in red;
mark done with a result, reschedule with a reason, hand over; enter an appointment's
result; and the plan against what was done for a period."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from common.i18n import N_
from common.roles import DIRECTOR, SALES
from core.services import crm
from ui.auth import require_page
from ui.context import company_today, t, uow
from ui.crm import KIND_LABELS, follow_up_text
from ui.formatting import show
from ui.forms import FieldSlots, run_action
from ui.grid import table

actor = require_page("plan")
P = "plan"
today = company_today()

st.title(t("My plan"))
managers = dict(crm.manager_choices(uow(), actor))
owner = actor.user_id
c = st.columns([2, 2, 3])
day = c[0].date_input(t("Day"), today, key=f"{P}_day", format="DD/MM/YYYY")
if actor.role != SALES and managers:
    ids = list(managers)
    owner = c[1].selectbox(
        t("Manager"),
        ids,
        index=ids.index(actor.user_id) if actor.user_id in ids else 0,
        format_func=managers.get,
        key=f"{P}_owner",
    )
plan = crm.daily_plan(uow(), actor, day, owner)
items, appointments = plan["follow_ups"], plan["appointments"]
m = st.columns(3)
m[0].metric(t("Due follow-ups"), show(len(items), "number"))
m[1].metric(
    t("Overdue"), show(sum(1 for i in items if i["overdue"]) + sum(1 for a in appointments if a["overdue"]), "number")
)
m[2].metric(t("Appointments"), show(len(appointments), "number"))


def follow_up_actions(item: dict) -> None:  # type: ignore[type-arg]
    key = f"{P}_fu_{item['id']}"
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
        others = [i for i in managers if i != owner]
        with st.form(f"{key}_hand"):
            to = st.selectbox(t("To"), others, format_func=managers.get, key=f"{key}_to")
            slots.slot("to_user")
            if st.form_submit_button(t("Hand over")) and to is not None:
                ok, _ = run_action(
                    lambda: crm.hand_over_follow_up(uow(), actor, item["id"], to), slots, success=N_("Handed over.")
                )
                if ok:
                    st.rerun()


st.subheader(t("Follow-ups"))
if not items:
    st.success(t("Nothing due. Well done."))
for item in items:
    colour = "red" if item["overdue"] else "blue"
    label = f":{colour}[{show(item['due'])}] · **{item['client']}** · {follow_up_text(item['title'], item['params'])}"
    with st.expander(label, icon=":material/priority_high:" if item["overdue"] else ":material/task_alt:"):
        follow_up_actions(item)

st.subheader(t("Appointments"))
if not appointments:
    st.caption(t("No appointments."))


def appointment_form(a: dict) -> None:  # type: ignore[type-arg]
    if not a["overdue"]:
        st.caption(t("Enter the result after the appointment."))
    slots = FieldSlots()
    with st.form(f"{P}_appt_{a['id']}"):
        result = st.text_area(t("Result") + " *", height=68, key=f"{P}_appt_result_{a['id']}")
        slots.slot("result")
        n = st.columns([3, 1])
        step = n[0].text_input(t("Next step"), key=f"{P}_appt_step_{a['id']}")
        slots.slot("next_step")
        due = n[1].date_input(t("Next step due"), value=None, key=f"{P}_appt_due_{a['id']}", format="DD/MM/YYYY")
        slots.slot("next_due")
        if st.form_submit_button(t("Save result"), type="primary"):
            ok, _ = run_action(
                lambda: crm.enter_result(uow(), actor, a["id"], result, next_step=step, next_due=due),
                slots,
                success=N_("Saved."),
            )
            if ok:
                st.rerun()


for a in appointments:
    colour = "red" if a["overdue"] else "blue"
    label = f":{colour}[{show(a['at'])}] · {t(KIND_LABELS[a['kind']])} · **{a['client']}** · {a['topic']}"
    with st.expander(label, icon=":material/event:"):
        appointment_form(a)

st.subheader(t("Plan against done"))
c = st.columns(2)
first = c[0].date_input(t("From"), today.replace(day=1), key=f"{P}_from", format="DD/MM/YYYY")
last = c[1].date_input(t("To"), today, key=f"{P}_to", format="DD/MM/YYYY")
rows = crm.plan_vs_done(uow(), actor, first, last, None if actor.role in (DIRECTOR, "administrator") else [owner])
table(
    pd.DataFrame(
        [
            {
                t("Manager"): r["manager"],
                t("Planned"): r["planned"],
                t("Done on time"): r["done_on_time"],
                t("Done late"): r["done_late"],
                t("Not done"): r["not_done"],
                t("Still to do"): r["pending"],
                t("Contacts logged"): r["interactions"],
                t("New clients"): r["new_clients"],
            }
            for r in rows
        ]
    ),
    key=f"{P}_p4",
    wide=t("Manager"),
)
