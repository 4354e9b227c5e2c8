"""The form of a place: name, kind, country, region, coordinates and, for a client site,
its client."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from common.actor import Actor
from core.places import COUNTRY_LABELS, ISO_COUNTRIES, PLACE_KINDS, country_name
from core.services import crm
from core.services.transport import PlaceInput
from ui.context import language, t, uow
from ui.forms import FieldSlots
from ui.labels import labeller

# the region's countries first, then every other ISO code
COUNTRIES = [*COUNTRY_LABELS, *(c for c in ISO_COUNTRIES if c not in COUNTRY_LABELS)]


@dataclass(frozen=True)
class PlaceSubmission:
    data: PlaceInput
    slots: FieldSlots


def coordinate(value: Any) -> str:
    """A stored coordinate as the form shows it: decimal degrees without trailing zeros."""
    if value is None or value == "":
        return ""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _clients(actor: Actor, key: str, initial: dict[str, Any]) -> dict[int, str]:
    """The clients to choose from: those the search finds, and the place's own."""
    search = st.text_input(t("Find the client (client sites)"), key=f"{key}_client_search")
    found = dict(crm.client_choices(uow(), actor, search, limit=100))
    if initial.get("client_id") and initial["client_id"] not in found:
        found[initial["client_id"]] = initial.get("client", "")
    return found


def place_form(
    key: str, initial: dict[str, Any], actor: Actor, submit_label: str, disabled: bool
) -> PlaceSubmission | None:
    """Draw the form; once submitted, what was entered (the caller saves it)."""
    slots = FieldSlots()
    lang = language()
    clients = _clients(actor, key, initial) if not disabled else {}
    with st.form(key):
        c1, c2, c3 = st.columns(3)
        with c1:
            name = st.text_input(t("Name") + " *", initial.get("name", ""), disabled=disabled)
            slots.slot("name")
            kinds = list(PLACE_KINDS)
            kind = st.selectbox(
                t("Kind"),
                kinds,
                index=kinds.index(initial.get("kind", "town")),
                format_func=labeller("place_kind"),
                disabled=disabled,
            )
            slots.slot("kind")
        with c2:
            country = st.selectbox(
                t("Country"),
                COUNTRIES,
                index=COUNTRIES.index(initial.get("country", "RW")),
                format_func=lambda c: f"{c} · {country_name(c, lang)}",
                disabled=disabled,
            )
            slots.slot("country")
            region = st.text_input(t("Region or province"), initial.get("region") or "", disabled=disabled)
            slots.slot("region")
        with c3:
            hint = t(
                "Decimal degrees (-1.9441) or degrees, minutes and seconds (1°56′38″S); south and west are negative."
            )
            latitude = st.text_input(
                t("Latitude") + " *", coordinate(initial.get("latitude")), help=hint, disabled=disabled
            )
            slots.slot("latitude")
            longitude = st.text_input(
                t("Longitude") + " *", coordinate(initial.get("longitude")), help=hint, disabled=disabled
            )
            slots.slot("longitude")
        ids = [None, *clients]
        current = initial.get("client_id")
        client_id = st.selectbox(
            t("Client (for a client site)"),
            ids,
            index=ids.index(current) if current in ids else 0,
            format_func=lambda i: "" if i is None else clients[i],
            disabled=disabled,
        )
        slots.slot("client_id")
        notes = st.text_area(
            t("Notes (gate, access for trucks, opening hours)"), initial.get("notes") or "", disabled=disabled
        )
        submitted = st.form_submit_button(t(submit_label), type="primary", disabled=disabled)
    if not submitted:
        return None
    data = PlaceInput(
        name=name,
        kind=kind,
        country=country,
        latitude=latitude,
        longitude=longitude,
        region=region,
        client_id=client_id,
        notes=notes,
    )
    return PlaceSubmission(data, slots)
