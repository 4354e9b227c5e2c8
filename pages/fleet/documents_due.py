"""Documents due (SPEC F4): everything expired or ending soon, across vehicles, trailers
and drivers, with the person responsible."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from common.i18n import N_
from core.services.fleet import documents_due
from core.services.listing import ListQuery
from ui.auth import require_page
from ui.context import t, t_n, t_plain_n, uow
from ui.fleet.status import STATE_LABELS
from ui.formatting import show
from ui.grid import table

actor = require_page("documents_due")
KINDS = {"vehicle": N_("Vehicles"), "trailer": N_("Trailers"), "driver": N_("Drivers")}
KIND_ONE = {"vehicle": N_("Vehicle"), "trailer": N_("Trailer"), "driver": N_("Driver")}
st.title(t("Documents due"))
c = st.columns([2, 2, 3, 1])
days = c[0].selectbox(
    t("Ending within"),
    [7, 14, 30, 60, 90],
    index=2,
    format_func=lambda d: t_plain_n("{n} day", "{n} days", d),
    key="docsdue_days",
)
kind = c[1].selectbox(t("For"), ["", *KINDS], format_func=lambda k: t(KINDS[k]) if k else t("All"), key="docsdue_kind")
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
    frame = pd.DataFrame(
        [
            {
                t("Status"): t(STATE_LABELS[r["status"]]),
                t("Status") + "__state": r["status"],
                t("Valid to"): show(r["valid_to"]),
                t("Document"): t(r["type"]) + (" *" if r["required"] else ""),
                t("Number"): r["number"] or "",
                t("For"): t(KIND_ONE[r["kind"]]),
                t("Record"): r["owner"],
                t("Responsible"): r["responsible"] or t("Dispatchers"),
            }
            for r in page.rows
        ]
    )
    table(frame, key="docsdue_grid", height=640, wide=t("Record"), coloured=t("Status"))
    st.caption("\\" + t("* required for dispatch. Page {page} of {pages}.", page=page.page, pages=page.pages))
