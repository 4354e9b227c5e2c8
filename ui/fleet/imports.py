"""Import of vehicles, trailers or drivers from a spreadsheet, with the per-row report."""

from __future__ import annotations

import streamlit as st

from common.actor import Actor
from common.roles import CAN_EDIT_FLEET
from core.imports import ImportReport, read_table
from core.services import fleet
from ui.context import t, uow
from ui.forms import run_action, show_import_report


def _import(actor: Actor, kind: str, filename: str, content: bytes) -> ImportReport:
    rows = read_table(filename, content)
    if kind == "driver":
        return fleet.import_drivers(uow(), actor, rows)
    return fleet.import_units(uow(), actor, kind, rows)


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
        upload = st.file_uploader(t("File"), type=["csv", "xlsx"], key=f"{prefix}_import_file")
        if upload is not None and st.button(t("Import"), key=f"{prefix}_import_go", type="primary"):
            name, content = upload.name, upload.getvalue()
            ok, report = run_action(lambda: _import(actor, kind, name, content))
            if ok and report is not None:
                st.session_state[f"{prefix}_import_report"] = report
        report = st.session_state.get(f"{prefix}_import_report")
        if report is not None:
            show_import_report(report)
