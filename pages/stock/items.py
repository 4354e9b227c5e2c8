"""Nomenclature (SPEC W1, W2, U2): items with article and barcode, searchable by either."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from common.i18n import N_
from common.roles import CAN_EDIT_STOCK, CAN_VIEW_STOCK
from core.printing import Label, labels_pdf
from core.services import stock
from core.services.stock import ItemInput
from db.models.stock import UNITS
from ui.auth import require_page
from ui.catalog import Catalog, Column, Filter, open_record, render_catalog
from ui.context import t, uow
from ui.formatting import show
from ui.forms import FieldSlots, run_action, show_import_report
from ui.grid import table

actor = require_page("items")
can_edit = actor.role in CAN_EDIT_STOCK
P = "items"
UNIT_LABELS = {
    "l": N_("litre"),
    "pcs": N_("piece"),
    "kg": N_("kg"),
    "set": N_("set"),
    "m": N_("metre"),
    "pair": N_("pair"),
}


def render_add() -> None:
    slots = FieldSlots()
    with st.form(f"{P}_add_form"):
        c = st.columns(3)
        with c[0]:
            name = st.text_input(t("Name") + " *")
            slots.slot("name")
            article = st.text_input(t("Article") + " *")
            slots.slot("article")
        with c[1]:
            barcode = st.text_input(t("Barcode (scan; empty to generate)"))
            slots.slot("barcode")
            unit = st.selectbox(t("Unit"), UNITS, format_func=lambda u: t(UNIT_LABELS[u]))
            classification = st.text_input(t("Classification code"))
        with c[2]:
            level = st.text_input(t("Reorder level"), "0")
            slots.slot("reorder_level")
            reorder = st.text_input(t("Reorder quantity"), "0")
            slots.slot("reorder_qty")
            is_fuel = st.checkbox(t("Fuel"))
        categories = {c["id"]: c["path"] for c in stock.list_categories(uow(), actor)}
        category_id = st.selectbox(
            t("Category"), [None, *categories], format_func=lambda i: "" if i is None else categories[i]
        )
        submitted = st.form_submit_button(t("Save"), type="primary")
    if submitted:
        data = ItemInput(
            name=name,
            article=article,
            unit=unit,
            barcode=barcode,
            classification=classification,
            reorder_level=level,
            reorder_qty=reorder,
            is_fuel=is_fuel,
            category_id=category_id,
            fuel_type="diesel" if is_fuel else "",
        )
        ok, new_id = run_action(lambda: stock.create_item(uow(), actor, data), slots, success=N_("The item was added."))
        if ok:
            open_record(P, new_id)
            st.rerun()


def render_details(item_id: int) -> None:
    item = stock.get_item(uow(), actor, item_id)
    st.markdown(
        f"### {item['name']}  \n`{item['article']}` · {t('Barcode')} `{item['barcode']}` · "
        f"{t(UNIT_LABELS[item['unit']])}"
    )
    st.caption(
        t(
            "Reorder level {level}, reorder quantity {qty}",
            level=show(item["reorder_level"]),
            qty=show(item["reorder_qty"]),
        )
    )
    pdf = labels_pdf([Label(item["name"], item["article"], item["barcode"])] * 24)
    st.download_button(
        t("Print a sheet of labels (PDF)"),
        pdf,
        file_name=f"labels-{item['article']}.pdf",
        mime="application/pdf",
        key=f"{P}_labels_{item_id}",
    )


def render_stock(item_id: int) -> None:
    stores = stock.list_warehouses(uow(), actor)
    if not stores:
        st.caption(t("No stores yet."))
        return
    names = {s["id"]: s["name"] for s in stores}
    store = st.selectbox(t("Store"), list(names), format_func=names.get, key=f"{P}_ledger_store_{item_id}")
    qty, value = stock.balance(uow(), actor, item_id, store)
    st.metric(t("On hand"), show(qty), help=t("Value {value}", value=show(value)))
    rows = stock.item_ledger(uow(), actor, item_id, store)
    if rows:
        table(
            pd.DataFrame(
                [
                    {
                        t("When"): show(r["moved_at"]),
                        t("Invoice"): r["number"],
                        t("Kind"): r["kind"],
                        t("Quantity"): show(r["qty"]),
                        t("Value"): show(r["value"]),
                        t("Balance"): show(r["running_qty"]),
                    }
                    for r in rows
                ]
            ),
            key=f"{P}_ledger_{item_id}",
        )
    else:
        st.caption(t("No movements in this store."))


def import_popover() -> None:
    """Nomenclature and opening balances from CSV or Excel, with a per-row report."""
    from core.imports import read_table
    from core.services.stock_import import import_items, import_opening_balances

    if not can_edit:
        return
    with st.popover(t("Import"), icon=":material/upload:"):
        what = st.radio(
            t("What"),
            ["items", "balances"],
            horizontal=True,
            key=f"{P}_import_what",
            format_func=lambda w: t("Items") if w == "items" else t("Opening balances"),
        )
        st.caption(
            t("Columns: name, article, unit, barcode, reorder_level, reorder_qty")
            if what == "items"
            else t("Columns: article, store, quantity, unit_price")
        )
        upload = st.file_uploader(t("File"), type=["csv", "xlsx"], key=f"{P}_import_file")
        if upload is not None and st.button(t("Import"), key=f"{P}_import_go", type="primary"):
            content = upload.getvalue()

            def run():  # type: ignore[no-untyped-def]
                rows = read_table(upload.name, content)
                return (import_items if what == "items" else import_opening_balances)(uow(), actor, rows)

            ok, report = run_action(run)
            if ok and report is not None:
                show_import_report(report)


st.title(t("Items"))
import_popover()
render_catalog(
    Catalog(
        key=P,
        entity_type="item",
        title_of=lambda r: f"{r['name']} · {r['article']}",
        columns=[
            Column("article", N_("Article"), width=120),
            Column("name", N_("Name"), width=240),
            Column("barcode", N_("Barcode"), width=140),
            Column("unit", N_("Unit"), width=70),
            Column("on_hand", N_("On hand"), "number"),
            Column("reorder_level", N_("Reorder level"), "number"),
        ],
        list_page=lambda q: stock.list_items(uow(), actor, q),
        export_rows=lambda q: stock.export_items(uow(), actor, q),
        default_sort="name",
        sort_keys=["name", "article", "on_hand"],
        filters=[Filter("fuel", N_("Kind"), [("1", t("Fuel"))])],
        render_details=render_details,
        render_add=render_add,
        extra_tabs=[(N_("Stock"), render_stock)],
        can_edit=can_edit,
        view_roles=CAN_VIEW_STOCK,
        attachments=False,
        add_label=N_("Add item"),
        search_placeholder=N_("Name, article or scan a barcode..."),
    )
)
