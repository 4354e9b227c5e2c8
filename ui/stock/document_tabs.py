"""A stock document's details tab: its header and lines, the printed copy (PDF), and what
the keeper may still do (post a draft, cancel a posted document by its reversal)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pandas as pd
import streamlit as st

from common.actor import Actor
from common.i18n import N_
from common.roles import CAN_EDIT_STOCK
from core.printing import PrintDocument, PrintLine, document_pdf
from core.services import stock
from core.services.settings import get_company
from ui.context import t, uow
from ui.formatting import esc, show
from ui.forms import run_action
from ui.grid import table
from ui.labels import label
from ui.stock.document_form import just_posted


def _pdf(doc: dict[str, Any]) -> bytes:
    company = get_company(uow())
    return document_pdf(
        PrintDocument(
            company=str(company["name"]),
            title=label("stock_kind", doc["kind"]),
            number=doc["number"],
            date=show(doc["doc_date"]),
            fields=[
                (t("Store"), doc["store"]),
                (t("To store"), doc["to_store"]),
                (t("Supplier"), doc["supplier"] or ""),
                (t("Vehicle"), doc.get("vehicle", "")),
                (t("Basis (order, repair, reason)"), doc["basis"] or ""),
                (t("Status"), label("stock_status", doc["status"])),
            ],
            headers=(t("Item"), t("Article"), t("Quantity"), t("Unit"), t("Unit price"), t("Value")),
            lines=[
                PrintLine(ln["name"], ln["article"], Decimal(ln["quantity"]), ln["unit"], ln["unit_price"], ln["value"])
                for ln in doc["lines"]
            ],
            total_label=t("Total"),
            signatures=(t("Issued by"), t("Received by")),
        )
    )


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
        (t("Basis (order, repair, reason)"), doc["basis"] or ""),
        (t("Status"), label("stock_status", doc["status"])),
    ]
    st.caption(" · ".join(f"{name}: {esc(value)}" for name, value in facts if value))
    table(
        pd.DataFrame(
            [
                {
                    t("Item"): ln["name"],
                    t("Article"): ln["article"],
                    t("Quantity"): show(ln["quantity"]),
                    t("Unit"): label("stock_unit", ln["unit"]),
                    t("Unit price"): show(ln["unit_price"]),
                    t("Value"): show(ln["value"]),
                }
                for ln in doc["lines"]
            ]
        ),
        key=f"{prefix}_lines_{document_id}",
        wide=t("Item"),
    )
    b = st.columns(3)
    b[0].download_button(
        t("Print (PDF)"), _pdf(doc), file_name=f"{doc['number']}.pdf", mime="application/pdf", key=f"{prefix}_pdf"
    )
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
