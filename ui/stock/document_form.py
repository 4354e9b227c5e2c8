"""The new stock document ("invoice"), filled quickly (SPEC W3): scan (or pick) the item,
type the quantity, Post. Post calls `stock.create_and_post`: the document and its posting
in one transaction (one call of a database function), so a refused line leaves nothing
behind."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from common.actor import Actor
from common.i18n import N_
from core.services import stock
from core.services.stock import DocumentInput, LineInput
from ui.catalog import open_record
from ui.context import company_today, t, uow
from ui.forms import FieldSlots, run_action
from ui.labels import label, labeller, labels


def _key(prefix: str, name: str) -> str:
    return f"{prefix}_new_{name}"


def _add_scanned(actor: Actor, prefix: str) -> None:
    """A USB scanner types the code and Enter: the item joins the lines at once."""
    ss = st.session_state
    code = ss.get(_key(prefix, "scan"), "")
    if not code.strip():
        return
    ok, item = run_action(lambda: stock.find_by_barcode(uow(), actor, code))
    if ok and item:
        qty = ss.get(_key(prefix, "scan_qty")) or 1
        receipt = ss.get(_key(prefix, "kind")) == "receipt"
        price = (ss.get(_key(prefix, "scan_price")) or None) if receipt else None
        ss.setdefault(_key(prefix, "lines"), []).append(
            {
                "item_id": item["id"],
                "name": item["name"],
                "unit": label("stock_unit", item["unit"]),
                "quantity": str(qty),
                "price": "" if price is None else str(price),
            }
        )
    else:
        ss[_key(prefix, "scan_error")] = t("No item has the barcode {code}.", code=code.strip())
    ss[_key(prefix, "scan")] = ""


def _header(actor: Actor, prefix: str, stores: dict[int, str]) -> dict[str, Any]:
    """Kind, store, date and what the kind asks for; the DocumentInput's fields."""
    c = st.columns(4)
    kind = c[0].selectbox(
        t("Kind"), list(labels("stock_kind")), format_func=labeller("stock_kind"), key=_key(prefix, "kind")
    )
    fields: dict[str, Any] = {
        "kind": kind,
        "warehouse_id": c[1].selectbox(t("Store"), list(stores), format_func=stores.get, key=_key(prefix, "store")),
        "doc_date": c[2].date_input(t("Date"), company_today(), format="DD/MM/YYYY", key=_key(prefix, "date")),
    }
    if kind == "transfer":
        fields["to_warehouse_id"] = c[3].selectbox(
            t("To store"), list(stores), format_func=stores.get, key=_key(prefix, "to")
        )
    if kind == "receipt":
        fields["supplier"] = c[3].text_input(t("Supplier"), key=_key(prefix, "supplier"))
    if kind == "issue":
        vehicles = dict(stock.fuel_vehicle_choices(uow(), actor))
        d = st.columns(4)
        fields["vehicle_id"] = d[0].selectbox(
            t("To vehicle (optional)"),
            [None, *vehicles],
            format_func=lambda i: "" if i is None else vehicles[i],
            key=_key(prefix, "vehicle"),
        )
        odometer = d[1].number_input(
            t("Odometer at issue (km)"), min_value=0, step=1, value=None, key=_key(prefix, "odometer")
        )
        fields["odometer_km"] = int(odometer) if odometer is not None else None
    fields["basis"] = st.text_input(t("Basis (order, repair, reason)"), key=_key(prefix, "basis"))
    return fields


def _scanner(actor: Actor, prefix: str, kind: str) -> None:
    s = st.columns([3, 1, 1])
    s[0].text_input(
        t("Scan or type a barcode, then Enter"),
        key=_key(prefix, "scan"),
        on_change=_add_scanned,
        args=(actor, prefix),
    )
    s[1].number_input(t("Quantity per scan"), min_value=0.001, value=1.0, key=_key(prefix, "scan_qty"))
    if kind == "receipt":
        s[2].text_input(t("Unit price"), key=_key(prefix, "scan_price"))  # text: money never passes through a float
    err = st.session_state.pop(_key(prefix, "scan_error"), None)
    if err:
        st.error(err)
    items = dict(stock.item_choices(uow(), actor))
    p = st.columns([3, 1, 1])
    picked = p[0].selectbox(
        t("Or pick an item"),
        [None, *items],
        format_func=lambda i: "" if i is None else items[i],
        key=_key(prefix, "pick"),
    )
    if p[1].button(t("Add line"), key=_key(prefix, "add_line")) and picked is not None:
        st.session_state.setdefault(_key(prefix, "lines"), []).append(
            {"item_id": picked, "name": items[picked], "unit": "", "quantity": "1", "price": ""}
        )
        st.rerun()


def new_document_form(actor: Actor, prefix: str) -> None:
    """The catalog's add form: on Post, the document is made and posted, and opened below."""
    stores = {s["id"]: s["name"] for s in stock.list_warehouses(uow(), actor)}
    if not stores:
        st.info(t("No stores yet. An administrator adds the stores first."))
        return
    fields = _header(actor, prefix, stores)
    _scanner(actor, prefix, fields["kind"])
    lines = st.session_state.get(_key(prefix, "lines"), [])
    if not lines:
        return
    edited = st.data_editor(
        pd.DataFrame(lines),
        key=_key(prefix, f"editor_{len(lines)}"),
        hide_index=True,
        num_rows="dynamic",
        disabled=["item_id", "name", "unit"],
        column_config={
            "item_id": None,
            "name": t("Item"),
            "unit": t("Unit"),
            "quantity": t("Quantity"),
            "price": t("Unit price"),
        },
    )
    slots = FieldSlots()
    for i in range(1, len(lines) + 1):
        slots.slot(f"line_{i}")
    for key in ("kind", "to_warehouse_id", "basis", "lines", "warehouse_id", "km"):
        slots.slot(key)
    b = st.columns([1, 1, 4])
    if b[0].button(t("Post"), type="primary", key=_key(prefix, "post")):
        data = DocumentInput(
            **fields,
            lines=[
                LineInput(int(r["item_id"]), str(r["quantity"]), str(r["price"] or ""))
                for _, r in edited.iterrows()
                if pd.notna(r["item_id"])
            ],
        )
        ok, document_id = run_action(
            lambda: stock.create_and_post(uow(), actor, data), slots, success=N_("The invoice was posted.")
        )
        if ok and document_id is not None:
            st.session_state[_key(prefix, "lines")] = []
            st.session_state[_key(prefix, "posted")] = document_id
            open_record(prefix, document_id)
            st.rerun()
    if b[1].button(t("Clear lines"), key=_key(prefix, "clear")):
        st.session_state[_key(prefix, "lines")] = []
        st.rerun()


def just_posted(prefix: str, document_id: int) -> bool:
    """True once, on the run after this document was posted from the form."""
    if st.session_state.get(_key(prefix, "posted")) == document_id:
        del st.session_state[_key(prefix, "posted")]
        return True
    return False
