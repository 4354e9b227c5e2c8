"""The forms of the staff area (the employees catalog)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import streamlit as st

from core.services.employees import EmployeeInput
from ui.context import t
from ui.forms import FieldSlots


def employee_form(
    key: str,
    initial: dict[str, Any],
    on_submit: Callable[[EmployeeInput, FieldSlots], None],
    submit_label: str,
    disabled: bool,
) -> None:
    """The personal card's fields; `on_submit` gets the input and the slots for field errors."""
    slots = FieldSlots()
    with st.form(key):
        c1, c2 = st.columns(2)
        with c1:
            full_name = st.text_input(t("Full name") + " *", initial.get("full_name", ""), disabled=disabled)
            slots.slot("full_name")
            position = st.text_input(t("Position"), initial.get("position", ""), disabled=disabled)
            slots.slot("position")
            department = st.text_input(t("Department"), initial.get("department", ""), disabled=disabled)
            slots.slot("department")
            hire_date = st.date_input(
                t("Hire date"),
                initial.get("hire_date"),
                format="DD/MM/YYYY",
                min_value=dt.date(1950, 1, 1),
                disabled=disabled,
            )
            slots.slot("hire_date")
            birth_date = st.date_input(
                t("Birth date"),
                initial.get("birth_date"),
                format="DD/MM/YYYY",
                min_value=dt.date(1920, 1, 1),
                disabled=disabled,
            )
            slots.slot("birth_date")
        with c2:
            phone = st.text_input(
                t("Phone"), initial.get("phone", ""), placeholder="+250 788 123 456", disabled=disabled
            )
            slots.slot("phone")
            phone_alt = st.text_input(t("Second phone"), initial.get("phone_alt", ""), disabled=disabled)
            slots.slot("phone_alt")
            email = st.text_input(t("E-mail"), initial.get("email", ""), disabled=disabled)
            slots.slot("email")
            national_id = st.text_input(t("National ID"), initial.get("national_id", ""), disabled=disabled)
            slots.slot("national_id")
            address = st.text_input(t("Address"), initial.get("address", ""), disabled=disabled)
            slots.slot("address")
        notes = st.text_area(t("Notes"), initial.get("notes", ""), disabled=disabled)
        submitted = st.form_submit_button(t(submit_label), type="primary", disabled=disabled)
    if submitted:
        data = EmployeeInput(
            full_name=full_name,
            position=position,
            department=department,
            phone=phone,
            phone_alt=phone_alt,
            email=email,
            address=address,
            national_id=national_id,
            birth_date=birth_date,
            hire_date=hire_date,
            notes=notes,
        )
        on_submit(data, slots)
