"""My plan (SPEC P1, P2, P4): today's due follow-ups and appointments, overdue ones in red;
mark done with a result, reschedule with a reason, hand over; enter an appointment's
result; and the plan against what was done for a period."""

from __future__ import annotations

import streamlit as st

from common.i18n import N_
from common.roles import ADMIN, DIRECTOR, SALES
from core.services import crm
from ui.auth import require_page
from ui.context import company_today, t, uow
from ui.crm.labels import follow_up_text
from ui.crm.plan import appointment_form, follow_up_actions
from ui.formatting import esc, show
from ui.grid import Column, table
from ui.labels import label
from ui.links import link_button

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

colleagues = {i: name for i, name in managers.items() if i != owner}  # who an item can go to
st.subheader(t("Follow-ups"))
if not items:
    st.success(t("Nothing due. Well done."))
for item in items:
    colour = "red" if item["overdue"] else "blue"
    title = (
        f":{colour}[{show(item['due'])}] · **{esc(item['client'])}** · {follow_up_text(item['title'], item['params'])}"
    )
    icon = ":material/schedule:" if item["upcoming"] else ":material/task_alt:"
    row = st.columns([8, 1])
    with row[0].expander(title, icon=":material/priority_high:" if item["overdue"] else icon):
        if item["upcoming"]:  # a day ahead: what that day's check will put on the plan
            st.caption(t("Not on the plan yet: the daily check puts it there in time, to be done or moved from there."))
        else:
            follow_up_actions(actor, P, item, colleagues, today)
    key = item["id"] or f"{item['rule']}_{item['interaction_id']}"  # an item ahead has no id yet
    link_button(actor, ("client", item["client_id"]), f"{P}_open_fu_{key}", N_("Client file"), row[1])

st.subheader(t("Appointments"))
if not appointments:
    st.caption(t("No appointments."))
for a in appointments:
    colour = "red" if a["overdue"] else "blue"
    kind = esc(label("interaction_kind", a["kind"]))
    title = f":{colour}[{show(a['at'])}] · {kind} · **{esc(a['client'])}** · {esc(a['topic'])}"
    row = st.columns([8, 1])
    with row[0].expander(title, icon=":material/event:"):
        appointment_form(actor, P, a)
    link_button(actor, ("client", a["client_id"]), f"{P}_open_ap_{a['id']}", N_("Client file"), row[1])

st.subheader(t("Plan against done"))
c = st.columns(2)
first = c[0].date_input(t("From"), today.replace(day=1), key=f"{P}_from", format="DD/MM/YYYY")
last = c[1].date_input(t("To"), today, key=f"{P}_to", format="DD/MM/YYYY")
rows = crm.plan_vs_done(uow(), actor, first, last, None if actor.role in (DIRECTOR, ADMIN) else [owner])
table(
    rows,
    [
        Column("manager", N_("Manager"), wide=True),
        *(
            Column(key, label, kind="number")
            for key, label in (
                ("planned", N_("Planned")),
                ("done_on_time", N_("Done on time")),
                ("done_late", N_("Done late")),
                ("not_done", N_("Not done")),
                ("pending", N_("Still to do")),
                ("interactions", N_("Contacts logged")),
                ("new_clients", N_("New clients")),
            )
        ),
    ],
    key=f"{P}_p4",
)
