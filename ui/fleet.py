"""Fleet screens' shared pieces: unit form and the tabs of a unit or a driver."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from common.actor import Actor
from common.i18n import N_
from common.roles import CAN_EDIT_FLEET
from core.fleet import FUEL_LABELS, LICENCE_CATEGORIES, STATUS_LABELS, UNIT_LABELS, document_status
from core.services import fleet, fleet_docs
from core.services.fleet import PartLine, RepairInput, UnitInput
from core.services.fleet_docs import DocumentInput
from db.models.fleet import FUEL_TYPES, STATUSES
from ui.attachments import attachments_tab, photo_or_icon
from ui.context import t, uow
from ui.formatting import show
from ui.forms import FieldSlots, run_action, show_import_report
from ui.grid import table

STATE_LABELS = {"valid": N_("Valid"), "expiring": N_("Expiring"), "expired": N_("Expired"), "none": N_("No documents")}
STATE_BADGE = {"valid": "green", "expiring": "orange", "expired": "red", "none": "gray"}


def doc_state(valid_to: dt.date | None, warn_days: int, today: dt.date | None = None) -> str:
    if valid_to is None:
        return "none"
    return document_status(valid_to, today or dt.date.today(), warn_days)


def badge(state: str, text: str | None = None) -> str:
    return f":{STATE_BADGE[state]}-badge[{text or t(STATE_LABELS[state])}]"


def _num(value: Any) -> str:
    return "" if value is None else str(value)


def unit_form(
    key: str,
    kind: str,
    initial: dict[str, Any],
    actor: Actor,
    on_submit,
    submit_label: str,  # type: ignore[no-untyped-def]
    disabled: bool,
) -> None:
    slots = FieldSlots()
    categories = fleet.list_categories(uow(), actor, "trailer" if kind == "trailer" else "vehicle")
    people = fleet.responsible_choices(uow(), actor)
    types = ["trailer"] if kind == "trailer" else ["tractor", "truck", "van"]
    with st.form(key):
        c1, c2, c3 = st.columns(3)
        with c1:
            unit_type = st.selectbox(
                t("Type"),
                types,
                index=types.index(initial.get("unit_type", types[0])),
                format_func=lambda u: t(UNIT_LABELS[u]),
                disabled=disabled,
            )
            slots.slot("unit_type")
            plate = st.text_input(
                t("Plate") + " *", initial.get("plate", ""), placeholder="RAB 123 A", disabled=disabled
            )
            slots.slot("plate")
            vin = st.text_input(t("VIN"), initial.get("vin") or "", max_chars=17, disabled=disabled)
            slots.slot("vin")
            make = st.text_input(t("Make"), initial.get("make") or "", disabled=disabled)
            slots.slot("make")
            model = st.text_input(t("Model"), initial.get("model") or "", disabled=disabled)
            slots.slot("model")
            year = st.text_input(t("Year of manufacture"), _num(initial.get("year")), disabled=disabled)
            slots.slot("year")
        with c2:
            cat_ids = [None, *[c["id"] for c in categories]]
            names = {c["id"]: c["name"] for c in categories}
            category_id = st.selectbox(
                t("Category"),
                cat_ids,
                index=cat_ids.index(initial.get("category_id")) if initial.get("category_id") in cat_ids else 0,
                format_func=lambda i: "" if i is None else t(names[i]),
                disabled=disabled,
            )
            slots.slot("category_id")
            body_type = st.text_input(t("Body type"), initial.get("body_type") or "", disabled=disabled)
            slots.slot("body_type")
            payload = st.text_input(t("Payload (kg)"), _num(initial.get("payload_kg")), disabled=disabled)
            slots.slot("payload_kg")
            volume = st.text_input(t("Volume (m³)"), _num(initial.get("volume_m3")), disabled=disabled)
            slots.slot("volume_m3")
            pallets = st.text_input(t("Pallets"), _num(initial.get("pallets")), disabled=disabled)
            slots.slot("pallets")
            axles = st.text_input(t("Axles"), _num(initial.get("axles")), disabled=disabled)
            slots.slot("axles")
        with c3:
            status = st.selectbox(
                t("Status"),
                STATUSES,
                index=STATUSES.index(initial.get("status", "active")),
                format_func=lambda s: t(STATUS_LABELS[s]),
                disabled=disabled,
            )
            slots.slot("status")
            fuels = [f for f in FUEL_TYPES if f != "none"] if kind != "trailer" else ["none"]
            fuel_type = st.selectbox(
                t("Fuel"),
                fuels,
                index=fuels.index(initial.get("fuel_type", fuels[0]))
                if initial.get("fuel_type", fuels[0]) in fuels
                else 0,
                format_func=lambda f: t(FUEL_LABELS[f]),
                disabled=disabled or kind == "trailer",
            )
            slots.slot("fuel_type")
            licence = st.selectbox(
                t("Licence category needed"),
                ["", *LICENCE_CATEGORIES],
                index=(["", *LICENCE_CATEGORIES]).index(initial.get("required_licence") or ""),
                disabled=disabled or kind == "trailer",
            )
            slots.slot("required_licence")
            max_speed = st.text_input(
                t("Maximum speed (km/h)"), _num(initial.get("max_speed_kmh")), disabled=disabled or kind == "trailer"
            )
            slots.slot("max_speed_kmh")
            person_ids = [None, *[p[0] for p in people]]
            person_names = dict(people)
            responsible = st.selectbox(
                t("Responsible person"),
                person_ids,
                index=person_ids.index(initial.get("responsible_user_id"))
                if initial.get("responsible_user_id") in person_ids
                else 0,
                format_func=lambda i: "" if i is None else person_names[i],
                disabled=disabled,
            )
            slots.slot("responsible_user_id")
            purchase_date = st.date_input(
                t("Purchase date"),
                initial.get("purchase_date"),
                format="DD/MM/YYYY",
                min_value=dt.date(1970, 1, 1),
                disabled=disabled,
            )
            slots.slot("purchase_date")
            purchase_price = st.text_input(t("Purchase price"), _num(initial.get("purchase_price")), disabled=disabled)
            slots.slot("purchase_price")
        norms = {}
        if kind != "trailer":
            st.markdown(f"**{t('Fuel consumption norm')}**")
            n = st.columns(6)
            fields = [
                ("fuel_norm_l_100km", N_("Litres per 100 km")),
                ("norm_per_tonne_100km", N_("Extra l/100 km per tonne")),
                ("trailer_pct", N_("With trailer, %")),
                ("winter_pct", N_("Winter, %")),
                ("city_pct", N_("City, %")),
                ("hvac_l_per_hour", N_("A/C or reefer, l/hour")),
            ]
            for col, (name, label) in zip(n, fields, strict=True):
                with col:
                    norms[name] = st.text_input(t(label), _num(initial.get(name)), disabled=disabled)
                    slots.slot(name)
        odometer = None
        if "id" not in initial and kind != "trailer":
            odometer = st.text_input(t("Odometer now (km)"), "", disabled=disabled)
            slots.slot("odometer_km")
        notes = st.text_area(t("Notes"), initial.get("notes") or "", disabled=disabled, height=80)
        submitted = st.form_submit_button(t(submit_label), type="primary", disabled=disabled)
    if submitted:
        data = UnitInput(
            unit_type=unit_type,
            plate=plate,
            vin=vin,
            make=make,
            model=model,
            year=year or None,
            category_id=category_id,
            body_type=body_type,
            fuel_type=fuel_type,
            required_licence=licence,
            max_speed_kmh=max_speed or None,
            payload_kg=payload or None,
            volume_m3=volume,
            pallets=pallets or None,
            axles=axles or None,
            status=status,
            purchase_date=purchase_date,
            purchase_price=purchase_price,
            responsible_user_id=responsible,
            notes=notes,
            **norms,
        )
        km: int | None = None
        if odometer and odometer.strip():
            if not odometer.strip().isdigit():
                slots.slots["odometer_km"].error(t("Enter a whole number."), icon=":material/error:")
                return
            km = int(odometer.strip())
        on_submit(data, km, slots)


def documents_tab(
    actor: Actor, prefix: str, *, vehicle_id: int | None = None, employee_id: int | None = None, applies_to: str
) -> None:
    can_edit = actor.role in CAN_EDIT_FLEET
    owner_id = vehicle_id if vehicle_id is not None else employee_id
    docs = fleet_docs.list_documents(uow(), actor, vehicle_id=vehicle_id, employee_id=employee_id)
    missing = fleet_docs.missing_required(uow(), actor, vehicle_id=vehicle_id, employee_id=employee_id)
    if missing:
        st.error(t("Required for dispatch and missing: {names}", names=", ".join(t(m) for m in missing)))
    if not docs:
        st.caption(t("No documents yet."))
    for d in docs:
        with st.container(border=True):
            cols = st.columns([3, 2, 2, 2, 1])
            cols[0].markdown(
                f"**{t(d['type'])}**"
                + (f" · `{d['number']}`" if d["number"] else "")
                + (f"  \n{d['issuer']}" if d["issuer"] else "")
            )
            cols[1].markdown(badge(d["status"]))
            cols[2].markdown(t("Valid to {date}", date=show(d["valid_to"])))
            cols[3].caption(t("Required for dispatch") if d["required"] else "")
            if can_edit and cols[4].button(t("Archive"), key=f"{prefix}_doc_arch_{d['id']}"):
                ok, _ = run_action(
                    lambda did=d["id"]: fleet_docs.archive_document(uow(), actor, did),
                    success=N_("The document was archived."),
                )
                if ok:
                    st.rerun()
            with st.expander(t("Scans of this document")):
                attachments_tab("document", d["id"], can_edit, f"{prefix}_docscan")
    if can_edit:
        types = fleet_docs.list_document_types(uow(), actor, applies_to)
        st.markdown(f"**{t('Add a document')}**")
        slots = FieldSlots()
        with st.form(f"{prefix}_doc_add_{owner_id}", clear_on_submit=True):
            c = st.columns(3)
            type_ids = [None, *[x["id"] for x in types]]
            names = {x["id"]: t(x["name"]) + (" *" if x["required"] else "") for x in types}
            type_id = c[0].selectbox(t("Document type"), type_ids, format_func=lambda i: "" if i is None else names[i])
            with c[0]:
                slots.slot("type_id")
            number = c[1].text_input(t("Number"))
            issuer = c[2].text_input(t("Issued by"))
            c2 = st.columns(3)
            valid_from = c2[0].date_input(t("Valid from"), None, format="DD/MM/YYYY")
            valid_to = c2[1].date_input(
                t("Valid to") + " *", None, format="DD/MM/YYYY", max_value=dt.date(2100, 12, 31)
            )
            with c2[1]:
                slots.slot("valid_to")
            scan = c2[2].file_uploader(t("Scan (optional)"), type=["pdf", "jpg", "jpeg", "png"])
            with c2[2]:
                slots.slot("file")
            submitted = st.form_submit_button(t("Add document"), type="primary")
        if submitted:
            data = DocumentInput(
                type_id=type_id, valid_to=valid_to, number=number, issuer=issuer, valid_from=valid_from
            )
            ok, doc_id = run_action(
                lambda: fleet_docs.save_document(uow(), actor, data, vehicle_id=vehicle_id, employee_id=employee_id),
                slots,
                success=N_("The document was added."),
            )
            attached = True
            if ok and scan is not None and doc_id is not None:
                from core.services.attachments import add_attachment

                attached, _ = run_action(
                    lambda: add_attachment(uow(), actor, "document", doc_id, scan.name, scan.getvalue()), slots
                )
                if not attached:  # the document is saved; say so, and keep the file's error on screen
                    st.warning(t("The document was saved without its scan; attach the scan below it."))
            if ok and attached:
                st.rerun()


def odometer_tab(actor: Actor, unit_id: int, prefix: str) -> None:
    if actor.role in CAN_EDIT_FLEET:
        slots = FieldSlots()
        with st.form(f"{prefix}_odo_{unit_id}", clear_on_submit=True):
            c = st.columns(4)
            km = c[0].number_input(t("Kilometres"), min_value=0, step=1, value=None)
            with c[0]:
                slots.slot("km")
            day = c[1].date_input(t("Date"), dt.date.today(), format="DD/MM/YYYY")
            at = c[2].time_input(t("Time"), dt.datetime.now().time().replace(second=0, microsecond=0))
            with c[1]:
                slots.slot("read_at")
            note = c[3].text_input(t("Note"))
            submitted = st.form_submit_button(t("Add reading"), type="primary")
        if submitted:
            if km is None:
                slots.slots["km"].error(t("Enter the kilometres."), icon=":material/error:")
            else:
                from zoneinfo import ZoneInfo

                from ui.context import company_locale

                moment = dt.datetime.combine(day, at, tzinfo=ZoneInfo(company_locale()[1]))
                ok, _ = run_action(
                    lambda: fleet.add_reading(uow(), actor, unit_id, int(km), moment, note),
                    slots,
                    success=N_("The reading was added."),
                )
                if ok:
                    st.rerun()
    rows = fleet.list_readings(uow(), actor, unit_id)
    if not rows:
        st.caption(t("No readings yet."))
        return
    table(
        pd.DataFrame(
            [
                {
                    t("When"): show(r["read_at"]),
                    t("Kilometres"): show(r["km"], "number"),
                    t("Source"): r["source"],
                    t("Note"): r["note"] or "",
                    t("Who"): r["username"] or "",
                }
                for r in rows
            ]
        ),
        key=f"{prefix}_odo_grid_{unit_id}",
    )


def repairs_tab(actor: Actor, unit_id: int, prefix: str) -> None:
    plans = fleet.list_plans(uow(), actor, unit_id)
    if actor.role in CAN_EDIT_FLEET:
        with st.expander(t("Record repair or maintenance work"), expanded=False):
            slots = FieldSlots()
            with st.form(f"{prefix}_repair_{unit_id}", clear_on_submit=True):
                c = st.columns(4)
                work_date = c[0].date_input(t("Date"), dt.date.today(), format="DD/MM/YYYY")
                with c[0]:
                    slots.slot("work_date")
                km = c[1].number_input(t("Odometer (km)"), min_value=0, step=1, value=None)
                with c[1]:
                    slots.slot("km")
                place = c[2].text_input(t("Where"))
                labour = c[3].text_input(t("Labour cost"), "0")
                with c[3]:
                    slots.slot("labour_cost")
                plan_ids = [None, *[p["id"] for p in plans]]
                plan_names = {p["id"]: p["name"] for p in plans}
                plan_id = st.selectbox(
                    t("Maintenance plan done (optional)"),
                    plan_ids,
                    format_func=lambda i: "" if i is None else plan_names[i],
                )
                work = st.text_area(t("Work done") + " *", height=80)
                slots.slot("work_done")
                st.caption(t("Parts (name, quantity, unit price)"))
                lines = st.data_editor(
                    pd.DataFrame({"name": [""] * 3, "quantity": [""] * 3, "price": [""] * 3}),
                    num_rows="dynamic",
                    key=f"{prefix}_parts_{unit_id}",
                    hide_index=True,
                )
                for i in range(1, 11):
                    slots.slot(f"part_{i}")
                submitted = st.form_submit_button(t("Save work"), type="primary")
            if submitted:
                parts = [
                    PartLine(str(r["name"] or ""), str(r["quantity"] or ""), str(r["price"] or ""))
                    for _, r in lines.iterrows()
                ]
                data = RepairInput(
                    work_date=work_date,
                    work_done=work,
                    odometer_km=int(km) if km is not None else None,
                    place=place,
                    labour_cost=labour,
                    plan_id=plan_id,
                    parts=parts,
                )
                ok, _ = run_action(
                    lambda: fleet.add_repair(uow(), actor, unit_id, data), slots, success=N_("The work was recorded.")
                )
                if ok:
                    st.rerun()
    rows = fleet.list_repairs(uow(), actor, unit_id)
    if not rows:
        st.caption(t("No repairs recorded."))
        return
    total = sum(r["total_cost"] for r in rows)
    st.markdown(t("Repairs and maintenance: {n} records, {total} in all", n=len(rows), total=show(total)))
    table(
        pd.DataFrame(
            [
                {
                    t("Date"): show(r["work_date"]),
                    t("Odometer (km)"): show(r["odometer_km"], "number"),
                    t("Work done"): r["work_done"],
                    t("Where"): r["place"] or "",
                    t("Plan"): r["plan"] or "",
                    t("Parts"): show(r["parts_cost"]),
                    t("Labour"): show(r["labour_cost"]),
                    t("Total"): show(r["total_cost"]),
                }
                for r in rows
            ]
        ),
        key=f"{prefix}_repairs_grid_{unit_id}",
        wide=t("Work done"),
    )


PLAN_BADGE = {"ok": ("green", N_("Not due")), "due": ("orange", N_("Due soon")), "overdue": ("red", N_("Overdue"))}


def maintenance_tab(actor: Actor, unit_id: int, prefix: str) -> None:
    plans = fleet.list_plans(uow(), actor, unit_id)
    for p in plans:
        colour, label = PLAN_BADGE[p["state"]]
        every = " · ".join(
            x
            for x in (
                t("every {km} km", km=show(p["every_km"], "number")) if p["every_km"] else "",
                t("every {n} months", n=p["every_months"]) if p["every_months"] else "",
            )
            if x
        )
        nxt = " · ".join(
            x
            for x in (
                show(p["next_km"], "number") + " km" if p["next_km"] else "",
                show(p["next_date"]) if p["next_date"] else "",
            )
            if x
        )
        cols = st.columns([3, 3, 3, 1])
        cols[0].markdown(f"**{p['name']}**  \n{every}")
        cols[1].markdown(f":{colour}-badge[{t(label)}]  \n" + t("Next: {when}", when=nxt))
        cols[2].caption(
            t("Last done {date} at {km} km", date=show(p["last_done_date"]), km=show(p["last_done_km"], "number"))
        )
        if actor.role in CAN_EDIT_FLEET and cols[3].button(t("Archive"), key=f"{prefix}_plan_arch_{p['id']}"):
            ok, _ = run_action(lambda pid=p["id"]: fleet.archive_plan(uow(), actor, pid))
            if ok:
                st.rerun()
    if not plans:
        st.caption(t("No maintenance plans yet."))
    if actor.role in CAN_EDIT_FLEET:
        slots = FieldSlots()
        with st.form(f"{prefix}_plan_{unit_id}", clear_on_submit=True):
            c = st.columns(4)
            name = c[0].text_input(t("Maintenance"), placeholder=t("Oil change"))
            with c[0]:
                slots.slot("name")
            every_km = c[1].number_input(t("Every (km)"), min_value=0, step=1000, value=None)
            with c[1]:
                slots.slot("every_km")
            every_months = c[2].number_input(t("Every (months)"), min_value=0, step=1, value=None)
            with c[2]:
                slots.slot("every_months")
            last = c[3].date_input(t("Last done"), dt.date.today(), format="DD/MM/YYYY")
            submitted = st.form_submit_button(t("Add plan"))
        if submitted:
            ok, _ = run_action(
                lambda: fleet.add_plan(
                    uow(),
                    actor,
                    unit_id,
                    name,
                    int(every_km) if every_km else None,
                    int(every_months) if every_months else None,
                    last,
                ),
                slots,
                success=N_("The plan was added."),
            )
            if ok:
                st.rerun()


def couplings_tab(actor: Actor, unit_id: int, kind: str, prefix: str) -> None:
    rows = fleet.list_couplings(uow(), actor, unit_id)
    current = next((r for r in rows if r["uncoupled_at"] is None), None)
    if current:
        other = current["trailer"] if kind != "trailer" else current["tractor"]
        st.markdown(t("Coupled now with **{plate}** since {date}", plate=other, date=show(current["coupled_at"])))
        if actor.role in CAN_EDIT_FLEET and st.button(t("Uncouple"), key=f"{prefix}_uncouple_{unit_id}"):
            ok, _ = run_action(lambda: fleet.uncouple(uow(), actor, current["id"]))
            if ok:
                st.rerun()
    else:
        st.caption(t("Not coupled now."))
    if actor.role in CAN_EDIT_FLEET:
        choices = fleet.unit_choices(uow(), actor, "vehicle" if kind == "trailer" else "trailer")
        ids = [c[0] for c in choices if c[0] != unit_id]
        names = dict(choices)
        with st.form(f"{prefix}_couple_{unit_id}"):
            other_id = st.selectbox(t("Couple with"), [None, *ids], format_func=lambda i: "" if i is None else names[i])
            submitted = st.form_submit_button(t("Couple"))
        if submitted and other_id is not None:
            tractor_id, trailer_id = (other_id, unit_id) if kind == "trailer" else (unit_id, other_id)
            ok, _ = run_action(lambda: fleet.couple(uow(), actor, tractor_id, trailer_id), success=N_("Coupled."))
            if ok:
                st.rerun()
    if rows:
        table(
            pd.DataFrame(
                [
                    {
                        t("Tractor"): r["tractor"],
                        t("Trailer"): r["trailer"],
                        t("From"): show(r["coupled_at"]),
                        t("To"): show(r["uncoupled_at"]) if r["uncoupled_at"] else t("now"),
                    }
                    for r in rows
                ]
            ),
            key=f"{prefix}_couplings_grid_{unit_id}",
        )


def trips_tab() -> None:
    """SPEC F7: the trips of this unit or driver, with their actual cost, arrive with the
    transport work; the tab holds their place."""
    st.info(
        t(
            "Trips are recorded by the transport module. Once it is in use, every trip of this record "
            "appears here with its actual cost, for any period."
        )
    )


def import_box(actor: Actor, kind: str, prefix: str) -> None:
    """Import units or drivers from CSV/Excel, with a per-row report."""
    from core.imports import read_table
    from core.services.fleet_import import import_drivers, import_units, template_csv

    if actor.role not in CAN_EDIT_FLEET:
        return
    with st.popover(t("Import"), icon=":material/upload:"):
        st.caption(
            t(
                "CSV or Excel with one row per record. Valid rows are imported; invalid rows are listed "
                "with the reason and nothing of them is saved."
            )
        )
        st.download_button(
            t("Download a template"),
            template_csv(kind),
            file_name=f"{kind}-template.csv",
            mime="text/csv",
            key=f"{prefix}_import_template",
        )
        upload = st.file_uploader(t("File"), type=["csv", "xlsx"], key=f"{prefix}_import_file")
        if upload is not None and st.button(t("Import"), key=f"{prefix}_import_go", type="primary"):
            content = upload.getvalue()

            def run():  # type: ignore[no-untyped-def]
                rows = read_table(upload.name, content)
                if kind == "driver":
                    return import_drivers(uow(), actor, rows)
                return import_units(uow(), actor, kind, rows)

            ok, report = run_action(run)
            if ok and report is not None:
                st.session_state[f"{prefix}_import_report"] = report
        report = st.session_state.get(f"{prefix}_import_report")
        if report is not None:
            show_import_report(report)


def units_page(actor: Actor, kind: str) -> None:
    """The Vehicles (tractors, trucks, vans) or Trailers catalog."""
    from common.roles import CAN_VIEW_FLEET
    from core.services.fleet import export_units, get_unit, list_units, set_unit_archived
    from ui.catalog import Catalog, Column, Filter, open_record, render_catalog

    prefix = "trailers" if kind == "trailer" else "vehicles"
    can_edit = actor.role in CAN_EDIT_FLEET
    warn = fleet_docs.warn_days(uow(), actor)

    def with_state(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for r in rows:
            state = doc_state(r.get("docs_until"), warn)
            r["documents_state"] = state
            r["documents"] = t(STATE_LABELS[state]) + (f" · {show(r['docs_until'])}" if r.get("docs_until") else "")
            r["unit_type"] = t(UNIT_LABELS[r["unit_type"]])
            r["status"] = t(STATUS_LABELS[r["status"]])
        return rows

    def list_page(q):  # type: ignore[no-untyped-def]
        page = list_units(uow(), actor, kind, q)
        with_state(page.rows)
        return page

    def render_add() -> None:
        def save(data: UnitInput, km: int | None, slots: FieldSlots) -> None:
            ok, new_id = run_action(
                lambda: fleet.create_unit(uow(), actor, data, km), slots, success=N_("The unit was added.")
            )
            if ok:
                open_record(prefix, new_id)
                st.rerun()

        unit_form(
            f"{prefix}_add_form",
            kind,
            {"unit_type": "trailer" if kind == "trailer" else "tractor"},
            actor,
            save,
            N_("Save"),
            disabled=False,
        )

    def render_details(unit_id: int) -> None:
        u = get_unit(uow(), actor, unit_id)
        head = st.columns([1, 5])
        photo_or_icon(head[0], u["photo_id"], ":material/local_shipping:")
        docs = fleet_docs.list_documents(uow(), actor, vehicle_id=unit_id)
        newest: dict[int, dict[str, Any]] = {}
        for d in docs:  # a renewed document replaces the old one of its type
            if d["type_id"] not in newest or d["valid_to"] > newest[d["type_id"]]["valid_to"]:
                newest[d["type_id"]] = d
        states = [d["status"] for d in newest.values()]
        worst = "none" if not states else min(states, key=["expired", "expiring", "valid"].index)
        head[1].markdown(
            f"### {u['plate']}  \n{t(UNIT_LABELS[u['unit_type']])} · "
            f"{' '.join(filter(None, (u['make'], u['model'])))} · "
            f"{show(u['odometer_km'], 'number')} km · {t(STATUS_LABELS[u['status']])}  \n"
            + t("Documents:")
            + " "
            + badge(worst)
        )
        if u["archived_at"]:
            head[1].warning(t("Archived on {date}", date=show(u["archived_at"])))

        def save(data: UnitInput, km: int | None, slots: FieldSlots) -> None:
            ok, changed = run_action(lambda: fleet.update_unit(uow(), actor, unit_id, data), slots)
            if ok:
                st.toast(t("Saved.") if changed else t("Nothing changed."))

        unit_form(
            f"{prefix}_edit_{unit_id}",
            kind,
            u,
            actor,
            save,
            N_("Save changes"),
            disabled=not can_edit or u["archived_at"] is not None,
        )
        if can_edit:
            archived = u["archived_at"] is not None
            if st.button(t("Restore") if archived else t("Archive"), key=f"{prefix}_archive_{unit_id}"):
                ok, _ = run_action(lambda: set_unit_archived(uow(), actor, unit_id, not archived))
                if ok:
                    st.rerun()

    tabs = [
        (N_("Documents"), lambda uid: documents_tab(actor, prefix, vehicle_id=uid, applies_to=kind)),
        (N_("Repairs"), lambda uid: repairs_tab(actor, uid, prefix)),
        (N_("Maintenance"), lambda uid: maintenance_tab(actor, uid, prefix)),
        (N_("Couplings"), lambda uid: couplings_tab(actor, uid, kind, prefix)),
    ]
    if kind != "trailer":
        tabs.insert(1, (N_("Odometer"), lambda uid: odometer_tab(actor, uid, prefix)))
    tabs.append((N_("Trips"), lambda uid: trips_tab()))
    categories = fleet.list_categories(uow(), actor, "trailer" if kind == "trailer" else "vehicle")
    filters = [
        Filter("status", N_("Status"), [(s, t(STATUS_LABELS[s])) for s in STATUSES]),
        Filter("category", N_("Category"), [(c["name"], t(c["name"])) for c in categories]),
    ]
    if kind != "trailer":
        filters.insert(
            0, Filter("unit_type", N_("Type"), [(u, t(UNIT_LABELS[u])) for u in ("tractor", "truck", "van")])
        )
    st.title(t("Trailers") if kind == "trailer" else t("Vehicles"))
    import_box(actor, kind, prefix)
    render_catalog(
        Catalog(
            key=prefix,
            entity_type="vehicle",
            title_of=lambda r: f"{r['plate']} · {r.get('make') or ''} {r.get('model') or ''}".strip(),
            columns=[
                Column("plate", N_("Plate"), width=120),
                Column("unit_type", N_("Type"), width=100),
                Column("make", N_("Make")),
                Column("model", N_("Model")),
                Column("category", N_("Category")),
                Column("status", N_("Status"), width=110),
                *([Column("odometer_km", N_("Odometer (km)"), "number")] if kind != "trailer" else []),
                Column("payload_kg", N_("Payload (kg)"), "number"),
                Column("documents", N_("Documents"), "status", width=200),
            ],
            list_page=list_page,
            export_rows=lambda q: with_state(export_units(uow(), actor, kind, q)),
            default_sort="plate",
            sort_keys=["plate", "make", "status", "odometer_km", "year"],
            filters=filters,
            render_details=render_details,
            render_add=render_add,
            extra_tabs=tabs,
            can_edit=can_edit,
            view_roles=CAN_VIEW_FLEET,
            add_label=N_("Add trailer") if kind == "trailer" else N_("Add vehicle"),
            search_placeholder=N_("Plate, VIN, make, model..."),
        )
    )
