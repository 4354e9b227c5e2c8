"""A stock document's details tab: its header and lines, the printed copy (PDF), and what
the keeper may still do (post a draft, cancel a posted document by its reversal)."""

from __future__ import annotations

import streamlit as st

from common.actor import Actor
from common.i18n import N_
from common.roles import CAN_EDIT_STOCK
from core.services import stock
from ui.context import t, uow
from ui.formatting import esc, show
from ui.forms import run_action
from ui.grid import Column, table
from ui.labels import label, labels
from ui.stock.document_form import just_posted
from ui.stock.printouts import document_print_button, receipt_labels


def document_details(actor: Actor, prefix: str, document_id: int) -> None:
    doc = stock.get_document(uow(), actor, document_id)
    if just_posted(prefix, document_id):
        st.success(t("Invoice {number} posted.", number=doc["number"]))
    kind = esc(label("stock_kind", doc["kind"]))
    st.markdown(f"### {kind} {esc(doc['number'])}  \n{show(doc['doc_date'])} · {esc(doc['store'])}")
    facts = [
        (t("To store"), doc["to_store"]),
        (t("Supplier"), doc["supplier"] or ""),
        (t("Vehicle"), doc.get("vehicle", "")),
        (t("Odometer at issue (km)"), show(doc["odometer_km"], "number")),
        (t("Basis (order, repair, reason)"), doc["basis"] or ""),
        (t("Status"), label("stock_status", doc["status"])),
    ]
    st.caption(" · ".join(f"{name}: {esc(value)}" for name, value in facts if value))
    table(
        doc["lines"],
        [
            Column("name", N_("Item"), wide=True),
            Column("article", N_("Article")),
            Column("quantity", N_("Quantity"), unit_of="unit"),
            Column("unit", N_("Unit"), labels=labels("stock_unit")),
            Column("unit_price", N_("Unit price")),
            Column("value", N_("Value")),
        ],
        key=f"{prefix}_lines_{document_id}",
    )
    b = st.columns(3)
    with b[0]:
        document_print_button(prefix, doc)
    if doc["kind"] == "receipt" and doc["status"] == "posted":
        receipt_labels(actor, prefix, document_id)
    if actor.role not in CAN_EDIT_STOCK:
        return
    if doc["status"] == "draft" and b[1].button(t("Post"), type="primary", key=f"{prefix}_post_draft"):
        ok, _ = run_action(
            lambda: stock.post_document(uow(), actor, document_id), success=N_("The invoice was posted.")
        )
        if ok:
            st.rerun()
    if doc["status"] == "posted" and b[1].button(t("Cancel invoice"), key=f"{prefix}_cancel"):
        ok, _ = run_action(
            lambda: stock.cancel_document(uow(), actor, document_id),
            success=N_("The invoice was cancelled; its reversal is posted."),
        )
        if ok:
            st.rerun()
