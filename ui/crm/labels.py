"""Labels shared by the CRM screens, and a follow-up's words in the reader's language."""

from __future__ import annotations

import datetime as dt

from common.i18n import N_
from db.models.crm import CLIENT_STATUSES as CLIENT_STATUSES  # for the pages, which import no db
from ui.context import t
from ui.formatting import Markdown, esc, show

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
    "tariff_sheet": N_("Price list"),  # a scanned price-list document: users call it a price list
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


def follow_up_text(title: str, params: dict[str, object] | None) -> Markdown:
    """A follow-up's words in the reader's language, its dates in the reader's format, as
    markdown: `title` is our message when it has `params` (filled escaped), else a user's
    words (an interaction's topic, escaped)."""
    shown: dict[str, object] = {}
    for key, value in (params or {}).items():
        if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
            try:
                value = show(dt.date.fromisoformat(value))
            except ValueError:
                pass
        shown[key] = value
    return t(title, **shown) if params is not None else esc(title)
