"""The Maintenance tab of a unit: its plans, due by kilometres or by time, and a new plan."""

from __future__ import annotations

import streamlit as st

from common.actor import Actor
from common.i18n import N_
from common.roles import CAN_EDIT_FLEET
from core.services import fleet
from ui.context import company_today, t, t_n, uow
from ui.fleet.status import plan_badge
from ui.formatting import esc, show
from ui.forms import FieldSlots, run_action


def maintenance_tab(actor: Actor, unit_id: int, prefix: str) -> None:
    plans = fleet.list_plans(uow(), actor, unit_id)
    for p in plans:
        every = " · ".join(
            filter(
                None,
                (
                    t("every {km} km", km=show(p["every_km"], "number")) if p["every_km"] else "",
                    t_n("every month", "every {n} months", p["every_months"]) if p["every_months"] else "",
                ),
            )
        )
        nxt = " · ".join(
            x
            for x in (
                show(p["next_km"], "number") + " km" if p["next_km"] else "",
                show(p["next_date"]) if p["next_date"] else "",
            )
            if x
        )
        cols = st.columns([3, 3, 3, 1])
        cols[0].markdown(f"**{esc(p['name'])}**  \n{every}")
        cols[1].markdown(f"{plan_badge(p['state'])}  \n" + t("Next: {when}", when=nxt))
        cols[2].caption(
            t("Last done {date} at {km} km", date=show(p["last_done_date"]), km=show(p["last_done_km"], "number"))
        )
        if actor.role in CAN_EDIT_FLEET and cols[3].button(t("Archive"), key=f"{prefix}_plan_arch_{p['id']}"):
            ok, _ = run_action(lambda pid=p["id"]: fleet.archive_plan(uow(), actor, pid))
            if ok:
                st.rerun()
    if not plans:
        st.caption(t("No maintenance plans yet."))
    if actor.role in CAN_EDIT_FLEET:
        slots = FieldSlots()
        with st.form(f"{prefix}_plan_{unit_id}", clear_on_submit=True):
            c = st.columns(4)
            name = c[0].text_input(t("Maintenance"), placeholder=t("Oil change"))
            with c[0]:
                slots.slot("name")
            every_km = c[1].number_input(t("Every (km)"), min_value=0, step=1000, value=None)
            with c[1]:
                slots.slot("every_km")
            every_months = c[2].number_input(t("Every (months)"), min_value=0, step=1, value=None)
            with c[2]:
                slots.slot("every_months")
            last = c[3].date_input(t("Last done"), company_today(), format="DD/MM/YYYY")
            submitted = st.form_submit_button(t("Add plan"))
        if submitted:
            ok, _ = run_action(
                lambda: fleet.add_plan(
                    uow(),
                    actor,
                    unit_id,
                    name,
                    int(every_km) if every_km else None,
                    int(every_months) if every_months else None,
                    last,
                ),
                slots,
                success=N_("The plan was added."),
            )
            if ok:
                st.rerun()
