"""Documents due (SPEC F4): everything expired or ending soon, across vehicles, trailers
and drivers, with the person responsible; a row opens its vehicle, trailer or driver."""

from __future__ import annotations

import streamlit as st

from common.i18n import N_
from core.services.fleet import documents_due
from core.services.listing import ListQuery
from ui.auth import require_page
from ui.context import t, t_n, t_plain, t_plain_n, uow
from ui.formatting import show
from ui.grid import Column
from ui.labels import label, labels
from ui.links import linked_table

actor = require_page("documents_due")
st.title(t("Documents due"))
c = st.columns([2, 2, 3, 1])
days = c[0].selectbox(
    t("Ending within"),
    [7, 14, 30, 60, 90],
    index=2,
    format_func=lambda d: t_plain_n("{n} day", "{n} days", d),
    key="docsdue_days",
)
kind = c[1].selectbox(
    t("For"),
    ["", *labels("fleet_group")],
    format_func=lambda k: label("fleet_group", k) or t("All"),
    key="docsdue_kind",
)
search = c[2].text_input(t("Search"), key="docsdue_search", placeholder=t("Plate, name, document..."))
page_no = c[3].number_input(t("Page"), min_value=1, value=1, key="docsdue_page")
page = documents_due(
    uow(),
    actor,
    int(days),
    ListQuery(search=search, filters=(("kind", kind),) if kind else (), page=int(page_no), page_size=100),
)
expired = sum(1 for r in page.rows if r["status"] == "expired")
m = st.columns(3)
m[0].metric(t("Documents due"), show(page.total, "number"))
m[1].metric(t("Expired on this page"), show(expired, "number"))
if not page.rows:
    st.success(t_n("Nothing expires within {n} day.", "Nothing expires within {n} days.", int(days)))
else:
    rows = [
        {
            **r,
            "status_state": r["status"],
            "type": label("name", r["type"]) + (" *" if r["required"] else ""),
            "responsible": r["responsible"] or t_plain("Dispatchers"),
        }
        for r in page.rows
    ]
    linked_table(  # a row opens the vehicle, trailer or driver
        actor,
        rows,
        [
            Column("status", N_("Status"), kind="status", labels=labels("document_state")),
            Column("valid_to", N_("Valid to")),
            Column("type", N_("Document")),
            Column("number", N_("Number")),
            Column("kind", N_("For"), labels=labels("fleet_owner")),
            Column("owner", N_("Record"), wide=True),
            Column("responsible", N_("Responsible")),
        ],
        [(r["kind"], r["owner_id"]) for r in page.rows],
        key=f"docsdue_grid_{page.page}",
        titles=[f"{r['owner']} · {label('name', r['type'])}" for r in page.rows],
    )
    st.caption("\\" + t("* required for dispatch. Page {page} of {pages}.", page=page.page, pages=page.pages))
