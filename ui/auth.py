"""Login gate, first-administrator form, and the page access check."""

from __future__ import annotations

import logging

import streamlit as st

from common.actor import Actor
from common.i18n import LANGUAGES
from common.roles import can_open
from core.services import sessions, users
from ui.context import current_actor, language, set_actor, t, uow
from ui.forms import FieldSlots, run_action

LANG_KEY = "ui_language"
log = logging.getLogger("twara.auth")


def language_picker(where: str = "sidebar") -> None:
    """Pick the language before logging in (after login, 'My account' saves it)."""
    box = st.sidebar if where == "sidebar" else st
    codes = list(LANGUAGES)
    current = language()
    choice = box.selectbox(
        "Language / Ururimi",
        codes,
        index=codes.index(current),
        format_func=lambda c: LANGUAGES[c],
        key="auth_language_choice",
    )
    if choice != current:
        st.session_state[LANG_KEY] = choice
        st.rerun()


def first_admin_form() -> None:
    st.title(t("Welcome to Twara"))
    st.info(t("No user exists yet. Create the first administrator to start."))
    slots = FieldSlots()
    with st.form("auth_first_admin"):
        username = st.text_input(t("User name"), key="auth_fa_username")
        slots.slot("username")
        full_name = st.text_input(t("Full name"), key="auth_fa_full_name")
        slots.slot("full_name")
        email = st.text_input(t("E-mail (optional)"), key="auth_fa_email")
        slots.slot("email")
        password = st.text_input(t("Password"), type="password", key="auth_fa_password")
        slots.slot("password")
        repeat = st.text_input(t("Repeat the password"), type="password", key="auth_fa_repeat")
        slots.slot("repeat")
        submitted = st.form_submit_button(t("Create administrator"), type="primary")
    if submitted:
        if password != repeat:
            slots.slots["repeat"].error(t("The two passwords differ."), icon=":material/error:")
            return
        ok, _ = run_action(
            lambda: users.create_first_admin(uow(None), username, full_name, password, email, language()),
            slots,
        )
        if ok:
            st.session_state["auth_flash"] = t("The administrator was created. Log in now.")
            st.rerun()


def login_form() -> None:
    st.title(t("Log in to Twara"))
    flash = st.session_state.pop("auth_flash", None)
    if flash:
        st.success(flash)
    with st.form("auth_login"):
        username = st.text_input(t("User name"), key="auth_login_username")
        password = st.text_input(t("Password"), type="password", key="auth_login_password")
        submitted = st.form_submit_button(t("Log in"), type="primary")
    if submitted:
        try:
            actor = sessions.authenticate(uow(None), username, password, source=_source())
        except sessions.LoginFailed as exc:
            st.error(t(exc.message, **exc.params))
            return
        except Exception:
            log.exception("login failed")
            st.error(t("Something went wrong and nothing was saved. The error has been logged."))
            return
        set_actor(actor)
        st.rerun()


def _source() -> str:
    """Where the browser connects from (behind a proxy: the proxy, unless it is trusted and
    says who it forwards; see README, "Scaling out")."""
    try:
        address = st.context.ip_address
    except Exception:  # no browser connection behind this run
        return "unknown"
    return address if isinstance(address, str) and address else "unknown"  # AppTest gives a stand-in


def gate() -> Actor | None:
    """Return the logged-in actor, or None (the shell then shows `login_page`)."""
    actor = current_actor()
    if actor is not None:
        # the session is checked each run: ended (log-out elsewhere, a new password, a new
        # role, a disabled account, too long idle) means logged out at once
        fresh = sessions.load_actor(uow(None), actor)
        if fresh is None:
            set_actor(None)
            st.session_state["auth_flash"] = t("Your session has ended. Please log in again.")
        else:
            if fresh != actor:
                set_actor(fresh)
            return fresh
    return None


def login_page() -> None:
    """The only page before login: the first-admin form on a new install, else login."""
    language_picker()
    if users.count_users(uow(None)) == 0:
        first_admin_form()
    else:
        login_form()


def require_page(page_key: str) -> Actor:
    """Every page calls this first: hiding a link is not access control."""
    actor = current_actor()
    if actor is None:
        st.warning(t("Please log in."))
        st.stop()
    assert actor is not None
    if not can_open(actor.role, page_key):
        st.error(t("Your role does not allow you to open this page."))
        st.stop()
    return actor


def logout() -> None:
    actor = current_actor()
    if actor is not None:
        run_action(lambda: sessions.log_out(uow(actor), actor))
    for key in list(st.session_state.keys()):
        if key != LANG_KEY:
            del st.session_state[key]
    st.rerun()
