"""The import of clients (and one contact per row) from CSV or Excel."""

from __future__ import annotations

import streamlit as st

from core.imports import read_table
from core.services import crm
from ui.context import t, uow
from ui.crm.screen import ClientScreen
from ui.forms import run_action, show_import_report


def import_popover(screen: ClientScreen) -> None:
    """Clients (and one contact per row) from CSV or Excel, with a per-row report."""
    if not screen.can_edit:
        return
    with st.popover(t("Import"), icon=":material/upload:"):
        st.caption(
            t(
                "Columns: name, kind, trading_name, tax_id, phone, email, region, address, category, status, tags, "
                "source, contact_name, contact_role, contact_phone, contact_email"
            )
        )
        upload = st.file_uploader(t("File"), type=["csv", "xlsx"], key=f"{screen.key}_import_file")
        if upload is not None and st.button(t("Import"), key=f"{screen.key}_import_go", type="primary"):
            content = upload.getvalue()
            ok, report = run_action(lambda: crm.import_clients(uow(), screen.actor, read_table(upload.name, content)))
            if ok and report is not None:
                show_import_report(report)
