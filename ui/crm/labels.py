"""A follow-up's words in the reader's language (the CRM's codes are labelled by `ui.labels`)."""

from __future__ import annotations

import datetime as dt

from ui.context import t
from ui.formatting import Markdown, esc, show


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
