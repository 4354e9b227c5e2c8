"""CRM settings (SPEC C4, C5, P2): client categories, follow-up rules and the reminder
parameters for appointments left without a result. Rules are data, not code."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.i18n import N_
from core.services import crm
from core.services.crm import SCAN_RULES
from ui.auth import require_page
from ui.context import t, uow
from ui.crm import RULE_LABELS
from ui.forms import FieldSlots, run_action
from ui.grid import table

actor = require_page("crm_settings")
P = "crmset"
st.title(t("CRM settings"))

categories = crm.list_categories(uow(), actor)
names = {c["id"]: c["name"] for c in categories}
left, right = st.columns(2)
with left:
    st.subheader(t("Client categories"))
    table(
        pd.DataFrame([{t("Category"): t(c["name"]), t("Clients"): c["clients"]} for c in categories]),
        key=f"{P}_cats",
        wide=t("Category"),
    )
    slots = FieldSlots()
    with st.form(f"{P}_cat_form", clear_on_submit=True):
        name = st.text_input(t("New category"))
        slots.slot("name")
        if st.form_submit_button(t("Add")):
            ok, _ = run_action(lambda: crm.create_category(uow(), actor, name), slots, success=N_("Saved."))
            if ok:
                st.rerun()

with right:
    st.subheader(t("Follow-up rules"))
    st.caption(
        t(
            "Every morning these rules put due follow-ups on the managers' plans, once per cause. "
            "A category's own rule replaces the general one for its clients."
        )
    )
    rules = crm.list_rules(uow(), actor)
    table(
        pd.DataFrame(
            [
                {
                    t("Rule"): t(RULE_LABELS.get(r["kind"], r["kind"])),
                    t("Days"): r["days"],
                    t("Category"): t(names[r["category_id"]]) if r["category_id"] in names else t("All"),
                    t("Active"): t("Yes") if r["active"] else t("No"),
                }
                for r in rules
            ]
        ),
        key=f"{P}_rules",
        wide=t("Rule"),
    )
    slots = FieldSlots()
    with st.form(f"{P}_rule_form"):
        existing = {r["id"]: r for r in rules}
        rule_id = st.selectbox(
            t("Rule"),
            [None, *existing],
            format_func=lambda i: (
                t("New rule")
                if i is None
                else f"{t(RULE_LABELS.get(existing[i]['kind'], existing[i]['kind']))} · "
                f"{t(names[existing[i]['category_id']]) if existing[i]['category_id'] in names else t('All')}"
            ),
        )
        kind = st.selectbox(t("Kind"), SCAN_RULES, format_func=lambda k: t(RULE_LABELS[k]))
        slots.slot("kind")
        days = st.number_input(t("Days"), 0, 3650, 30)
        slots.slot("days")
        category_id = st.selectbox(
            t("For category"), [None, *names], format_func=lambda i: t("All") if i is None else t(names[i])
        )
        active = st.checkbox(t("Active"), True)
        if st.form_submit_button(t("Save rule"), type="primary"):
            ok, _ = run_action(
                lambda: crm.save_rule(uow(), actor, kind, int(days), category_id, active, rule_id),
                slots,
                success=N_("Saved."),
            )
            if ok:
                st.rerun()
    st.caption(t("Reminders for appointments without a result are set under Settings, group crm."))
