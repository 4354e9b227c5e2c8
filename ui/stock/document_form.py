"""The new stock document ("invoice"), filled quickly (SPEC W3): scan (or pick) the item,
type the quantity, see each line's value and the total, Post. Post calls
`stock.create_and_post`: the document and its posting in one transaction (one call of a
database function), so a refused line leaves nothing behind.

After a posting the form starts afresh: its fields (supplier, basis, vehicle, quantity per
scan, price...) are widgets of a new generation, so nothing of the last invoice is carried
into the next scan; the kind, the store and the date stay, as a keeper posts a run of them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pandas as pd
import streamlit as st

from common.actor import Actor
from common.i18n import N_
from core.services import stock
from core.services.stock import DocumentInput, DraftValues, LineInput
from ui.catalog import open_record
from ui.context import company_today, t, uow
from ui.formatting import show
from ui.forms import FieldSlots, run_action
from ui.labels import label, labeller, labels

EDITABLE = ("quantity", "price", "remove")


def _key(prefix: str, name: str) -> str:
    """A key that outlives a posting (the kind, store, date, the lines, the generation)."""
    return f"{prefix}_new_{name}"


def _field(prefix: str, name: str) -> str:
    """The key of a field of the current invoice: a new one after each posting."""
    return _key(prefix, f"{name}_{st.session_state.get(_key(prefix, 'generation'), 0)}")


def _editor_key(prefix: str) -> str:
    return _key(prefix, f"editor_{st.session_state.get(_key(prefix, 'lines_version'), 0)}")


def _lines(prefix: str) -> list[dict[str, Any]]:
    """The lines as the keeper sees them: the stored lines with the grid's edits on top (the
    grid reports its edits as changes to the rows it was given)."""
    lines = [dict(line) for line in st.session_state.get(_key(prefix, "lines"), [])]
    state = st.session_state.get(_editor_key(prefix)) or {}
    for index, change in (state.get("edited_rows") or {}).items():
        i = int(index)
        if 0 <= i < len(lines):
            lines[i].update({k: v for k, v in change.items() if k in EDITABLE})
    return lines


def _keep_lines(prefix: str, lines: list[dict[str, Any]]) -> None:
    """Store these lines (edits folded in, removed ones left out) under a fresh grid."""
    ss = st.session_state
    ss[_key(prefix, "lines")] = [line for line in lines if not line.get("remove")]
    ss[_key(prefix, "lines_version")] = ss.get(_key(prefix, "lines_version"), 0) + 1


def _fold_edits(prefix: str) -> None:
    """An edit in the grid: into the stored lines at once, under a fresh grid, so the grid
    shows each line's value for what it now holds (a line ticked Remove leaves)."""
    _keep_lines(prefix, _lines(prefix))


def _add_line(prefix: str, item_id: int, name: str, unit: str, qty: object, price: object) -> None:
    line = {"item_id": item_id, "name": name, "unit": unit, "quantity": str(qty), "price": str(price or "")}
    _keep_lines(prefix, [*_lines(prefix), {**line, "remove": False}])


def _add_scanned(actor: Actor, prefix: str) -> None:
    """A USB scanner types the code and Enter: the item joins the lines at once."""
    ss = st.session_state
    code = ss.get(_field(prefix, "scan"), "")
    if not code.strip():
        return
    ok, item = run_action(lambda: stock.find_by_barcode(uow(), actor, code))
    if ok and item:
        qty = Decimal(str(ss.get(_field(prefix, "scan_qty")) or 1)).normalize()  # the box holds a float
        receipt = ss.get(_key(prefix, "kind")) == "receipt"
        price = (ss.get(_field(prefix, "scan_price")) or "") if receipt else ""
        _add_line(prefix, item["id"], item["name"], label("stock_unit", item["unit"]), format(qty, "f"), price)
    else:
        ss[_key(prefix, "scan_error")] = t("No item has the barcode {code}.", code=code.strip())
    ss[_field(prefix, "scan")] = ""


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
            t("To store"), list(stores), format_func=stores.get, key=_field(prefix, "to")
        )
    if kind == "receipt":
        fields["supplier"] = c[3].text_input(t("Supplier"), key=_field(prefix, "supplier"))
    if kind == "issue":
        vehicles = dict(stock.fuel_vehicle_choices(uow(), actor))
        d = st.columns(4)
        fields["vehicle_id"] = d[0].selectbox(
            t("To vehicle (optional)"),
            [None, *vehicles],
            format_func=lambda i: "" if i is None else vehicles[i],
            key=_field(prefix, "vehicle"),
        )
        odometer = d[1].number_input(
            t("Odometer at issue (km)"), min_value=0, step=1, value=None, key=_field(prefix, "odometer")
        )
        fields["odometer_km"] = int(odometer) if odometer is not None else None
    fields["basis"] = st.text_input(t("Basis (order, repair, reason)"), key=_field(prefix, "basis"))
    return fields


def _scanner(actor: Actor, prefix: str, kind: str) -> None:
    s = st.columns([3, 1, 1])
    s[0].text_input(
        t("Scan or type a barcode, then Enter"),
        key=_field(prefix, "scan"),
        on_change=_add_scanned,
        args=(actor, prefix),
    )
    s[1].number_input(t("Quantity per scan"), min_value=0.001, value=1.0, key=_field(prefix, "scan_qty"))
    if kind == "receipt":
        s[2].text_input(t("Unit price"), key=_field(prefix, "scan_price"))  # text: money never passes through a float
    err = st.session_state.pop(_key(prefix, "scan_error"), None)
    if err:
        st.error(err)
    items = dict(stock.item_choices(uow(), actor))
    p = st.columns([3, 1, 1])
    picked = p[0].selectbox(
        t("Or pick an item"),
        [None, *items],
        format_func=lambda i: "" if i is None else items[i],
        key=_field(prefix, "pick"),
    )
    if p[1].button(t("Add line"), key=_key(prefix, "add_line")) and picked is not None:
        _add_line(prefix, picked, items[picked], "", "1", "")
        st.rerun()


def _line_inputs(lines: list[dict[str, Any]]) -> list[LineInput]:
    return [LineInput(int(r["item_id"]), str(r["quantity"]), str(r["price"] or "")) for r in lines]


def _lines_grid(prefix: str, kind: str, lines: list[dict[str, Any]], values: DraftValues) -> None:
    """The lines, each with its value (as posting will make it), and the total under them."""
    rows = [{**line, "total": show(v) if v is not None else ""} for line, v in zip(lines, values.lines, strict=True)]
    st.data_editor(
        pd.DataFrame(rows, columns=["item_id", "name", "unit", "quantity", "price", "total", "remove"]),
        key=_editor_key(prefix),
        on_change=_fold_edits,
        args=(prefix,),
        hide_index=True,
        num_rows="fixed",  # the rows come from scans and picks; a line leaves by Remove
        disabled=["item_id", "name", "unit", "total"],
        column_config={
            "item_id": None,
            "name": t("Item"),
            "unit": t("Unit"),
            "quantity": t("Quantity"),
            "price": st.column_config.TextColumn(t("Unit price"), disabled=kind != "receipt"),
            "total": t("Line total"),
            "remove": st.column_config.CheckboxColumn(t("Remove")),
        },
    )
    total = show(values.total) or show(Decimal("0.00"))
    st.markdown(t("**Total: {total}**", total=total))
    if kind != "receipt":
        st.caption(t("Valued at the store's average cost now; posting values them at the average of that moment."))
    if not values.complete:
        st.caption(
            t("A line without a value is not counted yet: its quantity is missing or more than the store holds.")
        )


def _start_afresh(prefix: str) -> None:
    """After a posting: no lines, and the invoice's fields (supplier, basis, vehicle, quantity
    per scan, price, the scan box) are new widgets showing their defaults."""
    ss = st.session_state
    ss[_key(prefix, "lines")] = []
    ss[_key(prefix, "lines_version")] = ss.get(_key(prefix, "lines_version"), 0) + 1
    ss[_key(prefix, "generation")] = ss.get(_key(prefix, "generation"), 0) + 1


def new_document_form(actor: Actor, prefix: str) -> None:
    """The catalog's add form: on Post, the document is made and posted, and opened below."""
    stores = {s["id"]: s["name"] for s in stock.list_warehouses(uow(), actor)}
    if not stores:
        st.info(t("No stores yet. An administrator adds the stores first."))
        return
    fields = _header(actor, prefix, stores)
    _scanner(actor, prefix, fields["kind"])
    lines = _lines(prefix)
    if not lines:
        return
    values = stock.draft_values(uow(), actor, fields["kind"], fields["warehouse_id"], _line_inputs(lines))
    _lines_grid(prefix, fields["kind"], lines, values)
    slots = FieldSlots()
    for i in range(1, len(lines) + 1):
        slots.slot(f"line_{i}")
    for key in ("kind", "to_warehouse_id", "basis", "lines", "warehouse_id", "km"):
        slots.slot(key)
    b = st.columns([1, 1, 4])
    if b[0].button(t("Post"), type="primary", key=_key(prefix, "post")):
        data = DocumentInput(**fields, lines=_line_inputs(lines))
        ok, document_id = run_action(
            lambda: stock.create_and_post(uow(), actor, data), slots, success=N_("The invoice was posted.")
        )
        if ok and document_id is not None:
            _start_afresh(prefix)
            st.session_state[_key(prefix, "posted")] = document_id
            open_record(prefix, document_id)
            st.rerun()
    if b[1].button(t("Clear lines"), key=_key(prefix, "clear")):
        _keep_lines(prefix, [])
        st.rerun()


def just_posted(prefix: str, document_id: int) -> bool:
    """True once, on the run after this document was posted from the form."""
    if st.session_state.get(_key(prefix, "posted")) == document_id:
        del st.session_state[_key(prefix, "posted")]
        return True
    return False
