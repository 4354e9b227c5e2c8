"""The Couplings tab of a unit: what it is coupled with now, couple or uncouple, the history."""

from __future__ import annotations

import streamlit as st

from common.actor import Actor
from common.i18n import N_
from common.roles import CAN_EDIT_FLEET
from core.services import fleet
from ui.context import t, t_plain, uow
from ui.formatting import show
from ui.forms import run_action
from ui.grid import Column, table


def couplings_tab(actor: Actor, unit_id: int, kind: str, prefix: str) -> None:
    rows = fleet.list_couplings(uow(), actor, unit_id)
    current = next((r for r in rows if r["uncoupled_at"] is None), None)
    if current:
        other = current["trailer"] if kind != "trailer" else current["tractor"]
        st.markdown(t("Coupled now with **{plate}** since {date}", plate=other, date=show(current["coupled_at"])))
        if actor.role in CAN_EDIT_FLEET and st.button(t("Uncouple"), key=f"{prefix}_uncouple_{unit_id}"):
            ok, _ = run_action(lambda: fleet.uncouple(uow(), actor, current["id"]))
            if ok:
                st.rerun()
    else:
        st.caption(t("Not coupled now."))
    if actor.role in CAN_EDIT_FLEET:
        choices = fleet.unit_choices(uow(), actor, "vehicle" if kind == "trailer" else "trailer")
        ids = [c[0] for c in choices if c[0] != unit_id]
        names = dict(choices)
        with st.form(f"{prefix}_couple_{unit_id}"):
            other_id = st.selectbox(t("Couple with"), [None, *ids], format_func=lambda i: "" if i is None else names[i])
            submitted = st.form_submit_button(t("Couple"))
        if submitted and other_id is not None:
            tractor_id, trailer_id = (other_id, unit_id) if kind == "trailer" else (unit_id, other_id)
            ok, _ = run_action(lambda: fleet.couple(uow(), actor, tractor_id, trailer_id), success=N_("Coupled."))
            if ok:
                st.rerun()
    if rows:
        table(
            [{**r, "uncoupled_at": r["uncoupled_at"] or t_plain("now")} for r in rows],
            [
                Column("tractor", N_("Tractor")),
                Column("trailer", N_("Trailer")),
                Column("coupled_at", N_("From")),
                Column("uncoupled_at", N_("To")),
            ],
            key=f"{prefix}_couplings_grid_{unit_id}",
        )
