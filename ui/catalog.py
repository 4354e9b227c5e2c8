"""The catalog screen (SPEC U1), one component for every catalog.

On top, the list: search box, filters, sort and paging done in SQL, so the grid
(streamlit-aggrid) only ever receives one page of rows; a row is selected by clicking
it. Below, tabs with the selected record: details and edit form, the tabs a catalog
adds, Attachments and History. Add, archive/restore, export of the filtered list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from common.i18n import N_
from core.exports import csv_bytes, xlsx_bytes
from core.services.listing import ListQuery, PageResult
from ui.attachments import attachments_tab
from ui.context import t, t_n
from ui.formatting import show
from ui.forms import guarded
from ui.grid import Column, grid_frame, show_grid
from ui.history import history_tab

PAGE_SIZES = (25, 50, 100, 200)


@dataclass(frozen=True)
class Filter:
    key: str
    label: str
    options: list[tuple[str, str]]  # (value, shown label)


@dataclass
class Catalog:
    key: str  # session-state prefix, e.g. "employees"
    entity_type: str
    title_of: Callable[[dict[str, Any]], str]
    columns: list[Column]
    list_page: Callable[[ListQuery], PageResult]
    export_rows: Callable[[ListQuery], list[dict[str, Any]]]
    default_sort: str
    sort_keys: list[str]
    render_details: Callable[[int], None]
    render_add: Callable[[], None] | None = None
    filters: list[Filter] = field(default_factory=list)
    extra_tabs: list[tuple[str, Callable[[int], None]]] = field(default_factory=list)
    can_edit: bool = False
    attachments: bool = True
    history_types: tuple[str, ...] = ()  # entity types whose log rows make up a record's history
    archived_label: str = N_("Show archived")
    add_label: str = N_("Add new")
    search_placeholder: str = N_("Search")
    newest_first: bool = False  # the default order runs from the latest record (documents, logs)


def _k(cat: Catalog | str, name: str) -> str:
    return f"{cat if isinstance(cat, str) else cat.key}_{name}"


def open_record(catalog_key: str, record_id: int) -> None:
    """Show `record_id` in the catalog's detail tabs on the next run (after an add, or when
    another screen sends the user to a record). Pages call this, never the catalog's keys."""
    st.session_state[_k(catalog_key, "selected")] = record_id
    st.session_state[_k(catalog_key, "mode")] = "view"


def current_query(cat: Catalog) -> ListQuery:
    ss = st.session_state
    filters = tuple(
        (f.key, ss.get(_k(cat, f"filter_{f.key}"), "")) for f in cat.filters if ss.get(_k(cat, f"filter_{f.key}"), "")
    )
    return ListQuery(
        search=ss.get(_k(cat, "search"), ""),
        filters=filters,
        sort=ss.get(_k(cat, "sort"), cat.default_sort),
        descending=ss.get(_k(cat, "desc"), cat.newest_first),
        page=ss.get(_k(cat, "page"), 1),
        page_size=ss.get(_k(cat, "page_size"), 50),
        include_archived=ss.get(_k(cat, "archived"), False),
    )


def _reset_page(cat: Catalog) -> None:
    st.session_state[_k(cat, "page")] = 1


def _toolbar(cat: Catalog) -> None:
    n_filters = len(cat.filters)
    cols = st.columns([3] + [2] * n_filters + [2, 2], vertical_alignment="bottom")
    cols[0].text_input(
        t("Search"),
        key=_k(cat, "search"),
        placeholder=t(cat.search_placeholder),
        on_change=_reset_page,
        args=(cat,),
    )
    for i, flt in enumerate(cat.filters):
        values = [""] + [v for v, _ in flt.options]
        labels = {"": t("All"), **dict(flt.options)}
        cols[1 + i].selectbox(
            t(flt.label),
            values,
            format_func=lambda v, labels=labels: labels.get(v, v),
            key=_k(cat, f"filter_{flt.key}"),
            on_change=_reset_page,
            args=(cat,),
        )
    labels = {c.key: t(c.label) for c in cat.columns}
    cols[1 + n_filters].selectbox(
        t("Sort by"),
        cat.sort_keys,
        format_func=lambda k: labels.get(k, k),
        key=_k(cat, "sort"),
    )
    cols[2 + n_filters].toggle(t("Descending"), key=_k(cat, "desc"))


def _grid(cat: Catalog, page: PageResult) -> int | None:
    frame = grid_frame(page.rows, cat.columns, with_id=True)
    return show_grid(frame, cat.columns, _k(cat, "grid"), selectable=True)


def _pager(cat: Catalog, page: PageResult) -> None:
    cols = st.columns([1, 1, 3, 2], vertical_alignment="bottom")
    if cols[0].button(t("Previous"), icon=":material/chevron_left:", key=_k(cat, "prev"), disabled=page.page <= 1):
        st.session_state[_k(cat, "page")] = page.page - 1
        st.rerun()
    if cols[1].button(
        t("Next"), icon=":material/chevron_right:", key=_k(cat, "next"), disabled=page.page >= page.pages
    ):
        st.session_state[_k(cat, "page")] = page.page + 1
        st.rerun()
    cols[2].markdown(
        t_n(
            "Page {page} of {pages} · {n} record",
            "Page {page} of {pages} · {n} records",
            page.total,
            page=page.page,
            pages=page.pages,
        )
    )
    cols[3].selectbox(
        t("Rows per page"),
        PAGE_SIZES,
        key=_k(cat, "page_size"),
        index=1,
        on_change=_reset_page,
        args=(cat,),
    )


def export_bytes(cat: Catalog, rows: list[dict[str, Any]], fmt: str) -> bytes:
    """The rows as the reader sees them (translated headers, formatted values), dates and
    moments in ISO 8601 (moments in the company's time zone), as CSV or Excel that never
    turns a value into a formula (core.exports)."""
    # deferred imports: kept with the one function of this module that uses them
    from core.exports import iso_text  # deferred
    from ui.context import company_locale  # deferred

    zone = company_locale()[1]
    header = [t(c.label) for c in cat.columns]
    values = [[iso_text(r.get(c.key), zone) or show(r.get(c.key), c.kind) for c in cat.columns] for r in rows]
    if fmt == "csv":
        return csv_bytes(header, values)
    return xlsx_bytes(header, values, sheet=cat.key)


def _export(cat: Catalog, query: ListQuery) -> None:
    with st.popover(t("Export"), icon=":material/download:"):
        st.caption(t("Exports every record that matches the search and filters, not only this page."))
        if st.button(t("Prepare the files"), key=_k(cat, "export_prepare")):
            with guarded():
                rows = cat.export_rows(query)
                st.session_state[_k(cat, "export")] = (
                    export_bytes(cat, rows, "csv"),
                    export_bytes(cat, rows, "xlsx"),
                    len(rows),
                )
        ready = st.session_state.get(_k(cat, "export"))
        if ready:
            csv_data, xlsx_data, count = ready
            st.caption(t_n("{n} record ready.", "{n} records ready.", count))
            st.download_button(
                t("Download CSV"), csv_data, file_name=f"{cat.key}.csv", mime="text/csv", key=_k(cat, "export_csv")
            )
            st.download_button(
                t("Download Excel"),
                xlsx_data,
                file_name=f"{cat.key}.xlsx",
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                key=_k(cat, "export_xlsx"),
            )


def _actions(cat: Catalog, page: PageResult, query: ListQuery) -> None:
    """Above the grid, so they stay in view whatever the grid's height: archived, Add,
    Export, and a keyboard-friendly way to open a record of this page."""
    ss = st.session_state
    actions = st.columns([2, 2, 2, 4], vertical_alignment="bottom")
    actions[0].toggle(t(cat.archived_label), key=_k(cat, "archived"), on_change=_reset_page, args=(cat,))
    can_add = cat.render_add is not None and cat.can_edit
    if can_add and actions[1].button(t(cat.add_label), icon=":material/add:", key=_k(cat, "add"), type="primary"):
        ss[_k(cat, "mode")] = "add"
        st.rerun()
    with actions[2]:
        _export(cat, query)
    options = {r["id"]: cat.title_of(r) for r in page.rows}
    if options:
        chosen = actions[3].selectbox(
            t("Open record"),
            [None, *options],
            format_func=lambda i: "" if i is None else options[i],
            key=_k(cat, f"open_{abs(hash(tuple(options))) % 10**8}"),
            placeholder=t("Choose..."),
        )
        if chosen is not None and chosen != ss.get(_k(cat, "open_last")):
            ss[_k(cat, "selected")] = chosen
            ss[_k(cat, "mode")] = "view"
        ss[_k(cat, "open_last")] = chosen


def _add_form(cat: Catalog) -> None:
    """The add form in place of the list, right under the toolbar where the click was."""
    assert cat.render_add is not None
    head = st.columns([6, 1], vertical_alignment="center")
    head[0].subheader(t(cat.add_label))
    if head[1].button(t("Cancel"), key=_k(cat, "add_cancel"), icon=":material/close:"):
        st.session_state[_k(cat, "mode")] = "view"
        st.rerun()
    with guarded():
        cat.render_add()


def render_catalog(cat: Catalog) -> None:
    ss = st.session_state
    ss.setdefault(_k(cat, "page"), 1)
    ss.setdefault(_k(cat, "desc"), cat.newest_first)
    ss.setdefault(_k(cat, "mode"), "view")
    if ss[_k(cat, "mode")] == "add" and cat.render_add is not None and cat.can_edit:
        _add_form(cat)
        return
    _toolbar(cat)
    query = current_query(cat)
    with guarded():
        page = cat.list_page(query)
        if ss[_k(cat, "page")] != page.page:
            ss[_k(cat, "page")] = page.page
        _actions(cat, page, query)
        picked = _grid(cat, page)
        # a click in the grid selects a record; keep it while the grid stays the same
        if picked is not None and picked != ss.get(_k(cat, "grid_pick")):
            ss[_k(cat, "selected")] = picked
            ss[_k(cat, "mode")] = "view"
        ss[_k(cat, "grid_pick")] = picked
        _pager(cat, page)
    st.divider()
    selected = ss.get(_k(cat, "selected"))
    if selected is None:
        st.caption(t("Select a record in the list to see its details."))
        return
    labels = [t("Details"), *[t(label) for label, _ in cat.extra_tabs]]
    if cat.attachments:
        labels.append(t("Attachments"))
    labels.append(t("History"))
    tabs = st.tabs(labels)
    with tabs[0], guarded():
        cat.render_details(selected)
    for i, (_, render) in enumerate(cat.extra_tabs):
        with tabs[1 + i], guarded():
            render(selected)
    idx = 1 + len(cat.extra_tabs)
    if cat.attachments:
        with tabs[idx], guarded():
            attachments_tab(cat.entity_type, selected, cat.can_edit, cat.key)
        idx += 1
    with tabs[idx], guarded():
        history_tab(cat.history_types or cat.entity_type, selected)
