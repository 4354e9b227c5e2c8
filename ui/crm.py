"""Labels and inputs shared by the CRM pages."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import streamlit as st

from common.i18n import N_
from ui.context import company_locale, t

STATUS_LABELS = {
    "prospect": N_("Prospect"),
    "active": N_("Active"),
    "dormant": N_("Dormant"),
    "lost": N_("Lost"),
}
KIND_LABELS = {
    "call": N_("Call"),
    "meeting": N_("Meeting"),
    "visit": N_("Visit"),
    "email": N_("E-mail"),
    "sms": N_("SMS"),
    "letter": N_("Letter"),
    "document": N_("Document"),
    "follow_up": N_("Follow-up done"),
    "consent": N_("Consent"),
    "contract": N_("Contract"),
    "price_list": N_("Price list"),
}
CHANNEL_LABELS = {"email": N_("E-mail"), "sms": N_("SMS"), "phone": N_("Phone")}
PURPOSE_LABELS = {"marketing": N_("Marketing"), "service": N_("Service")}
HOW_LABELS = {
    "form": N_("Signed form"),
    "stop_reply": N_("Replied STOP"),
    "unsubscribe_link": N_("Unsubscribe link"),
    "phone": N_("By phone"),
    "paper": N_("Letter"),
    "import": N_("Imported"),
}
RULE_LABELS = {
    "silent": N_("No contact for N days"),
    "promise": N_("Promise due (N days ahead)"),
    "next_step": N_("Next step due (N days ahead)"),
    "contract": N_("Contract or price list ends (N days ahead)"),
    "promo": N_("Promotional contact every N days"),
}


def follow_up_text(title: str, params: dict[str, object] | None) -> str:
    """A follow-up's words in the reader's language, its dates in the reader's format."""
    from ui.formatting import show

    shown: dict[str, object] = {}
    for key, value in (params or {}).items():
        if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
            try:
                value = show(dt.date.fromisoformat(value))
            except ValueError:
                pass
        shown[key] = value
    return t(title, **shown) if params is not None else title


def when_input(key: str, planned: bool) -> dt.datetime:
    """A date and a time in the company's time zone, returned timezone-aware."""
    zone = ZoneInfo(company_locale()[1])
    now = dt.datetime.now(zone)
    default = (now + dt.timedelta(days=1)).replace(hour=9, minute=0) if planned else now
    c = st.columns(2)
    day = c[0].date_input(t("Date"), default.date(), key=f"{key}_d", format="DD/MM/YYYY")
    time = c[1].time_input(t("Time"), default.time().replace(second=0, microsecond=0), key=f"{key}_t", step=900)
    return dt.datetime.combine(day, time, tzinfo=zone)
