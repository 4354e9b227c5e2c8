"""The login a browser keeps: a cookie holding the session's token, so a reload, a bookmark
or a link opened in a new tab finds the user still logged in.

The cookie carries the token `sessions.log_in` handed out; the database keeps only its hash
and says on every page load whether the session is still open (`sessions.resume`), so a
log-out, a new password, a disabled account, an idle or too old session refuse the cookie
on every app server at once.

Streamlit talks to the browser over a websocket and gives Python no HTTP response to set a
cookie on, and it reads cookies once, from the websocket's opening request
(`st.context.cookies`). So the cookie is written and cleared by a short script in the page
(`st.html(..., unsafe_allow_javascript=True)` runs in the main document, not in an iframe),
and it cannot be HttpOnly. It is `Path=/`, `SameSite=Strict` (no other site's page sends
it), `Secure` when the page was loaded over https, and its Max-Age is the session's
lifetime (`auth.session_max_hours`). The token never goes into a URL.
"""

from __future__ import annotations

import datetime as dt
import json

import streamlit as st

from core.services.sessions import TOKEN_MAX_LENGTH, Login

COOKIE = "twara_session"
PENDING_KEY = "auth_cookie_pending"  # what the browser must still do: ("set", token, expires_at) or ("clear",)
TRIED_KEY = "auth_cookie_tried"  # this browser session has looked at its cookie already


def token_once() -> str | None:
    """The token of the cookie the page was opened with, the first time it is asked for in
    this Streamlit session (then None: a refused or used cookie is not looked up again)."""
    if st.session_state.get(TRIED_KEY):
        return None
    st.session_state[TRIED_KEY] = True
    try:
        value = st.context.cookies.get(COOKIE)
    except Exception:  # no browser connection behind this run
        return None
    return value if isinstance(value, str) and 0 < len(value) <= TOKEN_MAX_LENGTH else None


def remember(login: Login) -> None:
    """After a login: have the browser keep the session's token."""
    st.session_state[PENDING_KEY] = ("set", login.token, login.expires_at)


def forget() -> None:
    """After a log-out or an ended session: have the browser drop the cookie. The cookie of
    the page's opening request is not to be tried again in this Streamlit session."""
    st.session_state[PENDING_KEY] = ("clear",)
    st.session_state[TRIED_KEY] = True


def send_pending() -> None:
    """Write the cookie change still owed to the browser (an empty element at the bottom of
    the sidebar). A cookie to set stays owed until a run completes (`sent`), since a run
    cut short by a rerun may not have reached the browser; clearing is sent once (a cookie
    left behind is refused and cleared again)."""
    pending = st.session_state.get(PENDING_KEY)
    if not pending:
        return
    secure = '(location.protocol === "https:" ? "; Secure" : "")'
    if pending[0] == "set":
        _, token, expires_at = pending
        max_age = max(0, int((expires_at - dt.datetime.now(dt.UTC)).total_seconds()))
        value = f"{json.dumps(COOKIE + '=' + token)} + {json.dumps(f'; Path=/; Max-Age={max_age}; SameSite=Strict')}"
    else:
        st.session_state.pop(PENDING_KEY, None)
        value = json.dumps(f"{COOKIE}=; Path=/; Max-Age=0; SameSite=Strict")
    st.sidebar.html(
        f'<script data-twara-cookie="{pending[0]}">document.cookie = {value} + {secure};</script>',
        unsafe_allow_javascript=True,
        width="content",
    )


def sent() -> None:
    """A run that wrote the cookie completed: the browser has it."""
    pending = st.session_state.get(PENDING_KEY)
    if pending and pending[0] == "set":
        st.session_state.pop(PENDING_KEY, None)
