"""One staff catalog (positions or departments) on the Staff catalogs screen: its entries
with how many employees carry each, rename, archive or restore, merge a duplicate into the
entry kept, and a new entry."""

from __future__ import annotations

from typing import Any

import streamlit as st

from common.actor import Actor
from common.i18n import N_
from common.roles import CAN_EDIT_EMPLOYEES
from core.services import staff_catalogs
from ui.context import t, t_name, t_plain, uow
from ui.formatting import show
from ui.forms import FieldSlots, run_action

NEW_LABELS = {"position": N_("New position"), "department": N_("New department")}


def _entry_row(actor: Actor, kind: str, e: dict[str, Any], others: dict[int, str], can_edit: bool) -> None:
    key = f"staffcat_{kind}_{e['id']}"
    cols = st.columns([4, 2, 2, 2, 2])
    cols[0].markdown(f"**{t_name(e['name'])}**" + (f" ({t('archived')})" if e["archived"] else ""))
    cols[1].caption(t("Employees: {n}", n=show(e["employees"], "number")))
    if not can_edit:
        return
    with cols[2].popover(t("Rename")):
        slots = FieldSlots()
        # the version is in the key: a name saved meanwhile shows in a new field
        with st.form(f"{key}_rename_v{e['version']}"):
            name = st.text_input(t("Name"), e["name"])
            slots.slot("name")
            submitted = st.form_submit_button(t("Save"), type="primary")
        if submitted:
            ok, _ = run_action(
                lambda: staff_catalogs.save_entry(uow(), actor, kind, name, e["id"], expected_version=e["version"]),
                slots,
                success=N_("Saved."),
            )
            if ok:
                st.rerun()
    if cols[3].button(t("Restore") if e["archived"] else t("Archive"), key=f"{key}_arch"):
        ok, _ = run_action(lambda: staff_catalogs.set_entry_archived(uow(), actor, kind, e["id"], not e["archived"]))
        if ok:
            st.rerun()
    if others:
        with cols[4].popover(t("Merge into...")):
            st.caption(t("Its employees move to the entry you choose, and it is archived."))
            into = st.selectbox(t("Keep"), list(others), format_func=lambda i: t_plain(others[i]), key=f"{key}_into")
            if st.button(t("Merge"), key=f"{key}_merge", type="primary") and into is not None:
                ok, moved = run_action(lambda: staff_catalogs.merge_entry(uow(), actor, kind, e["id"], into))
                if ok:
                    st.toast(t("Merged; {n} employees moved.", n=show(moved or 0, "number")))
                    st.rerun()


def catalog_tab(actor: Actor, kind: str) -> None:
    can_edit = actor.role in CAN_EDIT_EMPLOYEES
    entries = staff_catalogs.list_entries(uow(), actor, kind, include_archived=True)
    live = {e["id"]: e["name"] for e in entries if not e["archived"]}
    if not entries:
        st.caption(t("No entries yet."))
    for e in entries:
        _entry_row(actor, kind, e, {i: n for i, n in live.items() if i != e["id"]}, can_edit)
    if not can_edit:
        return
    slots = FieldSlots()
    with st.form(f"staffcat_{kind}_add", clear_on_submit=True):
        name = st.text_input(t(NEW_LABELS[kind]))
        slots.slot("name")
        submitted = st.form_submit_button(t("Add"))
    if submitted:
        ok, _ = run_action(lambda: staff_catalogs.save_entry(uow(), actor, kind, name), slots, success=N_("Saved."))
        if ok:
            st.rerun()
