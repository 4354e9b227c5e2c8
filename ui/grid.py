"""Grids (streamlit-aggrid): the catalog's list and the read-only tables of logs and tabs.

Columns are keyed by their code (`Column.key`); the translated label is only the header
shown, so two labels that happen to translate alike never merge two columns into one.
A grid is as tall as its rows (up to the page size): no scroll inside the grid with
another on the page. Headers wrap instead of being cut off.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from st_aggrid import AgGrid, GridOptionsBuilder, JsCode

from ui.context import t_plain
from ui.formatting import show, show_qty

# a status cell coloured by its row's `<column>__state` (valid, expiring, expired, none)
STATE_STYLE = JsCode("""
function(params) {
  const state = params.data[params.colDef.field + '__state'];
  if (state === 'expired') { return {backgroundColor: '#fde0dc', color: '#b71c1c', fontWeight: 600}; }
  if (state === 'expiring') { return {backgroundColor: '#fff3cd', color: '#8a5300', fontWeight: 600}; }
  if (state === 'valid') { return {color: '#1b5e20'}; }
  return {color: '#666666'};
}
""")

ROW_HEIGHT = 34
HEADER_HEIGHT = 52  # room for a header wrapped on two lines
MIN_ROWS = 3  # an empty or short grid keeps room for its "no rows" overlay
CHAR_PX = 7  # a character of the grid's font, on average
MAX_ROOM = 36  # characters: a longer value is cut with "…" and shown whole in its tooltip
MIN_ROOM = 22  # characters a column keeps whole before the columns share the width left
WIDTH_BUDGET = 900  # pixels of a grid on a 1,366-pixel laptop screen with the sidebar open
MIN_WIDTH = 64


@dataclass(frozen=True)
class Column:
    key: str  # the code of the column: the grid's field, never its label
    label: str  # English msgid of the header
    kind: str = "text"  # text, name, date, datetime, bool, number, money, status
    # kind "status": the row also holds `<key>_state` (valid, expiring, expired, none) that colours the cell
    # kind "name": a name that may be one of our seeded names (a category, a document type): shown translated
    width: int | None = None
    labels: Mapping[Any, str] | None = None  # code -> English msgid, shown translated (a status, a kind)
    wide: bool = False  # takes the room left (the changes of a log row, a description)
    unit_of: str | None = None  # a quantity: the row's field holding its unit (pieces whole, litres to 0.001)


def cell(value: Any, column: Column, row: Mapping[str, Any] | None = None) -> str:
    """A value as the reader sees it in this column."""
    if column.unit_of is not None:
        return show_qty(value, str((row or {}).get(column.unit_of) or ""))
    if column.labels is not None and value in column.labels:
        return t_plain(column.labels[value])
    if column.kind == "name":
        return t_plain(str(value)) if value not in (None, "") else ""
    return show(value, "text" if column.kind == "status" else column.kind)


def grid_frame(rows: Iterable[Mapping[str, Any]], columns: Sequence[Column], with_id: bool = False) -> pd.DataFrame:
    """The rows keyed by column code, values formatted for the reader (plus the hidden
    `<key>__state` of status columns and, for a selectable grid, the row's id)."""
    data = []
    for row in rows:
        record: dict[str, Any] = {"id": row["id"]} if with_id else {}
        for c in columns:
            record[c.key] = cell(row.get(c.key), c, row)
            if c.kind == "status":
                record[c.key + "__state"] = row.get(f"{c.key}_state", "none")
        data.append(record)
    names = (["id"] if with_id else []) + [
        name for c in columns for name in ([c.key, c.key + "__state"] if c.kind == "status" else [c.key])
    ]
    return pd.DataFrame(data, columns=names)


def grid_height(rows: int) -> int:
    """As tall as its rows: the page scrolls, not the grid."""
    return HEADER_HEIGHT + ROW_HEIGHT * max(MIN_ROWS, rows) + 4


def grid_options(frame: pd.DataFrame, columns: Sequence[Column], selectable: bool = False) -> dict[str, Any]:
    builder = GridOptionsBuilder.from_dataframe(frame)
    builder.configure_default_column(
        sortable=False, filter=False, resizable=True, wrapHeaderText=True, autoHeaderHeight=True
    )
    if "id" in frame.columns:
        builder.configure_column("id", hide=True)
    rooms = {
        col.key: _room(t_plain(col.label), frame[col.key] if col.key in frame.columns else [])
        + (2 if col.kind == "status" else 0)
        for col in columns
    }
    floors = {col.key: max(col.width or 0, CHAR_PX * min(rooms[col.key], MIN_ROOM) + 24) for col in columns}
    # the floors keep short values whole; on a narrow screen or with many columns they shrink
    # together rather than push the last columns out of view
    shrink = min(1.0, WIDTH_BUDGET / max(1, sum(floors.values())))
    for col in columns:
        header = t_plain(col.label)
        options: dict[str, Any] = {
            "headerTooltip": header,
            "tooltipField": col.key,
            "flex": rooms[col.key] * (2 if col.wide else 1),  # the width left is shared by content
            "minWidth": max(MIN_WIDTH, int(floors[col.key] * shrink)),
        }
        if col.kind == "status":
            options["cellStyle"] = STATE_STYLE
            builder.configure_column(col.key + "__state", hide=True)
        builder.configure_column(col.key, header_name=header, **options)
    if selectable:
        builder.configure_selection("single", use_checkbox=False)
    builder.configure_grid_options(
        suppressCellFocus=True, rowHeight=ROW_HEIGHT, enableCellTextSelection=not selectable, domLayout="normal"
    )
    options = builder.build()
    options.pop("autoSizeStrategy", None)  # the builder's fitGridWidth would override the flex shares above
    return options


def _room(header: str, values: Iterable[Any]) -> int:
    """How many characters a column wants: its longest header word (headers wrap) or its
    longest value on this page, within bounds; the columns share the width in proportion."""
    longest_word = max((len(w) for w in header.split()), default=4)
    longest_value = max((len(str(v)) for v in values), default=0)
    return max(4, longest_word + 1, min(MAX_ROOM, longest_value))


def uses_js(columns: Sequence[Column]) -> bool:
    return any(c.kind == "status" for c in columns)


def table(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[Column], key: str, selectable: bool = False
) -> int | None:
    """A read-only grid of `rows` (dicts keyed by the columns' codes, values as stored: the
    grid formats them for the reader). With `selectable`, a click on a row returns its index
    (the row is the link to its record)."""
    frame = grid_frame(rows, columns)
    if selectable:
        frame.insert(0, "id", range(len(frame)))  # hidden: the row's index, returned on a click
    return show_grid(frame, columns, key, selectable)


def show_grid(frame: pd.DataFrame, columns: Sequence[Column], key: str, selectable: bool) -> int | None:
    """Draw `frame` (`grid_frame`); a selectable grid returns the `id` of the row clicked."""
    options = grid_options(frame, columns, selectable=selectable)
    if selectable:
        options["rowStyle"] = {"cursor": "pointer"}
    response = AgGrid(
        frame,
        gridOptions=options,
        height=grid_height(len(frame)),
        key=key,  # one component per key: new rows update it in place
        theme="streamlit",
        update_on=["selectionChanged"] if selectable else [],
        show_toolbar=False,
        show_search=False,
        show_download_button=False,
        allow_unsafe_jscode=uses_js(columns),  # only our own cell-style function
    )
    picked = response.selected_rows if selectable else None
    if isinstance(picked, pd.DataFrame) and not picked.empty and "id" in picked.columns:
        return int(picked.iloc[0]["id"])
    return None
