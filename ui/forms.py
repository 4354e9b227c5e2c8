"""Form helpers: field errors shown next to their field, domain errors translated."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import streamlit as st

from common.errors import DomainError, PermissionDenied, RecordChanged, ValidationError
from core.imports import DUPLICATE_ACTIONS, ImportReport
from core.services.importing import rejected_csv
from ui.context import language, t, t_n, t_plain
from ui.formatting import esc

log = logging.getLogger("twara.ui")
T = TypeVar("T")


class FieldSlots:
    """Reserve a place under each field; after submit, errors land in their place."""

    def __init__(self) -> None:
        self.slots: dict[str, Any] = {}

    def slot(self, field: str) -> None:
        self.slots[field] = st.empty()

    def show(self, exc: ValidationError) -> None:
        for field, (message, params) in exc.errors.items():
            text = t(message, **params)
            place = self.slots.get(field)
            if place is not None:
                place.error(text, icon=":material/error:")
            else:
                st.error(text)


def run_action(
    action: Callable[[], T], slots: FieldSlots | None = None, success: str | None = None
) -> tuple[bool, T | None]:
    """Call a service; turn every failure into a message, never a traceback.

    Returns (ok, result).
    """
    try:
        result = action()
    except ValidationError as exc:
        if slots is not None:
            slots.show(exc)
            st.error(t("Please correct the fields marked above."))
        else:
            for message, params in exc.errors.values():
                st.error(t(message, **params))
        return False, None
    except PermissionDenied as exc:
        st.error(t(exc.message, **exc.params))
        return False, None
    except DomainError as exc:
        st.error(t(exc.message, **exc.params))
        return False, None
    except Exception:
        log.exception("action failed")
        st.error(t("Something went wrong and nothing was saved. The error has been logged."))
        return False, None
    if success:
        st.toast(t(success))
    return True, result


def _version_key(form_key: str) -> str:
    return f"{form_key}_opened_version"


def edit_version(form_key: str, version: int) -> int:
    """Remember the version of the record that the edit form `form_key` was opened with.

    Call it on every run before the form. The first version shown stays until the form is
    saved, or refused because the record changed meanwhile; `run_edit` then forgets it, so
    the next run starts again from the record as it is."""
    return int(st.session_state.setdefault(_version_key(form_key), version))


def run_edit(
    form_key: str, save: Callable[[int], T], slots: FieldSlots | None = None, success: str | None = None
) -> tuple[bool, T | None]:
    """`run_action` for the save of an edit form: `save` gets the version the form was opened
    with (`edit_version`). A record changed since is refused by the service (RecordChanged)
    and the message shows here, at the form; nothing is saved."""
    key = _version_key(form_key)
    refused = False

    def call() -> T:
        nonlocal refused
        try:
            return save(int(st.session_state[key]))
        except RecordChanged:
            refused = True
            raise

    ok, result = run_action(call, slots, success)
    if ok or refused:
        st.session_state.pop(key, None)
    return ok, result


@contextmanager
def guarded() -> Iterator[None]:
    """Render a block; a failure shows a message instead of a traceback."""
    try:
        yield
    except DomainError as exc:
        st.error(t(exc.message, **exc.params))
    except Exception:
        log.exception("render failed")
        st.error(t("Something went wrong while showing this part. The error has been logged."))


def show_import_report(report: ImportReport, key: str) -> None:
    """What an import did (or, in a dry run, would do): how the file was read, what became
    of each column, the likely duplicates, each refused row with its reason, and those rows
    to download (with the reason), fix and import again."""
    import pandas as pd

    lang = language()
    (st.info if report.dry_run else st.success)(esc(report.totals(lang)))
    if report.separator:
        st.caption(esc(report.read_note(lang)))
    notes = report.column_notes(lang)  # they name the file's own columns: data, escaped
    if notes:
        (st.warning if report.ignored_columns else st.caption)("\n".join(f"- {esc(n)}" for n in notes))
    if report.duplicates:
        st.warning(t_n("{n} likely duplicate:", "{n} likely duplicates:", len(report.duplicates)))
        rows = [
            {t("Row"): d.row, t("Problem"): d.describe(lang), t("Done"): t(DUPLICATE_ACTIONS[d.action])}
            for d in report.duplicates
        ]
        st.dataframe(pd.DataFrame(rows), hide_index=True)
    if report.errors:
        st.error(t_n("{n} row was not imported:", "{n} rows were not imported:", len({e.row for e in report.errors})))
        rows = [
            {t("Row"): e.row, t("Field"): e.column, t("Problem"): t_plain(e.message, **e.params)} for e in report.errors
        ]
        st.dataframe(pd.DataFrame(rows), hide_index=True)
    if report.rejected:
        st.download_button(
            t("Download the rows not imported, with the reason"),
            rejected_csv(report, lang),
            file_name="rows-not-imported.csv",
            mime="text/csv",
            key=f"{key}_import_rejected",
        )
