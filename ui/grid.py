"""A read-only grid (streamlit-aggrid) for logs and reports: one page of rows at a time."""

from __future__ import annotations

import pandas as pd
from st_aggrid import AgGrid, GridOptionsBuilder, JsCode

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


def table(
    frame: pd.DataFrame, key: str, height: int = 400, wide: str | None = None, coloured: str | None = None
) -> None:
    """`wide` names a column that takes the room left (the changes of a log row);
    `coloured` names a column whose cells are coloured by the hidden `<name>__state` column."""
    builder = GridOptionsBuilder.from_dataframe(frame)
    builder.configure_default_column(sortable=False, filter=False, resizable=True, wrapText=False, flex=1)
    if wide is not None and wide in frame.columns:
        builder.configure_column(wide, flex=4, tooltipField=wide)
    if coloured is not None and coloured in frame.columns:
        builder.configure_column(coloured, cellStyle=STATE_STYLE)
        builder.configure_column(coloured + "__state", hide=True)
    builder.configure_grid_options(suppressCellFocus=True, rowHeight=32, enableCellTextSelection=True)
    AgGrid(
        frame,
        gridOptions=builder.build(),
        height=min(height, 60 + 32 * max(3, len(frame))),
        key=key,
        theme="streamlit",
        update_on=[],
        show_toolbar=False,
        show_search=False,
        show_download_button=False,
        allow_unsafe_jscode=coloured is not None,  # only our own cell-style function
    )
