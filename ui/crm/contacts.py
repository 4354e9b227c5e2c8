"""The contacts tab: a client's contact people and the form that adds one."""

from __future__ import annotations

import streamlit as st

from common.i18n import N_
from core.services import crm
from core.services.crm import ContactInput
from ui.context import t, uow
from ui.crm.screen import ClientScreen
from ui.forms import FieldSlots, run_action
from ui.grid import Column, table


def contacts_tab(screen: ClientScreen, client_id: int) -> None:
    rows = crm.list_contacts(uow(), screen.actor, client_id)
    if rows:
        table(
            rows,
            [
                Column("name", N_("Name")),
                Column("role", N_("Role")),
                Column("phone", N_("Phone")),
                Column("email", N_("E-mail")),
            ],
            key=f"{screen.key}_contacts_{client_id}",
        )
    else:
        st.caption(t("No contact people yet."))
    if not screen.can_edit:
        return
    slots = FieldSlots()
    with st.form(f"{screen.key}_contact_form_{client_id}", clear_on_submit=True):
        st.markdown(t("Add a contact person"))
        c = st.columns(4)
        name = c[0].text_input(t("Name") + " *", key=f"{screen.key}_cn_{client_id}")
        with c[0]:
            slots.slot("contact_name")
        role = c[1].text_input(t("Role"), key=f"{screen.key}_cr_{client_id}")
        phone = c[2].text_input(t("Phone"), key=f"{screen.key}_cp_{client_id}")
        with c[2]:
            slots.slot("contact_phone")
        email = c[3].text_input(t("E-mail"), key=f"{screen.key}_ce_{client_id}")
        with c[3]:
            slots.slot("contact_email")
        submitted = st.form_submit_button(t("Add contact"))
    if submitted:
        ok, _ = run_action(
            lambda: crm.add_contact(uow(), screen.actor, client_id, ContactInput(name, role, phone, email)),
            slots,
            success=N_("The contact was added."),
        )
        if ok:
            st.rerun()
