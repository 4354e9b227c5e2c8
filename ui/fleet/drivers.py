"""The pieces of the Drivers screen: the driver card form, adding a card to an employee, a
driver's card, and the list's rows as shown (SPEC F5, F6)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from common.actor import Actor
from common.i18n import N_
from common.roles import CAN_EDIT_FLEET
from core.fleet import LICENCE_CATEGORIES, MEDICAL_LABELS, QUALIFICATIONS
from core.services import employees, fleet
from core.services.fleet import DriverInput
from core.services.listing import ListQuery, PageResult
from ui.attachments import photo_or_icon
from ui.catalog import open_record
from ui.context import t, uow
from ui.fleet.status import badge
from ui.formatting import Markdown, code, esc, show
from ui.forms import FieldSlots, edit_version, run_action, run_edit
from ui.labels import label, labeller

P = "drivers"
MEDICAL = list(MEDICAL_LABELS)


def card_form(key: str, initial: dict[str, Any], disabled: bool) -> tuple[DriverInput, FieldSlots] | None:
    """Draw the driver card's fields; once submitted, the card entered (the caller saves it)."""
    slots = FieldSlots()
    with st.form(key):
        c = st.columns(3)
        with c[0]:
            number = st.text_input(t("Licence number") + " *", initial.get("licence_number", ""), disabled=disabled)
            slots.slot("licence_number")
            cats = st.multiselect(
                t("Licence categories") + " *",
                LICENCE_CATEGORIES,
                default=initial.get("licence_categories", []),
                disabled=disabled,
            )
            slots.slot("licence_categories")
        with c[1]:
            valid_to = st.date_input(
                t("Licence valid to") + " *",
                initial.get("licence_valid_to"),
                format="DD/MM/YYYY",
                max_value=dt.date(2100, 1, 1),
                disabled=disabled,
            )
            slots.slot("licence_valid_to")
            since = st.date_input(
                t("Driving since"),
                initial.get("experience_since"),
                format="DD/MM/YYYY",
                min_value=dt.date(1960, 1, 1),
                disabled=disabled,
            )
            slots.slot("experience_since")
        with c[2]:
            medical = st.selectbox(
                t("Medical status"),
                MEDICAL,
                index=MEDICAL.index(initial.get("medical_status", "unknown")),
                format_func=labeller("medical"),
                disabled=disabled,
            )
            quals = st.multiselect(
                t("Qualifications"),
                list(QUALIFICATIONS),
                default=initial.get("qualifications", []),
                format_func=labeller("qualification"),
                disabled=disabled,
            )
            slots.slot("qualifications")
        submitted = st.form_submit_button(t("Save driver card"), type="primary", disabled=disabled)
    if not submitted:
        return None
    data = DriverInput(
        licence_number=number,
        licence_categories=cats,
        licence_valid_to=valid_to,
        experience_since=since,
        qualifications=quals,
        medical_status=medical,
    )
    return data, slots


def render_add(actor: Actor) -> None:
    """Choose an employee without a card, then fill the card."""
    st.caption(t("A driver is an employee with a driver card. Choose the employee, then fill the card."))
    search = st.text_input(t("Find the employee"), key=f"{P}_add_search")
    choices = fleet.employees_without_card(uow(), actor, search)
    names = dict(choices)
    employee_id = st.selectbox(
        t("Employee"), [None, *names], format_func=lambda i: "" if i is None else names[i], key=f"{P}_add_employee"
    )
    if employee_id is None:
        return
    entered = card_form(f"{P}_add_card", {}, disabled=False)
    if entered is None:
        return
    data, slots = entered
    ok, _ = run_action(
        lambda: fleet.save_driver(uow(), actor, employee_id, data), slots, success=N_("The driver card was saved.")
    )
    if ok:
        open_record(P, employee_id)
        st.rerun()


def render_details(actor: Actor, employee_id: int) -> None:
    """A driver's head (licence and its status) and card."""
    can_edit = actor.role in CAN_EDIT_FLEET
    e = employees.get_employee(uow(), actor, employee_id)
    card = fleet.get_driver(uow(), actor, employee_id) or {}
    head = st.columns([1, 5])
    photo_or_icon(head[0], e["photo_id"], Markdown(":material/person:"))
    state = card.get("licence_state", "none")
    head[1].markdown(
        f"### {esc(e['full_name'])}  \n{code(e['code'])} · {esc(e['phone'])}  \n"
        + t(
            "Licence {number} ({cats})",
            number=card.get("licence_number", ""),
            cats=", ".join(card.get("licence_categories", [])),
        )
        + " "
        + badge(state, t("Valid to {date}", date=show(card.get("licence_valid_to"))))
    )
    form_key = f"{P}_card_{employee_id}"
    edit_version(form_key, card.get("version", 0))  # 0: no card yet (one made meanwhile is refused)
    entered = card_form(form_key, card, disabled=not can_edit or e["archived_at"] is not None)
    if entered is not None:
        data, slots = entered
        run_edit(
            form_key,
            lambda v: fleet.save_driver(uow(), actor, employee_id, data, expected_version=v),
            slots,
            success=N_("Saved."),
        )
    st.caption(t("Name, phones and address are on the employee's personal card (Employees)."))


def shown(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows as the grid shows them: the licence's state (decided by the service) labelled."""
    for r in rows:
        # the status column is keyed by the field it sorts on, its colour by that field's state
        r["licence_valid_to_state"] = r["licence_state"]
        r["licence_valid_to"] = label("document_state", r["licence_state"]) + f" · {show(r['licence_valid_to'])}"
        r["medical_status"] = label("medical", r["medical_status"])
    return rows


def list_page(actor: Actor, q: ListQuery) -> PageResult:
    page = fleet.list_drivers(uow(), actor, q)
    shown(page.rows)
    return page


def export_rows(actor: Actor, q: ListQuery) -> list[dict[str, Any]]:
    return shown(fleet.export_drivers(uow(), actor, q))
