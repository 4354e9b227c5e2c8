"""My account: language and password."""

from __future__ import annotations

import streamlit as st

from common.i18n import LANGUAGES, N_
from core.services import sessions, users
from ui.auth import require_page
from ui.context import set_actor, t, uow
from ui.formatting import esc
from ui.forms import FieldSlots, run_action
from ui.labels import label, labeller

actor = require_page("account")
st.title(t("My account"))
st.markdown(f"**{esc(actor.username)}** · {esc(label('role', actor.role))}")

st.subheader(t("Language"))
codes = list(LANGUAGES)
choice = st.radio(
    t("Language"),
    codes,
    index=codes.index(actor.lang),
    format_func=labeller("language"),
    horizontal=True,
    key="account_language",
    label_visibility="collapsed",
)
if choice != actor.lang:
    ok, _ = run_action(lambda: users.set_language(uow(), actor, choice))
    if ok:
        set_actor(sessions.load_actor(uow(), actor))
        st.rerun()

st.subheader(t("Change password"))
slots = FieldSlots()
with st.form("account_password", clear_on_submit=True):
    current = st.text_input(t("Current password"), type="password")
    slots.slot("current_password")
    new = st.text_input(t("New password"), type="password")
    slots.slot("new_password")
    repeat = st.text_input(t("Repeat the password"), type="password")
    slots.slot("repeat")
    submitted = st.form_submit_button(t("Change password"))
if submitted:
    if new != repeat:
        slots.slots["repeat"].error(t("The two passwords differ."), icon=":material/error:")
    else:
        run_action(
            lambda: users.change_own_password(uow(), actor, current, new),
            slots,
            success=N_("Your password was changed."),
        )
