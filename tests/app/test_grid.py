"""The grid keys its columns by code: two headers that read alike keep two columns, and
quantities show by their unit."""

from __future__ import annotations

from decimal import Decimal

import streamlit as st

from common.actor import Actor
from ui.context import ACTOR_KEY
from ui.grid import Column, grid_frame, grid_options


def test_columns_that_translate_alike_stay_two_columns(actors: dict[str, Actor]) -> None:
    reader = actors["administrator"]
    st.session_state[ACTOR_KEY] = Actor(**{**reader.__dict__, "lang": "rw"})
    try:
        # both labels are "Inyandiko" in Kinyarwanda: keyed by label, one column would be lost
        columns = [
            Column("document", "Documents"),
            Column("record", "Document"),
            Column("qty", "Quantity", unit_of="unit"),
        ]
        rows = [{"document": "Insurance", "record": "RAA 100 A", "qty": Decimal("3.000"), "unit": "pcs"}]
        frame = grid_frame(rows, columns)
        assert list(frame.columns) == ["document", "record", "qty"]
        assert frame.iloc[0].to_dict() == {"document": "Insurance", "record": "RAA 100 A", "qty": "3"}
        headers = {d["field"]: d["headerName"] for d in grid_options(frame, columns)["columnDefs"]}
        assert headers["document"] == headers["record"] == "Inyandiko"
        litres = grid_frame([{"qty": Decimal("10742.500"), "unit": "l"}], columns[2:])
        assert litres.iloc[0]["qty"] == "10.742,5"
    finally:
        st.session_state.pop(ACTOR_KEY, None)
