"""How a status looks on screen: a document's (worked out by `core.fleet.document_status`
in the services) and a maintenance plan's."""

from __future__ import annotations

from ui.formatting import Markdown, esc
from ui.labels import label

STATE_BADGE = {"valid": "green", "expiring": "orange", "expired": "red", "none": "gray"}
PLAN_BADGE = {"ok": "green", "due": "orange", "overdue": "red"}


def badge(state: str, text: str | None = None) -> Markdown:
    """A coloured badge of a document status, with its label or `text` (escaped unless it is
    already markdown, e.g. a `t()` result)."""
    return Markdown(f":{STATE_BADGE[state]}-badge[{esc(text) or esc(label('document_state', state))}]")


def plan_badge(state: str) -> Markdown:
    """A coloured badge of a maintenance plan's state."""
    return Markdown(f":{PLAN_BADGE[state]}-badge[{esc(label('maintenance_state', state))}]")
