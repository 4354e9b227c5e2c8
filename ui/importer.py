"""The import form every catalog shares: the file, what each column becomes (a field or
ignore, the usual other names already read as their field), what to do with likely
duplicates, a dry run, and the report with the rejected rows to download."""

from __future__ import annotations

import streamlit as st

from common.actor import Actor
from common.i18n import N_
from core.imports import DUPLICATE_CHOICES, IGNORE
from core.services import importing
from ui.context import t, t_n, uow
from ui.forms import run_action, show_import_report

DUPLICATE_LABELS = {
    "skip": N_("Skip them (listed in the report)"),
    "import": N_("Import them all the same"),
}


def import_form(actor: Actor, kind: str, prefix: str) -> None:
    """`kind` as core.services.importing names it (clients, vehicles, drivers, items, ...)."""
    upload = st.file_uploader(t("File"), type=["csv", "xlsx"], key=f"{prefix}_import_file")
    if upload is not None:
        name, content = upload.name, upload.getvalue()
        ok, preview = run_action(lambda: importing.preview(kind, name, content))
        if ok and preview is not None:
            sheet, uses = preview
            fields = importing.fields_for(kind)
            options = [IGNORE, *fields.known]
            chosen: dict[str, str] = {}
            st.caption(
                t_n(
                    "{n} row, columns: {columns}",
                    "{n} rows, columns: {columns}",
                    len(sheet.rows),
                    columns=", ".join(sheet.columns),
                )
            )
            for use in uses:
                if use.how == "known":
                    continue
                guess = use.field or IGNORE
                choice = st.selectbox(
                    t("Column {column}", column=use.column),
                    options,
                    index=options.index(guess),
                    format_func=lambda f: t("ignore") if f == IGNORE else f,
                    key=f"{prefix}_import_map_{use.column}",
                )
                if choice != guess:
                    chosen[use.column] = choice
            duplicates = st.radio(
                t("Likely duplicates (in the file or already saved)"),
                DUPLICATE_CHOICES,
                format_func=lambda c: t(DUPLICATE_LABELS[c]),
                key=f"{prefix}_import_duplicates",
            )
            dry_run = st.checkbox(t("Dry run: check everything, save nothing"), key=f"{prefix}_import_dry")
            if st.button(t("Import"), key=f"{prefix}_import_go", type="primary"):
                ok, report = run_action(
                    lambda: importing.run_import(uow(), actor, kind, name, content, chosen, duplicates, dry_run)
                )
                if ok and report is not None:
                    st.session_state[f"{prefix}_import_report"] = report
    report = st.session_state.get(f"{prefix}_import_report")
    if report is not None:
        show_import_report(report, prefix)
