"""Values shown in grids and cards, formatted for the reader's language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from common.i18n import format_date, format_datetime, format_decimal, format_quantity, translate
from ui.context import company_locale, language, t
from ui.markdown import Markdown, code, esc

__all__ = ["Markdown", "code", "esc", "show", "show_qty"]


def show(value: Any, kind: str = "text") -> str:
    """A value in the reader's format: yes/no, a date, a moment in the company's zone, a
    decimal with 2 places (money, prices), or with kind "number" a count or measure without
    trailing zeros ("3", "10,742.5"); a quantity beside its unit is `show_qty`."""
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
        if kind == "number":  # a count or a measure (on hand, a reorder level): no trailing zeros
            return format_quantity(value, "", lang)
        return format_decimal(value, lang, places=2)
    if isinstance(value, int) and kind == "number":
        return format_decimal(value, lang)
    return str(value)


def show_qty(value: Decimal | int | None, unit: str) -> str:
    """A quantity of `unit` in the reader's format (pieces whole, others up to 3 decimals),
    the number only: grids and messages show the unit beside it."""
    if value is None or value == "":
        return ""
    return format_quantity(value, unit, language())
