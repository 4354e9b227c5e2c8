"""Import of vehicles, trailers or drivers from a spreadsheet, with the per-row report."""

from __future__ import annotations

import streamlit as st

from common.actor import Actor
from common.roles import CAN_EDIT_FLEET
from core.services import fleet
from ui.context import t
from ui.importer import import_form


def import_box(actor: Actor, kind: str, prefix: str) -> None:
    """Import units or drivers from CSV/Excel, with a per-row report."""
    if actor.role not in CAN_EDIT_FLEET:
        return
    with st.popover(t("Import"), icon=":material/upload:"):
        st.caption(
            t(
                "CSV or Excel with one row per record. Valid rows are imported; invalid rows are listed "
                "with the reason and nothing of them is saved."
            )
        )
        st.download_button(
            t("Download a template"),
            fleet.template_csv(kind),
            file_name=f"{kind}-template.csv",
            mime="text/csv",
            key=f"{prefix}_import_template",
        )
        import_form(actor, f"{kind}s", prefix)
