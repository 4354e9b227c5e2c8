"""Values shown in grids and cards, formatted for the reader's language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from common.i18n import format_date, format_datetime, format_decimal, translate
from ui.context import company_locale, language, t
from ui.markdown import Markdown, code, esc

__all__ = ["Markdown", "code", "esc", "show"]


def show(value: Any, kind: str = "text") -> str:
    lang = language()
    if value is None or value == "":
        return ""
    if kind == "name":  # a name from the database: one we seeded is our message (ui.labels)
        return translate(str(value), lang)
    if kind == "bool" or isinstance(value, bool):
        return t("Yes") if value else t("No")
    if isinstance(value, dt.datetime):
        return format_datetime(value, lang, company_locale()[1])
    if isinstance(value, dt.date):
        return format_date(value, lang)
    if isinstance(value, Decimal):
        return format_decimal(value, lang, places=2)
    if isinstance(value, int) and kind == "number":
        return format_decimal(value, lang)
    return str(value)
