"""Staff catalogs: the positions and departments the personal cards choose from, edited by
the company (a typo is fixed once, by renaming or merging, and never makes a department)."""

from __future__ import annotations

import streamlit as st

from ui.auth import require_page
from ui.context import t
from ui.staff.catalogs import catalog_tab

actor = require_page("staff_catalogs")
st.title(t("Staff catalogs"))
tab_positions, tab_departments = st.tabs([t("Positions"), t("Departments")])
with tab_positions:
    catalog_tab(actor, "position")
with tab_departments:
    catalog_tab(actor, "department")
