"""The warehouse's printed copies (SPEC W2, W3): a stock document as PDF in the reader's
language and number format, and barcode label sheets on the company's label stock, from a
receipt (one label per received unit by default) or from an item (the count asked for)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from common.actor import Actor
from core.printing import MAX_LABELS, document_pdf, stock_document
from core.services import stock
from core.services.settings import get_company
from core.services.stock import LabelCount
from ui.context import language, t, t_plain, uow
from ui.forms import FieldSlots, run_action
from ui.labels import label, labels


def document_print_button(prefix: str, doc: dict[str, Any]) -> None:
    """ "Print (PDF)": the document printed for the reader, made when the button is pressed
    (from what this run read: the button's thread reaches neither the session nor the
    database)."""
    lang = language()
    company = get_company(uow())
    title = label("stock_kind", doc["kind"])
    status = label("stock_status", doc["status"])
    units = {code: t_plain(message) for code, message in labels("stock_unit").items()}

    def pdf() -> bytes:
        return document_pdf(stock_document(doc, company, lang, title=title, status=status, units=units))

    st.download_button(
        t("Print (PDF)"),
        pdf,
        file_name=f"{doc['number']}.pdf",
        mime="application/pdf",
        key=f"{prefix}_pdf",
        on_click="ignore",
    )


def _sheet_form(actor: Actor, key: str, rows: list[dict[str, Any]]) -> None:
    """How many labels of each item (`rows`: item_id, name, article, count) and where on the
    first sheet to start; on submit, the sheet to download or the messages."""
    sheet = stock.label_stock(uow(), actor)
    st.caption(t("Label sheets: {stock}, {n} labels a sheet (a setting).", stock=sheet.name, n=sheet.per_sheet))
    slots = FieldSlots()
    with st.form(f"{key}_form"):
        edited = st.data_editor(
            pd.DataFrame(rows)[["item_id", "name", "article", "count"]],
            key=f"{key}_counts",
            hide_index=True,
            disabled=["item_id", "name", "article"],
            column_config={
                "item_id": None,
                "name": st.column_config.TextColumn(t_plain("Item")),
                "article": st.column_config.TextColumn(t_plain("Article")),
                "count": st.column_config.NumberColumn(
                    t_plain("Labels"), min_value=0, max_value=MAX_LABELS, step=1, required=True
                ),
            },
        )
        slots.slot("labels")
        start = st.number_input(
            t("Start at label (a partly used sheet)"),
            min_value=1,
            max_value=sheet.per_sheet,
            value=1,
            step=1,
            help=t("Labels are counted row by row from the top left, 1 to {n}.", n=sheet.per_sheet),
        )
        slots.slot("start")
        submitted = st.form_submit_button(t("Make the label sheet"), type="primary")
    if not submitted:
        return
    counts = [LabelCount(int(r["item_id"]), str(r["count"]).split(".")[0]) for _, r in edited.iterrows()]
    ok, pdf = run_action(lambda: stock.print_labels(uow(), actor, counts, str(int(start))), slots)
    if ok and pdf is not None:
        st.download_button(
            t("Download the labels (PDF)"),
            pdf,
            file_name=f"labels-{key}.pdf",
            mime="application/pdf",
            key=f"{key}_download",
            type="primary",
            on_click="ignore",
        )


def receipt_labels(actor: Actor, prefix: str, document_id: int) -> None:
    """A receipt's labels: one per received unit of what is counted in pieces, one for the
    rest, each count open to change."""
    with st.expander(t("Print barcode labels")):
        rows = stock.receipt_labels(uow(), actor, document_id)
        _sheet_form(actor, f"{prefix}_labels_{document_id}", rows)


def item_labels(actor: Actor, prefix: str, item: dict[str, Any]) -> None:
    """An item's labels, as many as asked for."""
    with st.expander(t("Print barcode labels")):
        row = {"item_id": item["id"], "name": item["name"], "article": item["article"], "count": 1}
        _sheet_form(actor, f"{prefix}_labels_{item['id']}", [row])
