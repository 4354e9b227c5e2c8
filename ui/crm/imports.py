"""The import of clients (and one contact per row) from CSV or Excel."""

from __future__ import annotations

import streamlit as st

from core.services import crm
from ui.context import t
from ui.crm.screen import ClientScreen
from ui.importer import import_form


def import_popover(screen: ClientScreen) -> None:
    """Clients (and one contact per row) from CSV or Excel, with a per-row report."""
    if not screen.can_edit:
        return
    with st.popover(t("Import"), icon=":material/upload:"):
        st.caption(t("Columns: {columns}", columns=", ".join(crm.CLIENT_FIELDS.known)))
        import_form(screen.actor, "clients", screen.key)
