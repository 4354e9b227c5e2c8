"""Trailers, kept apart from the power units they are coupled to (SPEC F1)."""

import streamlit as st

from ui.auth import require_page
from ui.catalog import render_catalog
from ui.context import t
from ui.fleet.imports import import_box
from ui.fleet.units import catalog_key, unit_catalog

actor = require_page("trailers")
st.title(t("Trailers"))
import_box(actor, "trailer", catalog_key("trailer"))
render_catalog(unit_catalog(actor, "trailer"))
