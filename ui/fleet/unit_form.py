"""The form of a vehicle or a trailer: every field of a unit, its fuel norms, and on a new
power unit the odometer it starts from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import streamlit as st

from common.actor import Actor
from common.i18n import N_
from core.fleet import LICENCE_CATEGORIES
from core.services import fleet
from core.services.fleet import UnitInput
from db.models.fleet import FUEL_TYPES, STATUSES
from ui.context import t, uow
from ui.forms import FieldSlots
from ui.labels import label, labeller


@dataclass(frozen=True)
class UnitSubmission:
    """What a submitted unit form holds: the unit, the starting odometer, the field slots."""

    data: UnitInput
    odometer_km: int | None
    slots: FieldSlots


def _num(value: Any) -> str:
    return "" if value is None else str(value)


def unit_form(
    key: str, kind: str, initial: dict[str, Any], actor: Actor, submit_label: str, disabled: bool
) -> UnitSubmission | None:
    """Draw the form; once submitted, what was entered (the caller saves it)."""
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
                format_func=labeller("unit_type"),
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
                format_func=lambda i: "" if i is None else label("name", names[i]),
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
                format_func=labeller("vehicle_status"),
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
                format_func=labeller("fuel"),
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
            for col, (name, caption) in zip(n, fields, strict=True):
                with col:
                    norms[name] = st.text_input(t(caption), _num(initial.get(name)), disabled=disabled)
                    slots.slot(name)
        odometer = None
        if "id" not in initial and kind != "trailer":
            odometer = st.text_input(t("Odometer now (km)"), "", disabled=disabled)
            slots.slot("odometer_km")
        notes = st.text_area(t("Notes"), initial.get("notes") or "", disabled=disabled, height=80)
        submitted = st.form_submit_button(t(submit_label), type="primary", disabled=disabled)
    if not submitted:
        return None
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
            return None
        km = int(odometer.strip())
    return UnitSubmission(data, km, slots)
