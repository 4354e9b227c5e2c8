"""The e-mail outbox (administrators): what was sent, what failed, what was never sent."""

from __future__ import annotations

import streamlit as st

from common.i18n import N_
from core.services.listing import ListQuery
from core.services.notifications import list_outbox, resend_held
from jobs.app import defer_outbox_delivery
from ui.auth import require_page
from ui.context import runtime, t, t_n, uow
from ui.forms import run_action
from ui.grid import Column, table
from ui.labels import label, labels

actor = require_page("outbox")
st.title(t("E-mail outbox"))
if not runtime().email_configured:
    st.warning(
        t("No e-mail provider is configured: messages are kept here and NOT sent. Set SENDGRID_API_KEY to send them.")
    )
elif st.button(t("Send waiting messages now"), key="outbox_send_now"):
    run_action(
        lambda: defer_outbox_delivery(runtime().location.conninfo),
        success=N_("A worker will send the waiting messages."),
    )
cols = st.columns(3)
status = cols[0].selectbox(
    t("Status"),
    ["", *labels("outbox_status")],
    format_func=lambda s: label("outbox_status", s) or t("All"),
    key="outbox_status",
)
page_no = cols[1].number_input(t("Page"), min_value=1, value=1, key="outbox_page")
page = list_outbox(
    uow(),
    actor,
    ListQuery(
        filters=(("status", status),) if status else (),
        sort="created_at",
        descending=True,
        page=int(page_no),
        page_size=50,
    ),
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
    st.info(t("The outbox is empty."))
else:
    table(
        page.rows,
        [
            Column("created_at", N_("Created")),
            Column("status", N_("Status"), labels=labels("outbox_status")),
            Column("to_address", N_("To")),
            Column("subject", N_("Subject"), wide=True),
            Column("attempts", N_("Attempts"), kind="number"),
            Column("last_error", N_("Error")),
            Column("sent_at", N_("Sent")),
        ],
        key="outbox_grid",
    )
    chosen = st.selectbox(
        t("Read a message"),
        [None, *[r["id"] for r in page.rows]],
        format_func=lambda i: (
            "" if i is None else next(f"#{r['id']} {r['subject']}" for r in page.rows if r["id"] == i)
        ),
        key="outbox_read",
    )
    if chosen is not None:
        row = next(r for r in page.rows if r["id"] == chosen)
        st.code(row["body_text"], language=None)
        if row["status"] == "held":
            st.caption(
                t(
                    "Twara was interrupted while sending this message and the provider cannot say whether it"
                    " received it. Ask the recipient; resend it only if it did not arrive."
                )
            )
            if st.button(t("Resend this message"), key=f"outbox_resend_{chosen}"):
                ok, _ = run_action(
                    lambda: resend_held(uow(), actor, chosen), success=N_("The message is queued again.")
                )
                if ok:
                    st.rerun()
