"""Stock documents, on screen "Invoices" (SPEC W3, W4, U1, U2): receipt, issue, transfer,
write-off, inventory count, on the catalog screen: the list on top with its categories
(kind, status, store), a document's lines, attachments and history below. "New invoice"
opens the quick form: scan (or pick) the item, type the quantity, Post; print."""

from __future__ import annotations

import streamlit as st

from common.i18n import N_
from common.roles import CAN_EDIT_STOCK
from core.services import stock
from ui.auth import require_page
from ui.catalog import Catalog, Column, Filter, render_catalog
from ui.context import t, uow
from ui.labels import label, labels, options
from ui.stock.document_form import new_document_form
from ui.stock.document_tabs import document_details

actor = require_page("stock_documents")
P = "stock_documents"
st.title(t("Invoices"))
stores = stock.list_warehouses(uow(), actor)
render_catalog(
    Catalog(
        key=P,
        entity_type="stock_document",
        title_of=lambda r: f"{r['number']} · {label('stock_kind', r['kind'])}",
        columns=[
            Column("number", N_("Number"), width=120),
            Column("kind", N_("Kind"), labels=labels("stock_kind")),
            Column("status", N_("Status"), labels=labels("stock_status")),
            Column("doc_date", N_("Date"), "date"),
            Column("store", N_("Store"), width=140),
            Column("value", N_("Value"), "money"),
            Column("basis", N_("Basis (order, repair, reason)"), width=200),
        ],
        list_page=lambda q: stock.list_documents(uow(), actor, q),
        export_rows=lambda q: stock.export_documents(uow(), actor, q),
        default_sort="number",
        newest_first=True,
        sort_keys=["number", "doc_date", "kind", "store"],
        filters=[
            Filter("kind", N_("Kind"), options("stock_kind")),
            Filter("status", N_("Status"), options("stock_status")),
            Filter("store", N_("Store"), [(str(s["id"]), s["name"]) for s in stores]),
        ],
        render_details=lambda document_id: document_details(actor, P, document_id),
        render_add=lambda: new_document_form(actor, P),
        can_edit=actor.role in CAN_EDIT_STOCK,
        history_types=("stock_document",),
        add_label=N_("New invoice"),
        search_placeholder=N_("Number"),
    )
)
