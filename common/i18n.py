"""Translation and locale formatting, with no Streamlit in it.

Messages are gettext catalogs (`locales/<lang>/LC_MESSAGES/messages.po`), read with
Babel so translators use the ordinary tools and no compile step is needed. English is
the source language. `N_` marks a message for extraction without translating it (domain
errors carry the English message id; the screen translates it for the reader).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from pathlib import Path

from babel import Locale, dates, numbers
from babel.messages.pofile import read_po

from common.calendar import DEFAULT_ZONE

LANGUAGES: dict[str, str] = {"en": "English", "rw": "Ikinyarwanda"}
DEFAULT_LANGUAGE = "en"
LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"


def N_(message: str) -> str:
    """Mark a message for translation; return it unchanged."""
    return message


@cache
def catalog(lang: str) -> dict[str, str]:
    path = LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return {}
    with path.open("rb") as fh:
        po = read_po(fh, locale=lang)
    return {str(m.id): str(m.string) for m in po if m.id and m.string and not m.fuzzy}


_FIELD = re.compile(r"\{(\w+)\}")


def fill(template: str, params: Mapping[str, object]) -> str:
    """Put the parameters into a message template: `{name}` only, each value as its text.

    Unlike str.format, nothing in a value or in the template can reach into Python objects
    (`{n.__class__}`), and a stray brace or an unknown name is left as written instead of
    failing: the template is ours, the values are the users' data."""
    return _FIELD.sub(lambda m: str(params[m.group(1)]) if m.group(1) in params else m.group(0), template)


def translate(message: str, lang: str, **params: object) -> str:
    text = message if lang == DEFAULT_LANGUAGE else catalog(lang).get(message, message)
    return fill(text, params) if params else text


def _babel_locale(lang: str) -> Locale:
    return Locale.parse("rw_RW" if lang == "rw" else "en_RW")


# territories Babel names that are no country: regions, unions, pseudo-locales, "unknown"
_NOT_COUNTRIES = frozenset({"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"})


@cache
def country_names(lang: str) -> dict[str, str]:
    """ISO 3166 alpha-2 code -> the country's name in `lang` (Babel's; where it has no
    Kinyarwanda name, the English one), sorted by name."""
    english = Locale.parse("en_RW").territories
    own = _babel_locale(lang).territories
    names = {
        code: str(own.get(code) or name)
        for code, name in english.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    }
    return dict(sorted(names.items(), key=lambda item: item[1].casefold()))


def format_decimal(value: Decimal | int, lang: str, places: int | None = None) -> str:
    if places is not None:
        fmt = "#,##0" + ("." + "0" * places if places else "")
        return numbers.format_decimal(value, format=fmt, locale=_babel_locale(lang))
    return numbers.format_decimal(value, locale=_babel_locale(lang))


def format_money(value: Decimal, currency: str, lang: str) -> str:
    return numbers.format_currency(value, currency, locale=_babel_locale(lang))


def format_date(value: dt.date | None, lang: str) -> str:
    if value is None:
        return ""
    return dates.format_date(value, format="medium", locale=_babel_locale(lang))


def format_datetime(value: dt.datetime | None, lang: str, tz: str = DEFAULT_ZONE) -> str:
    if value is None:
        return ""
    return dates.format_datetime(value, format="medium", tzinfo=dates.get_timezone(tz), locale=_babel_locale(lang))
