"""The Odometer tab of a power unit: add a reading, and the log."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from common.actor import Actor
from common.calendar import zone_of
from common.i18n import N_
from common.roles import CAN_EDIT_FLEET
from core.services import fleet
from ui.context import company_locale, company_today, t, uow
from ui.forms import FieldSlots, run_action
from ui.grid import Column, table
from ui.labels import label, labels


def odometer_tab(actor: Actor, unit_id: int, prefix: str) -> None:
    if actor.role in CAN_EDIT_FLEET:
        zone = zone_of(company_locale()[1])  # the reading is at the company's day and time
        slots = FieldSlots()
        with st.form(f"{prefix}_odo_{unit_id}", clear_on_submit=True):
            c = st.columns(4)
            km = c[0].number_input(t("Kilometres"), min_value=0, step=1, value=None)
            with c[0]:
                slots.slot("km")
            day = c[1].date_input(t("Date"), company_today(), format="DD/MM/YYYY")
            at = c[2].time_input(t("Time"), dt.datetime.now(zone).time().replace(second=0, microsecond=0))
            with c[1]:
                slots.slot("read_at")
            note = c[3].text_input(t("Note"))
            submitted = st.form_submit_button(t("Add reading"), type="primary")
        if submitted:
            if km is None:
                slots.slots["km"].error(t("Enter the kilometres."), icon=":material/error:")
            else:
                moment = dt.datetime.combine(day, at, tzinfo=zone)
                ok, _ = run_action(
                    lambda: fleet.add_reading(uow(), actor, unit_id, int(km), moment, note),
                    slots,
                    success=N_("The reading was added."),
                )
                if ok:
                    st.rerun()
    rows = fleet.list_readings(uow(), actor, unit_id)
    if not rows:
        st.caption(t("No readings yet."))
        return
    table(
        [{**r, "username": label("author", r["username"])} for r in rows],
        [
            Column("read_at", N_("When")),
            Column("km", N_("Kilometres"), kind="number"),
            Column("source", N_("Source"), labels=labels("odometer_source")),
            Column("note", N_("Note"), wide=True),
            Column("username", N_("Who")),
        ],
        key=f"{prefix}_odo_grid_{unit_id}",
    )
