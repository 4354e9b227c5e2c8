"""The activity log (SPEC P3): who did what, when, with filters."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pandas as pd
import plotly.express as px
import streamlit as st

from analytics.activity import run as activity_by_day
from common.i18n import N_
from core.services.activity import activity_filter_options, list_activity, log_references
from core.services.listing import ListQuery
from ui.auth import require_page
from ui.context import company_locale, company_today, runtime, t, t_n, uow
from ui.grid import Column
from ui.history import log_row, row_link
from ui.labels import label
from ui.links import linked_table

actor = require_page("activity")
st.title(t("Activity log"))
options = activity_filter_options(uow(), actor)
cols = st.columns(5)
all_label = t("All")
user = cols[0].selectbox(
    t("User"),
    ["", *options["username"]],
    format_func=lambda v: label("author", v) or all_label,
    key="activity_user",
)
entity = cols[1].selectbox(
    t("Record type"),
    ["", *sorted(options["entity_type"], key=lambda v: label("record", v))],
    format_func=lambda v: label("record", v) or all_label,
    key="activity_entity",
)
action = cols[2].selectbox(
    t("Action"),
    ["", *options["action"]],
    format_func=lambda v: label("action", v) or all_label,
    key="activity_action",
)
today = company_today()
period = cols[3].date_input(
    t("Period"), (today - dt.timedelta(days=30), today), format="DD/MM/YYYY", key="activity_period"
)
page_no = cols[4].number_input(t("Page"), min_value=1, value=1, key="activity_page")
start = end = None
if isinstance(period, tuple) and len(period) == 2:
    zone = ZoneInfo(company_locale()[1])  # the company's days, whatever the server's clock
    start = dt.datetime.combine(period[0], dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(period[1] + dt.timedelta(days=1), dt.time.min, tzinfo=zone)


@st.cache_data(ttl=60, show_spinner=False)
def _per_day(first: dt.date, last: dt.date, tz: str) -> pd.DataFrame:
    return activity_by_day(runtime().location.conninfo, first, last, tz)


if start and end and isinstance(period, tuple):
    per_day = _per_day(period[0], period[1], company_locale()[1])
    if not per_day.empty:
        per_day = per_day.assign(username=per_day["username"].map(lambda u: label("author", u)))
        chart = px.bar(
            per_day.rename(columns={"day": t("Day"), "actions": t("Actions"), "username": t("User")}),
            x=t("Day"),
            y=t("Actions"),
            color=t("User"),
            height=260,
        )
        chart.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10}, legend_title_text="")
        st.plotly_chart(chart, width="stretch", config={"displayModeBar": False})
filters = tuple((k, v) for k, v in (("username", user), ("entity_type", entity), ("action", action)) if v)
page = list_activity(
    uow(), actor, ListQuery(filters=filters, sort="at", descending=True, page=int(page_no), page_size=100), start, end
)
st.caption(
    t_n(
        "Page {page} of {pages} · {n} record",
        "Page {page} of {pages} · {n} records",
        page.total,
        page=page.page,
        pages=page.pages,
    )
)
if not page.rows:
    st.info(t("No activity matches these filters."))
else:
    # the records the page speaks of, named in one look-up; a row opens its record when clicked
    refs = log_references(uow(), actor, page.rows)
    cells = [log_row(r, refs) for r in page.rows]
    linked_table(
        actor,
        cells,
        [
            Column("at", N_("When")),
            Column("who", N_("Who")),
            Column("action", N_("Action")),
            Column("kind", N_("Record type")),
            Column("record", N_("Record")),
            Column("changes", N_("Changes"), wide=True),
        ],
        [row_link(r, refs) for r in page.rows],
        key=f"activity_grid_{page.page}",
        titles=[f"{c['kind']} · {c['record']} · {c['at']}" for c in cells],
    )
