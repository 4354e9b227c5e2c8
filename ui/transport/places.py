"""The Places screen's pieces: the list's rows as shown, the add form, a place's card with
its edit form, and its Distances tab (SPEC T2)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from common.actor import Actor
from common.i18n import N_
from common.roles import CAN_EDIT_PLACES
from core.places import country_name
from core.services import transport
from core.services.listing import ListQuery, PageResult
from ui.catalog import open_record
from ui.context import language, t, uow
from ui.formatting import esc, show
from ui.forms import edit_version, run_action, run_edit
from ui.grid import Column, table
from ui.labels import label, labels
from ui.transport.distances import lookup
from ui.transport.place_form import coordinate, place_form

P = "places"


def shown(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows as the grid shows them: coordinates in decimal degrees as stored."""
    for r in rows:
        r["latitude"], r["longitude"] = coordinate(r["latitude"]), coordinate(r["longitude"])
    return rows


def list_page(actor: Actor, q: ListQuery) -> PageResult:
    page = transport.list_places(uow(), actor, q)
    shown(page.rows)
    return page


def export_rows(actor: Actor, q: ListQuery) -> list[dict[str, Any]]:
    return shown(transport.export_places(uow(), actor, q))


def place_add(actor: Actor) -> None:
    entered = place_form(f"{P}_add_form", {}, actor, N_("Save"), disabled=False)
    if entered is None:
        return
    ok, new_id = run_action(
        lambda: transport.create_place(uow(), actor, entered.data), entered.slots, success=N_("The place was added.")
    )
    if ok and new_id is not None:
        open_record(P, new_id)
        st.rerun()


def place_details(actor: Actor, place_id: int) -> None:
    can_edit = actor.role in CAN_EDIT_PLACES
    p = transport.get_place(uow(), actor, place_id)
    where = " · ".join(x for x in (p["region"] or "", country_name(p["country"], language())) if x)
    st.markdown(
        f"### {esc(p['name'])}  \n{esc(label('place_kind', p['kind']))} · {esc(where)}  \n"
        + t("Coordinates {lat}, {lon}", lat=coordinate(p["latitude"]), lon=coordinate(p["longitude"]))
        + (f"  \n{t('Client')}: {esc(p['client'])}" if p["client"] else "")
    )
    archived = p["archived_at"] is not None
    if archived:
        st.warning(t("Archived on {date}", date=show(p["archived_at"])))
    form_key = f"{P}_edit_{place_id}"
    edit_version(form_key, p["version"])
    entered = place_form(form_key, p, actor, N_("Save changes"), disabled=not can_edit or archived)
    if entered is not None:
        ok, changed = run_edit(
            form_key,
            lambda v: transport.update_place(uow(), actor, place_id, entered.data, expected_version=v),
            entered.slots,
        )
        if ok:
            st.toast(t("Saved.") if changed else t("Nothing changed."))
    if can_edit and st.button(t("Restore") if archived else t("Archive"), key=f"{P}_archive_{place_id}"):
        ok, _ = run_action(lambda: transport.set_place_archived(uow(), actor, place_id, not archived))
        if ok:
            st.rerun()


DISTANCE_COLUMNS = [
    Column("from_name", N_("From"), width=180),
    Column("to_name", N_("To"), width=180),
    Column("km", N_("Road km"), "number"),
    Column("hours", N_("Typical hours"), "number"),
    Column("source", N_("Source"), labels=labels("distance_source")),
]


def place_distances(actor: Actor, place_id: int) -> None:
    """How far from this place to any other, and the rows of the table that start or end here."""
    st.markdown(t("**Distance to another place**"))
    lookup(actor, f"{P}_lookup_{place_id}", transport.place_choices(uow(), actor, keep=(place_id,)), from_id=place_id)
    rows = transport.export_distances(
        uow(), actor, ListQuery(filters=(("place", str(place_id)),), include_archived=True)
    )
    if rows:
        st.markdown(t("**In the distance table**"))
        table(rows, DISTANCE_COLUMNS, key=f"{P}_distances_{place_id}")
    else:
        st.caption(t("No distance from or to this place is in the table yet."))
