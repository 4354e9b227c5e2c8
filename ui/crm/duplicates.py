"""The duplicates tab: likely duplicates of a client and their merge into it."""

from __future__ import annotations

import streamlit as st

from common.i18n import N_
from core.services import crm
from ui.context import t, uow
from ui.crm.screen import ClientScreen
from ui.formatting import code, esc, show
from ui.forms import run_action


def duplicates_tab(screen: ClientScreen, client_id: int) -> None:
    found = crm.find_duplicates(uow(), screen.actor, client_id)
    if not found:
        st.caption(t("No likely duplicates."))
        return
    me = crm.get_client(uow(), screen.actor, client_id)
    st.caption(t("Merging moves every contact, interaction, follow-up, consent and document here."))
    for f in found:
        c = st.columns([4, 3, 2])
        c[0].markdown(f"**{esc(f['name'])}** · {code(f['code'])}")
        c[1].caption(", ".join(t(r) for r in f["reasons"]) + f" · {show(f['score'], 'number')}%")
        if not screen.can_edit:
            continue
        with c[2].popover(t("Merge into this client")):
            # two clients may bear one name: each is named with its code
            st.warning(
                t(
                    "{other} ({other_code}) will be merged into {kept} ({kept_code}). This cannot be undone.",
                    other=f["name"],
                    other_code=code(f["code"]),
                    kept=me["name"],
                    kept_code=code(me["code"]),
                )
            )
            if st.button(t("Merge"), key=f"{screen.key}_merge_{client_id}_{f['id']}", type="primary"):
                ok, _ = run_action(
                    lambda f=f: crm.merge_clients(uow(), screen.actor, client_id, f["id"]),
                    success=N_("The clients were merged."),
                )
                if ok:
                    st.rerun()
