"""The catalog of vehicles (tractors, trucks, vans) or of trailers: the list with each
unit's documents' state, the add form, a unit's card and its tabs (SPEC F1, F2, F3, F7, U1)."""

from __future__ import annotations

from functools import partial
from typing import Any

import streamlit as st

from common.actor import Actor
from common.i18n import N_
from common.roles import CAN_EDIT_FLEET
from core.services import fleet
from core.services.listing import ListQuery, PageResult
from db.models.fleet import STATUSES
from ui.attachments import photo_or_icon
from ui.catalog import Catalog, Column, Filter, open_record
from ui.context import t, uow
from ui.fleet.couplings import couplings_tab
from ui.fleet.documents import documents_tab
from ui.fleet.maintenance import maintenance_tab
from ui.fleet.odometer import odometer_tab
from ui.fleet.repairs import repairs_tab
from ui.fleet.status import badge
from ui.fleet.trips import trips_tab
from ui.fleet.unit_form import unit_form
from ui.formatting import Markdown, esc, show
from ui.forms import edit_version, run_action, run_edit
from ui.labels import label, options


def catalog_key(kind: str) -> str:
    """The catalog's (and its session keys') prefix: "vehicles" or "trailers"."""
    return "trailers" if kind == "trailer" else "vehicles"


def _shown(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows as the grid shows them: the documents' state (decided by the service) labelled."""
    for r in rows:
        r["documents"] = label("document_state", r["documents_state"]) + (
            f" · {show(r['docs_until'])}" if r.get("docs_until") else ""
        )
        r["unit_type"] = label("unit_type", r["unit_type"])
        r["status"] = label("vehicle_status", r["status"])
    return rows


def _list_page(actor: Actor, kind: str, q: ListQuery) -> PageResult:
    page = fleet.list_units(uow(), actor, kind, q)
    _shown(page.rows)
    return page


def _export_rows(actor: Actor, kind: str, q: ListQuery) -> list[dict[str, Any]]:
    return _shown(fleet.export_units(uow(), actor, kind, q))


def _render_add(actor: Actor, kind: str) -> None:
    prefix = catalog_key(kind)
    initial = {"unit_type": "trailer" if kind == "trailer" else "tractor"}
    entered = unit_form(f"{prefix}_add_form", kind, initial, actor, N_("Save"), disabled=False)
    if entered is None:
        return
    ok, new_id = run_action(
        lambda: fleet.create_unit(uow(), actor, entered.data, entered.odometer_km),
        entered.slots,
        success=N_("The unit was added."),
    )
    if ok and new_id is not None:
        open_record(prefix, new_id)
        st.rerun()


def _render_details(actor: Actor, kind: str, unit_id: int) -> None:
    prefix = catalog_key(kind)
    can_edit = actor.role in CAN_EDIT_FLEET
    u = fleet.get_unit(uow(), actor, unit_id)
    head = st.columns([1, 5])
    photo_or_icon(head[0], u["photo_id"], Markdown(":material/local_shipping:"))
    documents = fleet.documents_state(uow(), actor, vehicle_id=unit_id)
    head[1].markdown(
        f"### {esc(u['plate'])}  \n{esc(label('unit_type', u['unit_type']))} · "
        f"{esc(' '.join(filter(None, (u['make'], u['model']))))} · "
        f"{show(u['odometer_km'], 'number')} km · {esc(label('vehicle_status', u['status']))}  \n"
        + t("Documents:")
        + " "
        + badge(documents)
    )
    archived = u["archived_at"] is not None
    if archived:
        head[1].warning(t("Archived on {date}", date=show(u["archived_at"])))
    form_key = f"{prefix}_edit_{unit_id}"
    edit_version(form_key, u["version"])
    entered = unit_form(form_key, kind, u, actor, N_("Save changes"), disabled=not can_edit or archived)
    if entered is not None:
        ok, changed = run_edit(
            form_key,
            lambda v: fleet.update_unit(uow(), actor, unit_id, entered.data, expected_version=v),
            entered.slots,
        )
        if ok:
            st.toast(t("Saved.") if changed else t("Nothing changed."))
    if can_edit and st.button(t("Restore") if archived else t("Archive"), key=f"{prefix}_archive_{unit_id}"):
        ok, _ = run_action(lambda: fleet.set_unit_archived(uow(), actor, unit_id, not archived))
        if ok:
            st.rerun()


def _tabs(actor: Actor, kind: str) -> list[tuple[str, Any]]:
    prefix = catalog_key(kind)
    tabs: list[tuple[str, Any]] = [
        (N_("Documents"), partial(_documents, actor, prefix, kind)),
        (N_("Repairs"), partial(_with_unit, repairs_tab, actor, prefix)),
        (N_("Maintenance"), partial(_with_unit, maintenance_tab, actor, prefix)),
        (N_("Couplings"), partial(_couplings, actor, kind, prefix)),
    ]
    if kind != "trailer":
        tabs.insert(1, (N_("Odometer"), partial(_with_unit, odometer_tab, actor, prefix)))
    tabs.append((N_("Trips"), _trips))
    return tabs


def _documents(actor: Actor, prefix: str, kind: str, unit_id: int) -> None:
    documents_tab(actor, prefix, vehicle_id=unit_id, applies_to=kind)


def _with_unit(tab: Any, actor: Actor, prefix: str, unit_id: int) -> None:
    tab(actor, unit_id, prefix)


def _couplings(actor: Actor, kind: str, prefix: str, unit_id: int) -> None:
    couplings_tab(actor, unit_id, kind, prefix)


def _trips(unit_id: int) -> None:
    trips_tab()


def _title(row: dict[str, Any]) -> str:
    return f"{row['plate']} · {row.get('make') or ''} {row.get('model') or ''}".strip()


def unit_catalog(actor: Actor, kind: str) -> Catalog:
    """The catalog of vehicles (kind "vehicle") or trailers ("trailer") for `actor`."""
    categories = fleet.list_categories(uow(), actor, "trailer" if kind == "trailer" else "vehicle")
    filters = [
        Filter("status", N_("Status"), options("vehicle_status", STATUSES)),
        Filter("category", N_("Category"), [(c["name"], label("name", c["name"])) for c in categories]),
    ]
    if kind != "trailer":
        filters.insert(0, Filter("unit_type", N_("Type"), options("unit_type", ("tractor", "truck", "van"))))
    return Catalog(
        key=catalog_key(kind),
        entity_type="vehicle",
        title_of=_title,
        columns=[
            Column("plate", N_("Plate"), width=120),
            Column("unit_type", N_("Type"), width=100),
            Column("make", N_("Make")),
            Column("model", N_("Model")),
            Column("category", N_("Category"), "name"),
            Column("status", N_("Status"), width=110),
            *([Column("odometer_km", N_("Odometer (km)"), "number")] if kind != "trailer" else []),
            Column("payload_kg", N_("Payload (kg)"), "number"),
            Column("documents", N_("Documents"), "status", width=200),
        ],
        list_page=partial(_list_page, actor, kind),
        export_rows=partial(_export_rows, actor, kind),
        default_sort="plate",
        sort_keys=["plate", "make", "status", *(["odometer_km"] if kind != "trailer" else [])],
        filters=filters,
        render_details=partial(_render_details, actor, kind),
        render_add=partial(_render_add, actor, kind),
        extra_tabs=_tabs(actor, kind),
        can_edit=actor.role in CAN_EDIT_FLEET,
        add_label=N_("Add trailer") if kind == "trailer" else N_("Add vehicle"),
        search_placeholder=N_("Plate, VIN, make, model..."),
    )
