"""Warehouse invoices (SPEC W3, W4): receipt, issue, transfer, write-off, inventory count.
Filled quickly: scan (or pick) the item, type the quantity; post; print."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import streamlit as st

from common.i18n import N_
from common.roles import CAN_EDIT_STOCK
from core.printing import PrintInvoice, PrintLine, invoice_pdf
from core.services import stock
from core.services.fleet import unit_choices
from core.services.listing import ListQuery
from core.services.settings import get_company
from core.services.stock import InvoiceInput, LineInput
from ui.auth import require_page
from ui.context import t, uow
from ui.formatting import show
from ui.forms import FieldSlots, run_action
from ui.grid import table

actor = require_page("invoices")
can_edit = actor.role in CAN_EDIT_STOCK
KINDS = {
    "receipt": N_("Receipt"),
    "issue": N_("Issue"),
    "transfer": N_("Transfer"),
    "writeoff": N_("Write-off"),
    "count": N_("Inventory count"),
}
STATUS = {"draft": N_("Draft"), "posted": N_("Posted"), "cancelled": N_("Cancelled")}
LINES = "invoices_lines"
st.title(t("Invoices"))
stores = {s["id"]: s["name"] for s in stock.list_warehouses(uow(), actor)}
if not stores:
    st.info(t("No stores yet. An administrator adds the stores first."))
    st.stop()


def vehicle_choices() -> list[tuple[int, str]]:
    """Vehicles fuel can be issued to (keepers see the list even without fleet rights)."""
    from common.actor import Actor

    viewer = actor if actor.role != "warehouse_keeper" else Actor(actor.user_id, actor.username, "dispatcher")
    return unit_choices(uow(), viewer, "vehicle")


def add_scanned() -> None:
    """A USB scanner types the code and Enter: the item joins the lines at once."""
    code = st.session_state.get("invoices_scan", "")
    if not code.strip():
        return
    ok, item = run_action(lambda: stock.find_by_barcode(uow(), actor, code))
    if ok and item:
        qty = st.session_state.get("invoices_scan_qty") or 1
        receipt = st.session_state.get("invoices_kind") == "receipt"
        price = (st.session_state.get("invoices_scan_price") or None) if receipt else None
        st.session_state.setdefault(LINES, []).append(
            {
                "item_id": item["id"],
                "name": item["name"],
                "unit": item["unit"],
                "quantity": str(qty),
                "price": "" if price is None else str(price),
            }
        )
    else:
        st.session_state["invoices_scan_error"] = t("No item has the barcode {code}.", code=code.strip())
    st.session_state["invoices_scan"] = ""


tab_new, tab_list = st.tabs([t("New invoice"), t("Invoices")])
with tab_new:
    if not can_edit:
        st.caption(t("Your role does not allow this action."))
    else:
        c = st.columns(4)
        kind = c[0].selectbox(t("Kind"), list(KINDS), format_func=lambda k: t(KINDS[k]), key="invoices_kind")
        store = c[1].selectbox(t("Store"), list(stores), format_func=stores.get, key="invoices_store")
        doc_date = c[2].date_input(t("Date"), dt.date.today(), format="DD/MM/YYYY", key="invoices_date")
        to_store = None
        if kind == "transfer":
            to_store = c[3].selectbox(t("To store"), list(stores), format_func=stores.get, key="invoices_to")
        vehicle = None
        odometer = None
        supplier = ""
        if kind == "receipt":
            supplier = c[3].text_input(t("Supplier"), key="invoices_supplier")
        if kind == "issue":
            vehicles = dict(vehicle_choices())
            d = st.columns(4)
            vehicle = d[0].selectbox(
                t("To vehicle (optional)"),
                [None, *vehicles],
                format_func=lambda i: "" if i is None else vehicles[i],
                key="invoices_vehicle",
            )
            odometer = d[1].number_input(
                t("Odometer at issue (km)"), min_value=0, step=1, value=None, key="invoices_odometer"
            )
        basis = st.text_input(t("Basis (order, repair, reason)"), key="invoices_basis")
        s = st.columns([3, 1, 1])
        s[0].text_input(t("Scan or type a barcode, then Enter"), key="invoices_scan", on_change=add_scanned)
        s[1].number_input(t("Quantity per scan"), min_value=0.001, value=1.0, key="invoices_scan_qty")
        if kind == "receipt":
            s[2].text_input(t("Unit price"), key="invoices_scan_price")  # text: money never passes through a float
        err = st.session_state.pop("invoices_scan_error", None)
        if err:
            st.error(err)
        items = dict(stock.item_choices(uow(), actor))
        p = st.columns([3, 1, 1])
        picked = p[0].selectbox(
            t("Or pick an item"),
            [None, *items],
            format_func=lambda i: "" if i is None else items[i],
            key="invoices_pick",
        )
        if p[1].button(t("Add line"), key="invoices_add_line") and picked is not None:
            st.session_state.setdefault(LINES, []).append(
                {"item_id": picked, "name": items[picked], "unit": "", "quantity": "1", "price": ""}
            )
            st.rerun()
        lines = st.session_state.get(LINES, [])
        if lines:
            edited = st.data_editor(
                pd.DataFrame(lines),
                key=f"invoices_editor_{len(lines)}",
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
            if b[0].button(t("Post"), type="primary", key="invoices_post"):
                data = InvoiceInput(
                    kind=kind,
                    warehouse_id=store,
                    doc_date=doc_date,
                    to_warehouse_id=to_store,
                    supplier=supplier,
                    basis=basis,
                    vehicle_id=vehicle,
                    odometer_km=int(odometer) if odometer is not None else None,
                    lines=[
                        LineInput(int(r["item_id"]), str(r["quantity"]), str(r["price"] or ""))
                        for _, r in edited.iterrows()
                        if pd.notna(r["item_id"])
                    ],
                )

                ok, invoice_id = run_action(
                    lambda: stock.create_and_post(uow(), actor, data), slots, success=N_("The invoice was posted.")
                )
                if ok:
                    st.session_state[LINES] = []
                    st.session_state["invoices_last"] = invoice_id
                    st.rerun()
            if b[1].button(t("Clear lines"), key="invoices_clear"):
                st.session_state[LINES] = []
                st.rerun()
        last = st.session_state.get("invoices_last")
        if last:
            inv = stock.get_invoice(uow(), actor, last)
            st.success(t("Invoice {number} posted.", number=inv["number"]))

with tab_list:
    c = st.columns(4)
    search = c[0].text_input(t("Number"), key="invoices_search")
    kind_f = c[1].selectbox(
        t("Kind"), ["", *KINDS], format_func=lambda k: t(KINDS[k]) if k else t("All"), key="invoices_kind_filter"
    )
    page_no = c[2].number_input(t("Page"), min_value=1, value=1, key="invoices_page")
    page = stock.list_invoices(
        uow(),
        actor,
        ListQuery(
            search=search,
            filters=(("kind", kind_f),) if kind_f else (),
            sort="number",
            descending=True,
            page=int(page_no),
            page_size=50,
        ),
    )
    if not page.rows:
        st.caption(t("No invoices yet."))
    else:
        table(
            pd.DataFrame(
                [
                    {
                        t("Number"): r["number"],
                        t("Kind"): t(KINDS[r["kind"]]),
                        t("Status"): t(STATUS[r["status"]]),
                        t("Date"): show(r["doc_date"]),
                        t("Store"): r["store"],
                        t("Value"): show(r["value"]),
                        t("Basis"): r["basis"] or r["supplier"] or "",
                    }
                    for r in page.rows
                ]
            ),
            key="invoices_grid",
            wide=t("Basis"),
        )
        numbers = {r["id"]: r["number"] for r in page.rows}
        chosen = st.selectbox(
            t("Open invoice"),
            [None, *numbers],
            format_func=lambda i: "" if i is None else numbers[i],
            key="invoices_open",
        )
        if chosen:
            inv = stock.get_invoice(uow(), actor, chosen)
            company = get_company(uow())
            pdf = invoice_pdf(
                PrintInvoice(
                    company=str(company["name"]),
                    title=t(KINDS[inv["kind"]]),
                    number=inv["number"],
                    date=show(inv["doc_date"]),
                    fields=[
                        (t("Store"), inv["store"]),
                        (t("To store"), inv["to_store"]),
                        (t("Supplier"), inv["supplier"] or ""),
                        (t("Vehicle"), inv.get("vehicle", "")),
                        (t("Basis (order, repair, reason)"), inv["basis"] or ""),
                        (t("Status"), t(STATUS[inv["status"]])),
                    ],
                    headers=(t("Item"), t("Article"), t("Quantity"), t("Unit"), t("Unit price"), t("Value")),
                    lines=[
                        PrintLine(
                            ln["name"],
                            ln["article"],
                            Decimal(ln["quantity"]),
                            ln["unit"],
                            ln["unit_price"],
                            ln["value"],
                        )
                        for ln in inv["lines"]
                    ],
                    total_label=t("Total"),
                    signatures=(t("Issued by"), t("Received by")),
                )
            )
            b = st.columns(3)
            b[0].download_button(
                t("Print (PDF)"), pdf, file_name=f"{inv['number']}.pdf", mime="application/pdf", key="invoices_pdf"
            )
            if can_edit and inv["status"] == "posted" and b[1].button(t("Cancel invoice"), key="invoices_cancel"):
                ok, _ = run_action(
                    lambda: stock.cancel_invoice(uow(), actor, chosen),
                    success=N_("The invoice was cancelled; its reversal is posted."),
                )
                if ok:
                    st.rerun()
