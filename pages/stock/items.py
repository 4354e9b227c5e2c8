"""Nomenclature (SPEC W1, W2, U2): items with article and barcode, searchable by either."""

from __future__ import annotations

import streamlit as st

from common.i18n import N_
from common.roles import CAN_EDIT_STOCK
from core.services import stock
from ui.auth import require_page
from ui.catalog import Catalog, Column, Filter, render_catalog
from ui.context import t, uow
from ui.labels import labels
from ui.stock.items import import_popover, item_add_form, item_details, item_stock

actor = require_page("items")
can_edit = actor.role in CAN_EDIT_STOCK
P = "items"

st.title(t("Items"))
if can_edit:
    import_popover(actor, P)
render_catalog(
    Catalog(
        key=P,
        entity_type="item",
        title_of=lambda r: f"{r['name']} · {r['article']}",
        columns=[
            Column("article", N_("Article"), width=120),
            Column("name", N_("Name"), width=240),
            Column("barcode", N_("Barcode"), width=140),
            Column("unit", N_("Unit"), width=70, labels=labels("stock_unit")),
            Column("on_hand", N_("On hand"), "number"),
            Column("reorder_level", N_("Reorder level"), "number"),
        ],
        list_page=lambda q: stock.list_items(uow(), actor, q),
        export_rows=lambda q: stock.export_items(uow(), actor, q),
        default_sort="name",
        sort_keys=["name", "article", "on_hand"],
        filters=[Filter("fuel", N_("Kind"), [("1", t("Fuel"))])],
        render_details=lambda item_id: item_details(actor, P, item_id),
        render_add=lambda: item_add_form(actor, P),
        extra_tabs=[(N_("Stock"), lambda item_id: item_stock(actor, P, item_id))],
        can_edit=can_edit,
        attachments=False,
        add_label=N_("Add item"),
        search_placeholder=N_("Name, article or scan a barcode..."),
    )
)
