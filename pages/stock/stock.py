"""Stock (SPEC W4, W5): balances per store now or at any past date, items to reorder,
fuel issued to vehicles; the stores and item categories."""

from __future__ import annotations

import streamlit as st

from core.services import stock
from ui.auth import require_page
from ui.context import t, uow
from ui.stock.stock_tabs import balances_tab, fuel_tab, reorder_tab, setup_tab

actor = require_page("stock")
st.title(t("Stock"))
stores = {s["id"]: s["name"] for s in stock.list_warehouses(uow(), actor)}
tab_bal, tab_reorder, tab_fuel, tab_setup = st.tabs(
    [t("Balances"), t("To reorder"), t("Fuel issued"), t("Stores and categories")]
)
with tab_bal:
    balances_tab(actor, stores)
with tab_reorder:
    reorder_tab(actor)
with tab_fuel:
    fuel_tab(actor)
with tab_setup:
    setup_tab(actor)
