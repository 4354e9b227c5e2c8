"""The statistics tab: contacts logged by kind, the last contact, open items."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.services import crm
from ui.context import t, uow
from ui.crm.screen import ClientScreen
from ui.formatting import show
from ui.labels import label


def statistics_tab(screen: ClientScreen, client_id: int) -> None:
    stats = crm.client_statistics(uow(), screen.actor, client_id)
    m = st.columns(4)
    m[0].metric(t("Contacts logged"), show(sum(stats["by_kind"].values()), "number"))
    m[1].metric(t("Last contact"), show(stats["last_contact"]) if stats["last_contact"] else "—")
    m[2].metric(t("Open follow-ups"), show(stats["open_follow_ups"], "number"))
    m[3].metric(t("Appointments"), show(stats["appointments"], "number"))
    if stats["by_kind"]:
        st.bar_chart(pd.Series({label("interaction_kind", k): v for k, v in stats["by_kind"].items()}), horizontal=True)
    st.caption(t("Orders, revenue and profit appear here when transport orders are recorded."))
