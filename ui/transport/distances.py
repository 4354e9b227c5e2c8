"""The distance table's pieces: a distance as the screens show it (where it comes from, an
estimate marked), the lookup between two places, the add and edit forms, the import."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import streamlit as st

from common.actor import Actor
from common.i18n import N_
from common.roles import CAN_EDIT_PLACES
from core.places import ESTIMATE_NOTE, DistanceInfo
from core.services import transport
from core.services.listing import ListQuery, PageResult
from core.services.transport import DistanceInput
from ui.catalog import open_record
from ui.context import runtime, t, uow
from ui.formatting import esc, show
from ui.forms import FieldSlots, edit_version, run_action, run_edit
from ui.importer import import_form
from ui.labels import label

P = "distances"


def info_line(info: DistanceInfo) -> str:
    """ "135 km · 3.3 h · Company table", an estimate with "≈" before it."""
    line = t(
        "{km} km · {hours} h · {source}",
        km=show(info.km, "number"),
        hours=show(info.hours.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), "number"),
        source=label("distance_source", info.source),
    )
    return f"≈ {line}" if info.is_estimate else line


def show_info(info: DistanceInfo) -> None:
    (st.warning if info.is_estimate else st.success)(info_line(info))
    if info.is_estimate:
        st.caption(t(ESTIMATE_NOTE) + " " + t("Enter the road distance in the table to replace it."))
    elif info.hours_estimated:
        st.caption(t("The table gives no typical hours for this pair: the hours are at the average speed."))


def lookup(actor: Actor, key: str, choices: list[tuple[int, str]], from_id: int | None = None) -> None:
    """How far between two places, and where the number comes from."""
    names = dict(choices)
    c = st.columns(2)
    origin = c[0].selectbox(
        t("From"),
        [None, *names] if from_id is None else [from_id],
        format_func=lambda i: "" if i is None else names.get(i, ""),
        key=f"{key}_from",
        disabled=from_id is not None,  # a place's own tab: from this place
    )
    others = [i for i in names if i != origin]
    target = c[1].selectbox(
        t("To"), [None, *others], format_func=lambda i: "" if i is None else names[i], key=f"{key}_to"
    )
    if origin is not None and target is not None:
        show_info(transport.distance(uow(), origin, target))


def routing_caption() -> None:
    server = runtime().outbound.routing
    if server is None:
        st.caption(t("No routing server is set: a pair that is not in the table is estimated."))
    else:
        st.caption(
            t(
                "Routing server: {kind} at {url}. Its answers are kept here as a cache.",
                kind=server.kind,
                url=server.url,
            )
        )


def distance_form(
    key: str, initial: dict[str, Any], choices: list[tuple[int, str]], disabled: bool
) -> tuple[DistanceInput, FieldSlots] | None:
    slots = FieldSlots()
    names = dict(choices)
    ids = [None, *names]
    fixed = "id" in initial  # a saved row: its pair stays, km and hours change
    with st.form(key):
        c = st.columns(4)
        with c[0]:
            origin = st.selectbox(
                t("From") + " *",
                ids,
                index=ids.index(initial.get("from_place_id")) if initial.get("from_place_id") in ids else 0,
                format_func=lambda i: "" if i is None else names[i],
                disabled=disabled or fixed,
            )
            slots.slot("from_place_id")
        with c[1]:
            target = st.selectbox(
                t("To") + " *",
                ids,
                index=ids.index(initial.get("to_place_id")) if initial.get("to_place_id") in ids else 0,
                format_func=lambda i: "" if i is None else names[i],
                disabled=disabled or fixed,
            )
            slots.slot("to_place_id")
        with c[2]:
            km = st.text_input(t("Road km") + " *", str(initial.get("km") or ""), disabled=disabled)
            slots.slot("km")
        with c[3]:
            hours = st.text_input(
                t("Typical hours"),
                str(initial.get("hours") or ""),
                help=t("3.5 or 3:30; empty: worked out from the average speed."),
                disabled=disabled,
            )
            slots.slot("hours")
        submitted = st.form_submit_button(t("Save to the company table"), type="primary", disabled=disabled)
    if not submitted:
        return None
    return DistanceInput(origin, target, km, hours), slots


def distance_add(actor: Actor) -> None:
    st.caption(t("A distance serves the way back too, unless the way back has a row of its own."))
    entered = distance_form(f"{P}_add_form", {}, transport.place_choices(uow(), actor), disabled=False)
    if entered is None:
        return
    data, slots = entered
    ok, new_id = run_action(lambda: transport.set_distance(uow(), actor, data), slots, success=N_("Saved."))
    if ok and new_id is not None:
        open_record(P, new_id)
        st.rerun()


def distance_details(actor: Actor, distance_id: int) -> None:
    can_edit = actor.role in CAN_EDIT_PLACES
    row = transport.get_distance(uow(), actor, distance_id)
    st.markdown(
        f"### {esc(row['from_name'])} → {esc(row['to_name'])}  \n"
        + t("{km} km · {source}", km=show(row["km"], "number"), source=label("distance_source", row["source"]))
    )
    back = row["way_back"]
    if back is None:
        st.caption(t("The way back uses this row too."))
    else:
        st.caption(
            t(
                "The way back has its own row: {km} km ({source}).",
                km=show(back["km"], "number"),
                source=label("distance_source", back["source"]),
            )
        )
    if row["source"] == "routing":
        st.info(t("The routing server's answer, kept as a cache. Save it to make it the company's own."))
    form_key = f"{P}_edit_{distance_id}"
    edit_version(form_key, int(row["version"]))
    choices = transport.place_choices(uow(), actor, keep=(row["from_place_id"], row["to_place_id"]))
    entered = distance_form(form_key, row, choices, disabled=not can_edit)
    if entered is not None:
        data, slots = entered
        run_edit(
            form_key,
            lambda v: transport.set_distance(uow(), actor, data, expected_version=v),
            slots,
            success=N_("Saved."),
        )
    if can_edit and st.button(t("Remove from the table"), key=f"{P}_remove_{distance_id}", icon=":material/delete:"):
        ok, _ = run_action(
            lambda: transport.remove_distance(uow(), actor, distance_id, expected_version=int(row["version"])),
            success=N_("Removed: the distance now comes from the way back, the routing server or the estimate."),
        )
        if ok:
            st.session_state.pop(f"{P}_selected", None)
            st.rerun()


def shown(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for r in rows:
        r["route"] = f"{r['from_name']} → {r['to_name']}"
    return rows


def list_page(actor: Actor, q: ListQuery) -> PageResult:
    page = transport.list_distances(uow(), actor, q)
    shown(page.rows)
    return page


def export_rows(actor: Actor, q: ListQuery) -> list[dict[str, Any]]:
    return shown(transport.export_distances(uow(), actor, q))


def import_box(actor: Actor, kind: str, prefix: str) -> None:
    """Places or distances from CSV or Excel, with a per-row report."""
    if actor.role not in CAN_EDIT_PLACES:
        return
    with st.popover(t("Import"), icon=":material/upload:"):
        st.caption(
            t(
                "CSV or Excel with one row per record. Valid rows are imported; invalid rows are listed "
                "with the reason and nothing of them is saved."
            )
        )
        fields = transport.PLACE_FIELDS if kind == "places" else transport.DISTANCE_FIELDS
        st.caption(t("Columns: {columns}", columns=", ".join(fields.known)))
        st.download_button(
            t("Download a template"),
            transport.template_csv(kind),
            file_name=f"{kind}-template.csv",
            mime="text/csv",
            key=f"{prefix}_import_template",
        )
        import_form(actor, kind, prefix)
