"""The items catalog's pieces (SPEC W1, W2): the add form, an item's card and its stock per
store with the ledger, and the import of items and opening balances."""

from __future__ import annotations

import streamlit as st

from common.actor import Actor
from common.i18n import N_
from core.services import stock
from core.services.stock import UNITS, ItemInput
from ui.catalog import open_record
from ui.context import t, uow
from ui.formatting import code, esc, show, show_qty
from ui.forms import FieldSlots, run_action
from ui.grid import Column, table
from ui.importer import import_form
from ui.labels import label, labeller, labels, path_label
from ui.stock.printouts import item_labels


def item_add_form(actor: Actor, prefix: str) -> None:
    slots = FieldSlots()
    with st.form(f"{prefix}_add_form"):
        c = st.columns(3)
        with c[0]:
            name = st.text_input(t("Name") + " *")
            slots.slot("name")
            article = st.text_input(t("Article") + " *")
            slots.slot("article")
        with c[1]:
            barcode = st.text_input(t("Barcode (scan; empty to generate)"))
            slots.slot("barcode")
            unit = st.selectbox(t("Unit"), UNITS, format_func=labeller("stock_unit"))
            classification = st.text_input(t("Classification code"))
        with c[2]:
            level = st.text_input(t("Reorder level"), "0")
            slots.slot("reorder_level")
            reorder = st.text_input(t("Reorder quantity"), "0")
            slots.slot("reorder_qty")
            is_fuel = st.checkbox(t("Fuel"))
        categories = {c["id"]: c["path"] for c in stock.list_categories(uow(), actor)}
        category_id = st.selectbox(
            t("Category"), [None, *categories], format_func=lambda i: "" if i is None else path_label(categories[i])
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
        if ok and new_id is not None:
            open_record(prefix, new_id)
            st.rerun()


def item_details(actor: Actor, prefix: str, item_id: int) -> None:
    item = stock.get_item(uow(), actor, item_id)
    st.markdown(
        f"### {esc(item['name'])}  \n{code(item['article'])} · {t('Barcode')} {code(item['barcode'])} · "
        f"{esc(label('stock_unit', item['unit']))}"
    )
    st.caption(
        t(
            "Reorder level {level}, reorder quantity {qty}",
            level=show_qty(item["reorder_level"], item["unit"]),
            qty=show_qty(item["reorder_qty"], item["unit"]),
        )
    )
    item_labels(actor, prefix, item)


def item_stock(actor: Actor, prefix: str, item_id: int) -> None:
    stores = stock.list_warehouses(uow(), actor)
    if not stores:
        st.caption(t("No stores yet."))
        return
    names = {s["id"]: s["name"] for s in stores}
    store = st.selectbox(t("Store"), list(names), format_func=names.get, key=f"{prefix}_ledger_store_{item_id}")
    qty, value = stock.balance(uow(), actor, item_id, store)
    unit = str(stock.get_item(uow(), actor, item_id)["unit"])
    st.metric(t("On hand"), f"{show_qty(qty, unit)} {unit}", help=t("Value {value}", value=show(value)))
    rows = stock.item_ledger(uow(), actor, item_id, store)
    if rows:
        table(
            [{**r, "unit": unit} for r in rows],
            [
                Column("moved_at", N_("When")),
                Column("number", N_("Invoice")),
                Column("kind", N_("Kind"), labels=labels("stock_kind")),
                Column("qty", N_("Quantity"), unit_of="unit"),
                Column("value", N_("Value")),
                Column("running_qty", N_("Balance"), unit_of="unit"),
            ],
            key=f"{prefix}_ledger_{item_id}",
        )
    else:
        st.caption(t("No movements in this store."))


def import_popover(actor: Actor, prefix: str) -> None:
    """Nomenclature and opening balances from CSV or Excel, with a per-row report."""
    with st.popover(t("Import"), icon=":material/upload:"):
        what = st.radio(
            t("What"),
            ["items", "balances"],
            horizontal=True,
            key=f"{prefix}_import_what",
            format_func=lambda w: t("Items") if w == "items" else t("Opening balances"),
        )
        fields = stock.ITEM_FIELDS if what == "items" else stock.BALANCE_FIELDS
        st.caption(t("Columns: {columns}", columns=", ".join(fields.known)))
        import_form(actor, what, f"{prefix}_{what}")
