"""Segments (SPEC C5): groups of clients built from rules, with a live count and a preview;
saved for group mailings. Reachable-for-marketing uses the consent register (C8)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from common.i18n import N_
from common.roles import CAN_EDIT_CRM
from core.services import crm
from ui.auth import require_page
from ui.context import t, t_n, t_plain, uow
from ui.formatting import show
from ui.forms import FieldSlots, edit_version, run_edit
from ui.grid import Column, table
from ui.labels import label, labeller, labels

actor = require_page("segments")
P = "segments"
st.title(t("Segments"))

saved = crm.list_segments(uow(), actor)
names = {s["id"]: s["name"] for s in saved}
just_saved = st.session_state.pop(f"{P}_just_saved", None)  # the segment a save made: the picker opens it
if just_saved in names:
    st.session_state[f"{P}_open"] = just_saved
start = st.selectbox(
    t("Open a saved segment"),
    [None, *names],
    format_func=lambda i: t_plain("New segment") if i is None else names[i],
    key=f"{P}_open",
)
opened = next((s for s in saved if s["id"] == start), None)
rules: dict[str, Any] = opened["rules"] if opened else {}
k = f"{P}_{start or 'new'}"
edit_version(f"{k}_save", opened["version"] if opened else 0)  # the rules are edited across reruns

categories = {c["id"]: c["name"] for c in crm.list_categories(uow(), actor)}
managers = dict(crm.manager_choices(uow(), actor))
c = st.columns(3)
with c[0]:
    category_ids = st.multiselect(
        t("Category"),
        list(categories),
        [i for i in rules.get("category_ids", []) if i in categories],
        format_func=lambda i: label("name", categories[i]),
        key=f"{k}_cat",
    )
    statuses = st.multiselect(
        t("Status"),
        list(labels("client_status")),
        [x for x in rules.get("statuses", []) if x in labels("client_status")],
        format_func=labeller("client_status"),
        key=f"{k}_status",
    )
    manager_ids = st.multiselect(
        t("Manager"),
        list(managers),
        [i for i in rules.get("manager_ids", []) if i in managers],  # a manager who left drops out
        format_func=managers.get,
        key=f"{k}_mgr",
    )
with c[1]:
    regions = st.text_input(t("Regions (comma-separated)"), ", ".join(rules.get("regions", [])), key=f"{k}_reg")
    tags = st.text_input(t("Any of these tags"), ", ".join(rules.get("tags", [])), key=f"{k}_tags")
    needs = st.text_input(t("Needs (cargo or route contains)"), rules.get("needs", ""), key=f"{k}_needs")
with c[2]:
    silent = st.number_input(
        t("No contact for at least N days (0 = any)"), 0, 3650, rules.get("silent_days", 0), key=f"{k}_silent"
    )
    recent = st.number_input(
        t("Contacted within N days (0 = any)"), 0, 3650, rules.get("contacted_within_days", 0), key=f"{k}_recent"
    )
    channels = ["", "email", "sms"]
    reachable = st.selectbox(
        t("Reachable for marketing by"),
        channels,
        channels.index(rules.get("reachable", "")),
        format_func=lambda x: label("channel", x) or t("Any"),
        key=f"{k}_reach",
    )

current = {
    "category_ids": category_ids,
    "statuses": statuses,
    "manager_ids": manager_ids,
    "regions": [r.strip() for r in regions.split(",") if r.strip()],
    "tags": [x.strip() for x in tags.split(",") if x.strip()],
    "needs": needs.strip(),
    "silent_days": int(silent) or None,
    "contacted_within_days": int(recent) or None,
    "reachable": reachable or None,
}
count = crm.segment_count(uow(), actor, current)
st.metric(t("Clients in this segment"), show(count, "number"))
preview = crm.segment_preview(uow(), actor, current)
if preview:
    table(
        preview,
        [
            Column("code", N_("Code")),
            Column("name", N_("Name"), wide=True),
            Column("region", N_("Region")),
            Column("status", N_("Status"), labels=labels("client_status")),
            Column("email", N_("E-mail")),
            Column("phone", N_("Phone")),
        ],
        key=f"{k}_preview",
    )
    if count > len(preview):
        st.caption(t_n("The first {n} by name.", "The first {n} by name.", len(preview)))
else:
    st.info(t("No client matches these rules."))

if actor.role in CAN_EDIT_CRM:
    slots = FieldSlots()
    with st.form(f"{k}_save"):
        name = st.text_input(t("Segment name") + " *", names.get(start, "") if start else "")
        slots.slot("segment_name")
        if st.form_submit_button(t("Save segment"), type="primary"):
            ok, segment_id = run_edit(
                f"{k}_save",
                lambda v: crm.save_segment(uow(), actor, name, current, start, v),
                slots,
                success=N_("Saved."),
            )
            if ok:
                st.session_state[f"{P}_just_saved"] = segment_id
                for key in [key for key in st.session_state if str(key).startswith(f"{P}_new_")]:
                    del st.session_state[key]  # the next new segment starts empty
                st.rerun()
