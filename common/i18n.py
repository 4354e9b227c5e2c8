"""Translation and locale formatting, with no Streamlit in it.

Messages are gettext catalogs (`locales/<lang>/LC_MESSAGES/messages.po`), read with
Babel so translators use the ordinary tools and no compile step is needed. English is
the source language. `N_` marks a message for extraction without translating it (domain
errors carry the English message id; the screen translates it for the reader).

A message with a count has a plural (`translate_n`, `N_n`): the catalog holds one form per
plural form of the language (`Plural-Forms` in the .po header; English and Kinyarwanda both
have two, `n != 1`), so "1 record" and "2 records" each read right in both languages.

Values are shown by one formatter each, in the reader's language: numbers
(`format_decimal`), quantities by their unit (`format_quantity`), money, dates and times.
A parameter may be a `Qty` (a quantity with its unit) or a `Msg` (one of our messages, or a
name that may be one), which every message shows formatted for its reader. Stored notices
keep their parameters as JSON (`encode_params`) and are worded when read (`render_message`).
"""

from __future__ import annotations

import datetime as dt
import gettext
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from babel import Locale, dates, numbers
from babel.messages.pofile import read_po

from common.calendar import DEFAULT_ZONE

LANGUAGES: dict[str, str] = {"en": "English", "rw": "Ikinyarwanda"}
DEFAULT_LANGUAGE = "en"
LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"


def N_(message: str) -> str:
    """Mark a message for translation; return it unchanged."""
    return message


class Plural(NamedTuple):
    """A message with a count `{n}`: the English singular and plural (the msgid pair)."""

    singular: str
    plural: str


def N_n(singular: str, plural: str) -> Plural:
    """Mark a message with a count for translation (extracted with its plural)."""
    return Plural(singular, plural)


@dataclass(frozen=True)
class _Catalog:
    messages: dict[str, str]
    plurals: dict[str, tuple[str, ...]]  # singular msgid -> one translation per plural form
    plural_index: Callable[[int], int]


def _english_plural(n: int) -> int:
    return 0 if n == 1 else 1


@cache
def _load(lang: str) -> _Catalog:
    path = LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return _Catalog({}, {}, _english_plural)
    with path.open("rb") as fh:
        po = read_po(fh, locale=lang)
    messages: dict[str, str] = {}
    plurals: dict[str, tuple[str, ...]] = {}
    for m in po:
        if not m.id or m.fuzzy:
            continue
        if isinstance(m.id, tuple):
            forms = tuple(str(f) for f in (m.string or ()))
            if forms and all(forms):
                plurals[str(m.id[0])] = forms
        elif m.string:
            messages[str(m.id)] = str(m.string)
    return _Catalog(messages, plurals, gettext.c2py(po.plural_expr))


def catalog(lang: str) -> dict[str, str]:
    """msgid -> translation, the messages without a plural."""
    return _load(lang).messages


def plural_catalog(lang: str) -> dict[str, tuple[str, ...]]:
    """singular msgid -> the translation's forms, for the messages with a plural."""
    return _load(lang).plurals


_FIELD = re.compile(r"\{(\w+)\}")


def fill(template: str, params: Mapping[str, object]) -> str:
    """Put the parameters into a message template: `{name}` only, each value as its text.

    Unlike str.format, nothing in a value or in the template can reach into Python objects
    (`{n.__class__}`), and a stray brace or an unknown name is left as written instead of
    failing: the template is ours, the values are the users' data."""
    return _FIELD.sub(lambda m: str(params[m.group(1)]) if m.group(1) in params else m.group(0), template)


def localize(value: object, lang: str) -> object:
    """A parameter as its reader reads it: a `Qty` by its unit, a `Msg` translated; any other
    value unchanged (callers format their own numbers and dates, with `ui.formatting.show`)."""
    if isinstance(value, Qty):
        return format_quantity(value.value, value.unit, lang)
    if isinstance(value, Msg):
        return translate(value.text, lang, **value.params)
    return value


def translate(message: str, lang: str, **params: object) -> str:
    text = message if lang == DEFAULT_LANGUAGE else catalog(lang).get(message, message)
    return fill(text, {k: localize(v, lang) for k, v in params.items()}) if params else text


def _count(n: object) -> int:
    try:
        return int(Decimal(str(n)))
    except (InvalidOperation, ValueError):
        return 0


def translate_n(singular: str, plural: str, count: object, lang: str, /, **params: object) -> str:
    """The form of a counted message that fits `count` in the reader's language, filled;
    `{n}` is the count written as the reader writes numbers, unless the caller passes its own
    `n` (a count already formatted)."""
    number = _count(count)
    loaded = _load(lang) if lang != DEFAULT_LANGUAGE else None
    forms = loaded.plurals.get(singular) if loaded is not None else None
    if loaded is not None and forms:
        text = forms[min(loaded.plural_index(number), len(forms) - 1)]
    else:
        text = singular if _english_plural(number) == 0 else plural
    shown: dict[str, object] = {"n": format_decimal(count, lang) if isinstance(count, int | Decimal) else count}
    shown.update({k: localize(v, lang) for k, v in params.items()})
    return fill(text, shown)


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


# units counted in whole numbers: a quantity of them is shown without decimals
COUNTABLE_UNITS = frozenset(
    {"pcs", "pc", "piece", "pieces", "unit", "units", "set", "sets", "pair", "pairs", "box", "boxes", "roll"}
    | {"rolls", "pack", "packs", "bottle", "bottles", "can", "cans", "sheet", "sheets", "each", "ea", "bag", "bags"}
)


def is_countable(unit: str) -> bool:
    return unit.strip().lower() in COUNTABLE_UNITS


def format_quantity(value: Decimal | int, unit: str, lang: str) -> str:
    """A quantity of `unit` as the reader writes numbers, the number only (the unit is shown
    beside it by the caller): countable units (pieces, sets, pairs...) in whole numbers, "3"
    and never "3.00"; others (litres, kilograms, metres) with up to 3 decimals, trailing zeros
    left out: "10,742", "10,742.5". A fraction of a countable unit, which a count should not
    have, is shown as the others are rather than rounded away."""
    number = Decimal(value)
    whole = number == number.to_integral_value()
    if is_countable(unit) and whole:
        return numbers.format_decimal(number, format="#,##0", locale=_babel_locale(lang))
    return numbers.format_decimal(number, format="#,##0.###", locale=_babel_locale(lang))


@dataclass(frozen=True)
class Qty:
    """A quantity with its unit, as a message parameter: formatted for each reader by
    `format_quantity` (the number only: the message says the unit)."""

    value: Decimal
    unit: str

    def __str__(self) -> str:
        return format_quantity(self.value, self.unit, DEFAULT_LANGUAGE)


@dataclass(frozen=True)
class Msg:
    """One of our messages (with its parameters) as a parameter of another, or a name that
    may be one of our messages (a seeded document type): translated for each reader, shown
    as written when the catalog does not know it."""

    text: str
    params: dict[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return fill(self.text, self.params) if self.params else self.text


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


# ---- messages kept for later: the parameters of a stored notice ------------------------


def encode_param(value: object) -> Any:
    """A parameter as JSON that keeps what kind of value it is, so that a stored message is
    worded and formatted for each reader when it is read: a `Qty`, a `Msg`, a date or time, a
    decimal number, or a list (shown one per line). Text and whole numbers stay as they are."""
    if isinstance(value, Qty):
        return {"qty": str(value.value), "unit": value.unit}
    if isinstance(value, Msg):
        return {"msg": value.text, "params": encode_params(value.params)}
    if isinstance(value, dt.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"number": str(value)}
    if isinstance(value, list | tuple):
        return {"lines": [encode_param(v) for v in value]}
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def encode_params(params: Mapping[str, object]) -> dict[str, Any]:
    return {str(k): encode_param(v) for k, v in params.items()}


def render_param(value: Any, lang: str, tz: str = DEFAULT_ZONE) -> str:
    """A stored parameter (`encode_param`) as the reader reads it; a value it cannot read is
    shown as it is stored rather than failing."""
    try:
        if isinstance(value, dict):
            if "qty" in value:
                return format_quantity(Decimal(str(value["qty"])), str(value.get("unit") or ""), lang)
            if "msg" in value:
                return render_message(str(value["msg"]), None, value.get("params") or {}, lang, tz)
            if "datetime" in value:
                return format_datetime(dt.datetime.fromisoformat(str(value["datetime"])), lang, tz)
            if "date" in value:
                return format_date(dt.date.fromisoformat(str(value["date"])), lang)
            if "number" in value:
                return format_decimal(Decimal(str(value["number"])), lang)
            if "lines" in value:
                return "\n".join(render_param(v, lang, tz) for v in value["lines"])
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, int):
            return format_decimal(value, lang)
    except (ValueError, TypeError, InvalidOperation):
        pass
    return "" if value is None else str(value)


def render_message(
    message: str, plural: str | None, params: Mapping[str, Any], lang: str, tz: str = DEFAULT_ZONE
) -> str:
    """A stored message (its English id, the plural id when it has a count, the parameters as
    `encode_params` kept them) in the reader's language, values in the reader's format."""
    shown = {k: render_param(v, lang, tz) for k, v in params.items()}
    if plural:
        return translate_n(message, plural, params.get("n", 0), lang, **shown)
    return translate(message, lang, **shown) if shown else translate(message, lang)
