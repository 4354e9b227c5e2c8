"""Vehicles: tractors, trucks and vans (SPEC F1, F2, F3, F7, U1)."""

import streamlit as st

from ui.auth import require_page
from ui.catalog import render_catalog
from ui.context import t
from ui.fleet.imports import import_box
from ui.fleet.units import catalog_key, unit_catalog

actor = require_page("vehicles")
st.title(t("Vehicles"))
import_box(actor, "vehicle", catalog_key("vehicle"))
render_catalog(unit_catalog(actor, "vehicle"))
