"""How a status looks on screen: a document's (worked out by `core.fleet.document_status`
in the services) and a maintenance plan's."""

from __future__ import annotations

from common.i18n import N_
from ui.context import t

STATE_LABELS = {"valid": N_("Valid"), "expiring": N_("Expiring"), "expired": N_("Expired"), "none": N_("No documents")}
STATE_BADGE = {"valid": "green", "expiring": "orange", "expired": "red", "none": "gray"}
PLAN_BADGE = {"ok": ("green", N_("Not due")), "due": ("orange", N_("Due soon")), "overdue": ("red", N_("Overdue"))}


def badge(state: str, text: str | None = None) -> str:
    """A coloured badge of a document status, with its label or `text`."""
    return f":{STATE_BADGE[state]}-badge[{text or t(STATE_LABELS[state])}]"
