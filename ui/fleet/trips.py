"""The Trips tab of a unit or a driver."""

from __future__ import annotations

import streamlit as st

from ui.context import t


def trips_tab() -> None:
    """SPEC F7: the trips of this unit or driver, with their actual cost, arrive with the
    transport work; the tab holds their place."""
    st.info(
        t(
            "Trips are recorded by the transport module. Once it is in use, every trip of this record "
            "appears here with its actual cost, for any period."
        )
    )
