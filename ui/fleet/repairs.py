"""The Repairs tab of a unit: record work with its parts (and the plan it fulfils), and the
list with costs."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from common.actor import Actor
from common.i18n import N_
from common.roles import CAN_EDIT_FLEET
from core.services import fleet
from core.services.fleet import PartLine, RepairInput
from ui.context import company_today, t, t_n, t_plain, uow
from ui.formatting import show
from ui.forms import FieldSlots, run_action
from ui.grid import Column, table


def repairs_tab(actor: Actor, unit_id: int, prefix: str) -> None:
    plans = fleet.list_plans(uow(), actor, unit_id)
    if actor.role in CAN_EDIT_FLEET:
        with st.expander(t("Record repair or maintenance work"), expanded=False):
            slots = FieldSlots()
            with st.form(f"{prefix}_repair_{unit_id}", clear_on_submit=True):
                c = st.columns(4)
                work_date = c[0].date_input(t("Date"), company_today(), format="DD/MM/YYYY")
                with c[0]:
                    slots.slot("work_date")
                km = c[1].number_input(t("Odometer (km)"), min_value=0, step=1, value=None)
                with c[1]:
                    slots.slot("km")
                place = c[2].text_input(t("Where"))
                labour = c[3].text_input(t("Labour cost"), "0")
                with c[3]:
                    slots.slot("labour_cost")
                plan_ids = [None, *[p["id"] for p in plans]]
                plan_names = {p["id"]: p["name"] for p in plans}
                plan_id = st.selectbox(
                    t("Maintenance plan done (optional)"),
                    plan_ids,
                    format_func=lambda i: "" if i is None else plan_names[i],
                )
                work = st.text_area(t("Work done") + " *", height=80)
                slots.slot("work_done")
                st.caption(t("Parts (name, quantity, unit price)"))
                lines = st.data_editor(
                    pd.DataFrame({"name": [""] * 3, "quantity": [""] * 3, "price": [""] * 3}),
                    num_rows="dynamic",
                    key=f"{prefix}_parts_{unit_id}",
                    hide_index=True,
                    column_config={
                        "name": t_plain("Part"),
                        "quantity": t_plain("Quantity"),
                        "price": t_plain("Unit price"),
                    },
                )
                for i in range(1, 11):
                    slots.slot(f"part_{i}")
                submitted = st.form_submit_button(t("Save work"), type="primary")
            if submitted:
                parts = [
                    PartLine(str(r["name"] or ""), str(r["quantity"] or ""), str(r["price"] or ""))
                    for _, r in lines.iterrows()
                ]
                data = RepairInput(
                    work_date=work_date,
                    work_done=work,
                    odometer_km=int(km) if km is not None else None,
                    place=place,
                    labour_cost=labour,
                    plan_id=plan_id,
                    parts=parts,
                )
                ok, _ = run_action(
                    lambda: fleet.add_repair(uow(), actor, unit_id, data), slots, success=N_("The work was recorded.")
                )
                if ok:
                    st.rerun()
    rows = fleet.list_repairs(uow(), actor, unit_id)
    if not rows:
        st.caption(t("No repairs recorded."))
        return
    total = sum(r["total_cost"] for r in rows)
    st.markdown(
        t_n(
            "Repairs and maintenance: {n} record, {total} in all",
            "Repairs and maintenance: {n} records, {total} in all",
            len(rows),
            total=show(total),
        )
    )
    table(
        rows,
        [
            Column("work_date", N_("Date")),
            Column("odometer_km", N_("Odometer (km)"), kind="number"),
            Column("work_done", N_("Work done"), wide=True),
            Column("place", N_("Where")),
            Column("plan", N_("Plan"), kind="name"),
            Column("parts_cost", N_("Parts")),
            Column("labour_cost", N_("Labour")),
            Column("total_cost", N_("Total")),
        ],
        key=f"{prefix}_repairs_grid_{unit_id}",
    )
