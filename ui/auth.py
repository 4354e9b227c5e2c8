"""Login gate, first-administrator form, and the page access check.

A login is kept by the browser (`ui.session_cookie`): a new page load with the cookie of an
open session is let in without the form. Before login every address of a page shows the login
form under a neutral title, so a bookmark or a deep link opens its page once the user has
logged in (`login_pages`)."""

from __future__ import annotations

import logging

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from common.actor import Actor
from common.i18n import LANGUAGES
from common.roles import can_open
from core.services import sessions, users
from ui import session_cookie
from ui.context import current_actor, language, set_actor, t, uow
from ui.forms import FieldSlots, run_action
from ui.navigation import PAGES

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
            login = sessions.log_in(uow(None), username, password, source=_source())
        except sessions.LoginFailed as exc:
            st.error(t(exc.message, **exc.params))
            return
        except Exception:
            log.exception("login failed")
            st.error(t("Something went wrong and nothing was saved. The error has been logged."))
            return
        set_actor(login.actor)
        session_cookie.remember(login)
        st.rerun()  # the same address: a deep link's page opens now (see `login_pages`)


def _source() -> str:
    """Where the browser connects from (behind a proxy: the proxy, unless it is trusted and
    says who it forwards; see README, "Scaling out")."""
    try:
        address = st.context.ip_address
    except Exception:  # no browser connection behind this run
        return "unknown"
    return address if isinstance(address, str) and address else "unknown"  # AppTest gives a stand-in


def gate() -> Actor | None:
    """Return the logged-in actor, or None (the shell then shows `login_pages`)."""
    actor = current_actor()
    if actor is not None:
        # the session is checked each run: ended (log-out elsewhere, a new password, a new
        # role, a disabled account, too long idle or too old) means logged out at once
        fresh = sessions.load_actor(uow(None), actor)
        if fresh is None:
            _ended()
            return None
        if fresh != actor:
            set_actor(fresh)
        return fresh
    # a new page load (a reload, a bookmark, a new tab): the browser's cookie may name an
    # open session; looked at once, so a refused cookie costs one look-up
    token = session_cookie.token_once()
    if token is None:
        return None
    resumed = sessions.resume(uow(None), token)
    if resumed is None:
        _ended()
        return None
    set_actor(resumed)
    return resumed


def _ended() -> None:
    set_actor(None)
    session_cookie.forget()
    st.session_state["auth_flash"] = t("Your session has ended. Please log in again.")


def login_page() -> None:
    """The only page before login: the first-admin form on a new install, else login."""
    language_picker()
    session_cookie.send_pending()  # a log-out's cookie clearing
    if users.count_users(uow(None)) == 0:
        first_admin_form()
    else:
        login_form()


# Closes Streamlit's "Page not found" dialog, polling a few seconds for it to appear.
_CLOSE_NOT_FOUND = """<script>(function () {
  var tries = 0, timer = setInterval(function () {
    document.querySelectorAll('[data-testid="stDialog"] [role="dialog"]').forEach(function (d) {
      var title = d.querySelector("h2"), close = d.querySelector('button[aria-label="Close"]');
      if (title && title.textContent === "Page not found" && close) { close.click(); clearInterval(timer); }
    });
    if (++tries > 50) clearInterval(timer);
  }, 100);
})();</script>"""


def forgive_first_run_not_found() -> None:
    """Close the "Page not found" Streamlit shows on the first page load of a server process.

    Because the project has a `pages/` folder, Streamlit runs the first script run of the
    process through its old folder-based navigation (`PagesManager.uses_pages_directory`,
    cleared by the first `st.navigation`), which knows no page of ours and answers a deep
    link with "Page not found" before app.py has started; the page itself then opens as it
    should. Only that run gets this script; call it before `st.navigation`."""
    if getattr(PagesManager, "uses_pages_directory", False):
        st.sidebar.html(_CLOSE_NOT_FOUND, unsafe_allow_javascript=True, width="content")


def login_pages() -> list[st.Page]:
    """The pages before login: the login form at the app's root and, under the same neutral
    title, at the address of every page. Streamlit names a page by its url_path alone (its
    script hash is a hash of it), and the rerun after login keeps the page it was on, so the
    page of a bookmark or a deep link (/vehicles) opens once the user is in, or the role's
    start page when the role may not open it. No page's address answers "Page not found"
    (on a server's first page load, see `forgive_first_run_not_found`) and none shows a
    page's name before login."""
    title, icon = t("Log in"), ":material/login:"
    pages = [st.Page(login_page, title=title, icon=icon, default=True)]
    pages += [st.Page(login_page, title=title, icon=icon, url_path=entry.key) for entry in PAGES]
    return pages


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
    """End the session (in the database: every tab and app server sees it end) and have
    this browser forget its cookie."""
    actor = current_actor()
    if actor is not None:
        run_action(lambda: sessions.log_out(uow(actor), actor))
    for key in list(st.session_state.keys()):
        if key != LANG_KEY:
            del st.session_state[key]
    session_cookie.forget()
    st.rerun()
