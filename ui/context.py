"""Per-process runtime and per-session user, language and unit of work for the screens."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import streamlit as st

from common.actor import Actor
from common.calendar import DEFAULT_ZONE, today_in
from common.i18n import DEFAULT_LANGUAGE, LANGUAGES, localize, translate, translate_n
from core.services.settings import get_company
from db.server import DatabaseUnavailable
from db.session import UnitOfWork
from runtime import Runtime, init_runtime
from ui.markdown import Markdown, esc

log = logging.getLogger("twara.ui")

ACTOR_KEY = "auth_actor"
LANG_KEY = "ui_language"


@st.cache_resource(show_spinner=False)
def _runtime() -> Runtime:
    return init_runtime()


def runtime() -> Runtime:
    """The process runtime; on failure, a clear message on screen and nothing else."""
    # no database yet: the message uses the language picked in this session, if any
    lang = st.session_state.get(LANG_KEY, DEFAULT_LANGUAGE)
    try:
        return _runtime()
    except DatabaseUnavailable as exc:
        st.error(translate("Twara cannot start: {reason}", lang, reason=str(exc)))
        st.stop()
    except Exception as exc:  # never show a traceback to a user
        log.exception("start-up failed")
        st.error(translate("Twara cannot start: {reason}", lang, reason=f"{type(exc).__name__}: {exc}"))
        st.stop()
    raise AssertionError("unreachable")


def current_actor() -> Actor | None:
    actor = st.session_state.get(ACTOR_KEY)
    return actor if isinstance(actor, Actor) else None


def set_actor(actor: Actor | None) -> None:
    if actor is None:
        st.session_state.pop(ACTOR_KEY, None)
    else:
        st.session_state[ACTOR_KEY] = actor
        st.session_state[LANG_KEY] = actor.lang


@st.cache_data(ttl=60, show_spinner=False)
def company_locale() -> tuple[str, str]:
    """(default language, time zone) of the company, read at most once a minute."""
    try:
        company = get_company(runtime().uow(None))
    except Exception:
        return DEFAULT_LANGUAGE, DEFAULT_ZONE
    return str(company["default_language"]), str(company["timezone"])


def language() -> str:
    actor = current_actor()
    if actor is not None:
        return actor.lang
    lang = st.session_state.get(LANG_KEY) or company_locale()[0]
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(message: str, **params: Any) -> Markdown:
    """Translate a UI string into the reader's language (the one translation function), as
    markdown: the message is ours and may hold markdown; each parameter is the users' data
    and is escaped (`ui.markdown.esc`), so the result shows every value exactly as typed
    wherever Streamlit renders markdown. For raw text (a grid cell, a selectbox option, a
    file name), `t_plain`."""
    lang = language()
    return Markdown(translate(message, lang, **{k: esc(localize(v, lang)) for k, v in params.items()}))


def t_n(singular: str, plural: str, n: int, /, **params: Any) -> Markdown:
    """`t` for a message with a count: the form that fits `n` in the reader's language
    (gettext plural forms), `{n}` written as the reader writes numbers."""
    lang = language()
    return Markdown(translate_n(singular, plural, n, lang, **{k: esc(localize(v, lang)) for k, v in params.items()}))


def t_name(value: object) -> Markdown:
    """A name from the database shown in markdown: a seeded one (a category, a document
    type) is one of our messages and comes translated; one a user typed is shown as typed.
    Either way escaped, which `t(row["name"])` would not do."""
    return esc(translate(str(value), language()) if value else "")


def t_plain(message: str, **params: Any) -> str:
    """`t` without escaping, for text that is not markdown: grid and dataframe cells,
    selectbox options, placeholders, file names, PDFs."""
    return translate(message, language(), **params)


def t_plain_n(singular: str, plural: str, n: int, /, **params: Any) -> str:
    """`t_n` without escaping, for text that is not markdown."""
    return translate_n(singular, plural, n, language(), **params)


def uow(actor: Actor | None = None) -> UnitOfWork:
    return runtime().uow(actor if actor is not None else current_actor())


def require_actor() -> Actor:
    actor = current_actor()
    if actor is None:
        st.warning(t("Please log in."))
        st.stop()
    assert actor is not None
    return actor


def company_today() -> dt.date:
    """Today in the company's time zone (the zone read at most once a minute), for the
    defaults of date inputs; services decide with `core.services.settings.company_today`."""
    return today_in(company_locale()[1])
