"""CRM settings (SPEC C4, C5, P2): client categories, follow-up rules and the reminder
parameters for appointments left without a result. Rules are data, not code."""

from __future__ import annotations

import streamlit as st

from common.i18n import N_
from core.services import crm
from ui.auth import require_page
from ui.context import t, uow
from ui.forms import FieldSlots, edit_version, run_action, run_edit
from ui.grid import Column, table
from ui.labels import label, labeller, labels

actor = require_page("crm_settings")
P = "crmset"
st.title(t("CRM settings"))

categories = crm.list_categories(uow(), actor)
names = {c["id"]: c["name"] for c in categories}
left, right = st.columns(2)
with left:
    st.subheader(t("Client categories"))
    table(
        categories,
        [Column("name", N_("Category"), kind="name", wide=True), Column("clients", N_("Clients"), kind="number")],
        key=f"{P}_cats",
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
            "A category's own silence rule replaces the general one for its clients."
        )
    )
    rules = crm.list_rules(uow(), actor)
    table(
        [{**r, "category": names.get(r["category_id"], N_("All"))} for r in rules],
        [
            Column("kind", N_("Rule"), labels=labels("follow_up_rule"), wide=True),
            Column("days", N_("Days"), kind="number"),
            Column("category", N_("Category"), kind="name"),
            Column("active", N_("Active"), kind="bool"),
        ],
        key=f"{P}_rules",
    )
    existing = {r["id"]: r for r in rules}

    def rule_label(i: int | None) -> str:
        if i is None:
            return t("New rule")
        r = existing[i]
        scope = label("name", names[r["category_id"]]) if r["category_id"] in names else t("All")
        return f"{label('follow_up_rule', r['kind'])} · {scope}"

    # the rule is chosen outside the form, so its values fill the form
    rule_id = st.selectbox(t("Rule to change"), [None, *existing], format_func=rule_label, key=f"{P}_rule_pick")
    current = existing.get(rule_id) if rule_id is not None else None
    slots = FieldSlots()
    form_key = f"{P}_rule_form_{rule_id or 'new'}"
    edit_version(form_key, current["version"] if current else 0)  # a new rule has none to check
    with st.form(form_key):
        kinds = list(crm.SCAN_RULES)
        kind = st.selectbox(
            t("Kind"),
            kinds,
            index=kinds.index(current["kind"]) if current and current["kind"] in kinds else 0,
            format_func=labeller("follow_up_rule"),
            disabled=current is not None,
        )
        slots.slot("kind")
        days = st.number_input(t("Days"), 0, 3650, current["days"] if current else 30)
        slots.slot("days")
        scopes = [None, *names]
        category_id = st.selectbox(
            t("For category (silence rule only)"),
            scopes,
            index=scopes.index(current["category_id"]) if current and current["category_id"] in scopes else 0,
            format_func=lambda i: t("All") if i is None else label("name", names[i]),
        )
        active = st.checkbox(t("Active"), current["active"] if current else True)
        if st.form_submit_button(t("Save rule"), type="primary"):
            ok, _ = run_edit(
                form_key,
                lambda v: crm.save_rule(uow(), actor, kind, int(days), category_id, active, rule_id, v),
                slots,
                success=N_("Saved."),
            )
            if ok:
                st.rerun()
    st.caption(t("Reminders for appointments without a result are set under Settings, in the Clients group."))
