"""Employees catalog: personal cards with photo and documents (SPEC F6, U1)."""

from __future__ import annotations

import streamlit as st

from common.i18n import N_
from common.roles import CAN_EDIT_EMPLOYEES
from core.services import employees, staff_catalogs
from core.services.employees import EmployeeInput
from core.services.fleet import get_driver
from ui.attachments import photo_or_icon
from ui.auth import require_page
from ui.catalog import Catalog, Column, Filter, open_record, render_catalog
from ui.context import t, t_name, uow
from ui.fleet.trips import trips_tab
from ui.formatting import Markdown, code, esc, show
from ui.forms import FieldSlots, edit_version, run_action, run_edit
from ui.labels import label
from ui.staff import employee_form

actor = require_page("employees")
can_edit = actor.role in CAN_EDIT_EMPLOYEES
P = "employees"
# the entries the card offers (archived ones are left out: a card that has one keeps it)
offered = {kind: staff_catalogs.list_entries(uow(), actor, kind) for kind in ("position", "department")}


def render_add() -> None:
    def save(data: EmployeeInput, slots: FieldSlots) -> None:
        ok, new_id = run_action(
            lambda: employees.create_employee(uow(), actor, data), slots, success=N_("The employee was added.")
        )
        if ok:
            open_record(P, new_id)
            st.rerun()

    employee_form(f"{P}_add_form", {}, save, N_("Save"), disabled=False, catalogs=offered)


def render_details(employee_id: int) -> None:
    e = employees.get_employee(uow(), actor, employee_id)
    head = st.columns([1, 5])
    photo_or_icon(head[0], e["photo_id"], Markdown(":material/person:"))
    facts = " · ".join(filter(None, (code(e["code"]), t_name(e["position"]), t_name(e["department"]))))
    head[1].markdown(f"### {esc(e['full_name'])}  \n{facts}")
    if e["archived_at"]:
        head[1].warning(t("Archived on {date}", date=show(e["archived_at"])))

    form_key = f"{P}_edit_form_{employee_id}"
    edit_version(form_key, e["version"])

    def save(data: EmployeeInput, slots: FieldSlots) -> None:
        ok, changed = run_edit(
            form_key, lambda v: employees.update_employee(uow(), actor, employee_id, data, expected_version=v), slots
        )
        if ok:
            st.toast(t("Saved.") if changed else t("Nothing changed."))

    editable = can_edit and e["archived_at"] is None
    employee_form(form_key, e, save, N_("Save changes"), disabled=not editable, catalogs=offered)
    if can_edit:
        if e["archived_at"] is None:
            if st.button(t("Archive"), key=f"{P}_archive_{employee_id}"):
                ok, _ = run_action(
                    lambda: employees.set_archived(uow(), actor, employee_id, True),
                    success=N_("The employee was archived."),
                )
                if ok:
                    st.rerun()
        elif st.button(t("Restore"), key=f"{P}_restore_{employee_id}"):
            ok, _ = run_action(
                lambda: employees.set_archived(uow(), actor, employee_id, False),
                success=N_("The employee was restored."),
            )
            if ok:
                st.rerun()


def render_driver_card(employee_id: int) -> None:
    """For drivers, the personal card also shows the driver card and the trips (SPEC F6)."""
    card = get_driver(uow(), actor, employee_id)
    if card is None:
        st.caption(t("Not a driver. A driver card is added on the Drivers page."))
        return
    st.markdown(
        t("Licence {number} ({cats})", number=card["licence_number"], cats=", ".join(card["licence_categories"]))
        + " · "
        + t("Valid to {date}", date=show(card["licence_valid_to"]))
    )
    trips_tab()


st.title(t("Employees"))
options = employees.filter_options(uow(), actor)  # the two catalogs' entries
catalog = Catalog(
    key=P,
    entity_type="employee",
    title_of=lambda r: f"{r['full_name']} ({r['code']})",
    columns=[
        Column("code", N_("Code"), width=110),
        Column("full_name", N_("Full name"), width=220),
        Column("position", N_("Position"), "name"),
        Column("department", N_("Department"), "name"),
        Column("phone", N_("Phone")),
        Column("email", N_("E-mail")),
        Column("hire_date", N_("Hire date"), "date"),
        Column("archived", N_("Archived"), "bool", width=100),
    ],
    list_page=lambda q: employees.list_employees(uow(), actor, q),
    export_rows=lambda q: employees.export_employees(uow(), actor, q),
    default_sort="full_name",
    sort_keys=["full_name", "code", "department", "position", "hire_date"],
    filters=[
        Filter("department", N_("Department"), [(str(i), label("name", n)) for i, n in options["department"]]),
        Filter("position", N_("Position"), [(str(i), label("name", n)) for i, n in options["position"]]),
    ],
    render_details=render_details,
    extra_tabs=[(N_("Driver card"), render_driver_card)],
    render_add=render_add,
    can_edit=can_edit,
    add_label=N_("Add employee"),
    search_placeholder=N_("Name, code, phone, e-mail..."),
)
render_catalog(catalog)
