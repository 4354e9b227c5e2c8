"""The timeline tab: one client's history newest first, filtered by kind, with the form
that logs a contact."""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.services import crm
from db.models.crm import AGREEMENT_KINDS, INTERACTION_KINDS
from ui.context import t, t_n, t_name, uow
from ui.crm.interactions import log_form
from ui.crm.labels import follow_up_text
from ui.crm.screen import ClientScreen
from ui.formatting import Markdown, esc, show
from ui.labels import label, labeller

TIMELINE_KINDS = [*INTERACTION_KINDS, "document", *AGREEMENT_KINDS, "follow_up", "consent"]


def entry_text(r: dict[str, Any]) -> tuple[Markdown, Markdown]:
    """A timeline entry's words in the reader's language, as markdown (the users' words escaped)."""
    p = r["params"]
    if r["kind"] == "consent" and p is not None:
        decision = t("Opted in") if p["opted_in"] else t("Opted out")
        who = f"{esc(p['contact'])}: " if p.get("contact") else ""
        title = f"{who}{esc(label('channel', p['channel']))} · {esc(label('purpose', p['purpose']))} — {decision}"
        return Markdown(title), Markdown(
            " · ".join(filter(None, [esc(label("consent_how", p["how"])), esc(p.get("note"))]))
        )
    title = follow_up_text(r["title"], p)
    detail = t_name(r["detail"]) if r["kind"] == "follow_up" else esc(r["detail"])
    return title, detail


def timeline_tab(screen: ClientScreen, client_id: int) -> None:
    if screen.can_edit:
        with st.expander(t("Log a call, meeting or visit"), icon=":material/add_call:"):
            log_form(screen, client_id)
    kinds = st.multiselect(
        t("Show"),
        TIMELINE_KINDS,
        format_func=labeller("interaction_kind"),
        key=f"{screen.key}_tl_kinds_{client_id}",
        placeholder=t("Everything"),
    )
    rows, total = crm.timeline(uow(), screen.actor, client_id, limit=200, kinds=kinds or None)
    if not rows:
        st.caption(t("Nothing here yet."))
        return
    st.caption(t_n("{n} entry, newest first.", "{n} entries, newest first.", total))
    for r in rows:
        icon = ":material/event:" if r["ref_type"] == "appointment" else ""
        who = f" · {esc(r['who'])}" if r["who"] else ""
        title, detail = entry_text(r)
        st.markdown(f"{icon} **{show(r['at'])}** · {esc(label('interaction_kind', r['kind']))}{who}  \n{title}")
        if detail:
            st.caption(detail)
