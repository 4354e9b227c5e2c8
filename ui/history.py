"""The History tab: a record's entries of the activity log."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from common.i18n import N_
from core.services.activity import history
from ui.context import current_actor, t, uow
from ui.formatting import show
from ui.grid import table

ACTION_LABELS = {
    "create": N_("Created"),
    "update": N_("Changed"),
    "archive": N_("Archived"),
    "restore": N_("Restored"),
    "delete": N_("Deleted"),
    "login": N_("Logged in"),
    "logout": N_("Logged out"),
    "login_failed": N_("Failed login"),
    "login_refused_locked": N_("Login refused (locked)"),
    "login_refused_disabled": N_("Login refused (disabled)"),
    "export": N_("Exported"),
}


def describe_changes(action: str, changes: dict) -> str:  # type: ignore[type-arg]
    if action == "create":
        values = changes.get("after", {})
        return "; ".join(f"{k}: {v}" for k, v in values.items() if v not in (None, ""))
    if action == "delete":
        return "; ".join(f"{k}: {v}" for k, v in changes.get("before", {}).items())
    parts = []
    for field, diff in changes.items():
        if isinstance(diff, dict) and "before" in diff:
            parts.append(
                f"{field}: {diff['before'] if diff['before'] is not None else '—'} → "
                f"{diff['after'] if diff['after'] is not None else '—'}"
            )
        else:
            parts.append(f"{field}: {diff}")
    return "; ".join(parts)


def history_tab(entity_type: str | tuple[str, ...], entity_id: object) -> None:
    actor = current_actor()
    assert actor is not None
    rows = history(uow(), actor, entity_type, entity_id)
    if not rows:
        st.caption(t("No history yet."))
        return
    frame = pd.DataFrame(
        [
            {
                t("When"): show(r["at"]),
                t("Who"): r["username"] or "",
                t("Action"): t(ACTION_LABELS.get(r["action"], r["action"])),
                t("Changes"): describe_changes(r["action"], r["changes"] or {}),
            }
            for r in rows
        ]
    )
    table(frame, key=f"history_{entity_type}_{entity_id}", wide=t("Changes"))
