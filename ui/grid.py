"""A read-only grid (streamlit-aggrid) for logs and reports: one page of rows at a time."""

from __future__ import annotations

import pandas as pd
from st_aggrid import AgGrid, GridOptionsBuilder


def table(frame: pd.DataFrame, key: str, height: int = 400) -> None:
    builder = GridOptionsBuilder.from_dataframe(frame)
    builder.configure_default_column(sortable=False, filter=False, resizable=True, wrapText=False)
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
    )
