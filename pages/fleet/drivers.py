"""Drivers: employees with a driver card — licence, categories, qualifications, medical
status, documents and trips (SPEC F5, F6)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from common.i18n import N_
from common.roles import CAN_EDIT_FLEET, CAN_VIEW_FLEET
from core.fleet import LICENCE_CATEGORIES, MEDICAL_LABELS, QUALIFICATIONS
from core.services import employees, fleet_docs
from core.services.fleet_docs import DriverInput
from ui.attachments import photo_or_icon
from ui.auth import require_page
from ui.catalog import Catalog, Column, Filter, open_record, render_catalog
from ui.context import t, uow
from ui.fleet import STATE_LABELS, badge, doc_state, documents_tab, import_box, trips_tab
from ui.formatting import show
from ui.forms import FieldSlots, run_action

actor = require_page("drivers")
can_edit = actor.role in CAN_EDIT_FLEET
P = "drivers"
MEDICAL = list(MEDICAL_LABELS)
WARN = fleet_docs.warn_days(uow(), actor)


def card_form(key: str, initial: dict, on_submit, disabled: bool) -> None:  # type: ignore[type-arg, no-untyped-def]
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
                format_func=lambda m: t(MEDICAL_LABELS[m]),
                disabled=disabled,
            )
            quals = st.multiselect(
                t("Qualifications"),
                list(QUALIFICATIONS),
                default=initial.get("qualifications", []),
                format_func=lambda q: t(QUALIFICATIONS[q]),
                disabled=disabled,
            )
            slots.slot("qualifications")
        submitted = st.form_submit_button(t("Save driver card"), type="primary", disabled=disabled)
    if submitted:
        on_submit(
            DriverInput(
                licence_number=number,
                licence_categories=cats,
                licence_valid_to=valid_to,
                experience_since=since,
                qualifications=quals,
                medical_status=medical,
            ),
            slots,
        )


def render_add() -> None:
    st.caption(t("A driver is an employee with a driver card. Choose the employee, then fill the card."))
    search = st.text_input(t("Find the employee"), key=f"{P}_add_search")
    choices = fleet_docs.employees_without_card(uow(), actor, search)
    names = dict(choices)
    employee_id = st.selectbox(
        t("Employee"), [None, *names], format_func=lambda i: "" if i is None else names[i], key=f"{P}_add_employee"
    )
    if employee_id is None:
        return

    def save(data: DriverInput, slots: FieldSlots) -> None:
        ok, _ = run_action(
            lambda: fleet_docs.save_driver(uow(), actor, employee_id, data),
            slots,
            success=N_("The driver card was saved."),
        )
        if ok:
            open_record(P, employee_id)
            st.rerun()

    card_form(f"{P}_add_card", {}, save, disabled=False)


def render_details(employee_id: int) -> None:
    e = employees.get_employee(uow(), actor, employee_id)
    card = fleet_docs.get_driver(uow(), actor, employee_id) or {}
    head = st.columns([1, 5])
    photo_or_icon(head[0], e["photo_id"], ":material/person:")
    state = doc_state(card.get("licence_valid_to"), WARN)
    head[1].markdown(
        f"### {e['full_name']}  \n`{e['code']}` · {e['phone']}  \n"
        + t(
            "Licence {number} ({cats})",
            number=card.get("licence_number", ""),
            cats=", ".join(card.get("licence_categories", [])),
        )
        + " "
        + badge(state, t("Valid to {date}", date=show(card.get("licence_valid_to"))))
    )

    def save(data: DriverInput, slots: FieldSlots) -> None:
        run_action(lambda: fleet_docs.save_driver(uow(), actor, employee_id, data), slots, success=N_("Saved."))

    card_form(f"{P}_card_{employee_id}", card, save, disabled=not can_edit or e["archived_at"] is not None)
    st.caption(t("Name, phones and address are on the employee's personal card (Employees)."))


def shown(rows: list[dict]) -> list[dict]:  # type: ignore[type-arg]
    for r in rows:
        r["licence_state"] = doc_state(r["licence_valid_to"], WARN)
        r["licence"] = t(STATE_LABELS[r["licence_state"]]) + f" · {show(r['licence_valid_to'])}"
        r["medical_status"] = t(MEDICAL_LABELS[r["medical_status"]])
    return rows


def list_page(q):  # type: ignore[no-untyped-def]
    page = fleet_docs.list_drivers(uow(), actor, q)
    shown(page.rows)
    return page


st.title(t("Drivers"))
import_box(actor, "driver", P)
render_catalog(
    Catalog(
        key=P,
        entity_type="employee",
        title_of=lambda r: f"{r['full_name']} ({r['code']})",
        columns=[
            Column("code", N_("Code"), width=110),
            Column("full_name", N_("Full name"), width=200),
            Column("phone", N_("Phone")),
            Column("licence_number", N_("Licence number")),
            Column("licence_categories", N_("Categories")),
            Column("licence", N_("Licence valid to"), "status", width=200),
            Column("medical_status", N_("Medical status")),
        ],
        list_page=list_page,
        export_rows=lambda q: shown(fleet_docs.export_drivers(uow(), actor, q)),
        default_sort="full_name",
        sort_keys=["full_name", "licence_valid_to", "code"],
        filters=[
            Filter("category", N_("Category"), [(c, c) for c in LICENCE_CATEGORIES]),
            Filter("qualification", N_("Qualification"), [(k, t(v)) for k, v in QUALIFICATIONS.items()]),
        ],
        render_details=render_details,
        render_add=render_add,
        extra_tabs=[
            (N_("Documents"), lambda eid: documents_tab(actor, P, employee_id=eid, applies_to="driver")),
            (N_("Trips"), lambda eid: trips_tab()),
        ],
        can_edit=can_edit,
        view_roles=CAN_VIEW_FLEET,
        history_types=("employee", "driver"),
        add_label=N_("Add driver"),
        search_placeholder=N_("Name, code, licence number..."),
    )
)
