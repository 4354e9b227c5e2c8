"""The forms of the staff area (the employees catalog)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import streamlit as st

from core.services.employees import EmployeeInput
from ui.context import t, t_plain
from ui.forms import FieldSlots


def _entry_choice(
    label: str, entries: list[dict[str, Any]], current: int | None, current_name: str, disabled: bool
) -> int | None:
    """A position or department from its catalog (empty allowed). An archived entry is no
    longer offered, except to the card that has it already. A name the company was given
    (a seeded one) shows translated; one it typed, as typed."""
    names = {e["id"]: e["name"] for e in entries}
    if current is not None and current not in names:
        names[current] = current_name
    options: list[int | None] = [None, *names]
    return st.selectbox(
        label,
        options,
        index=options.index(current),
        format_func=lambda i: "" if i is None else t_plain(names[i]),
        disabled=disabled,
        help=t("The list is edited on the Staff catalogs screen."),
    )


def employee_form(
    key: str,
    initial: dict[str, Any],
    on_submit: Callable[[EmployeeInput, FieldSlots], None],
    submit_label: str,
    disabled: bool,
    catalogs: dict[str, list[dict[str, Any]]],
) -> None:
    """The personal card's fields; `on_submit` gets the input and the slots for field errors.
    `catalogs`: the entries offered for "position" and "department"."""
    slots = FieldSlots()
    with st.form(key):
        c1, c2 = st.columns(2)
        with c1:
            full_name = st.text_input(t("Full name") + " *", initial.get("full_name", ""), disabled=disabled)
            slots.slot("full_name")
            position = _entry_choice(
                t("Position"),
                catalogs["position"],
                initial.get("position_id"),
                initial.get("position", ""),
                disabled,
            )
            slots.slot("position")
            department = _entry_choice(
                t("Department"),
                catalogs["department"],
                initial.get("department_id"),
                initial.get("department", ""),
                disabled,
            )
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
            position_id=position,
            department_id=department,
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
