"""Typed business parameters: parsing and checking a value of each kind."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from common.i18n import N_

ParamValue = Decimal | int | str | bool | tuple[int, ...]


class ParamInvalid(ValueError):
    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


def parse_value(kind: str, raw: str, low: str | None = None, high: str | None = None) -> ParamValue:
    """Parse a parameter's text and hold it to its bounds: a number's range, each entry of a
    list, a text's length (bounds as stored beside the parameter)."""
    value = _parse(kind, raw)
    _check_bounds(kind, value, low, high)
    return value


def _check_bounds(kind: str, value: ParamValue, low: str | None, high: str | None) -> None:
    if low is None and high is None:
        return
    least = Decimal(low) if low is not None else None
    most = Decimal(high) if high is not None else None
    if kind == "text":
        assert isinstance(value, str)
        numbers: tuple[Decimal, ...] = (Decimal(len(value)),)
        message = N_("Use between {low} and {high} characters.")
    elif kind == "bool":
        return
    else:
        numbers = tuple(Decimal(v) for v in value) if isinstance(value, tuple) else (Decimal(str(value)),)
        message = N_("Enter a value between {low} and {high}.")
    if any((least is not None and n < least) or (most is not None and n > most) for n in numbers):
        raise ParamInvalid(message, low=low if low is not None else "0", high=high if high is not None else "∞")


def _parse(kind: str, raw: str) -> ParamValue:
    text = raw.strip()
    if kind == "decimal":
        try:
            value = Decimal(text.replace(",", ""))
        except InvalidOperation as exc:
            raise ParamInvalid(N_("Enter a number.")) from exc
        if not value.is_finite() or value < 0:
            raise ParamInvalid(N_("Enter a number that is zero or more."))
        return value
    if kind == "int":
        if not text.isdigit() or len(text) > 12:
            raise ParamInvalid(N_("Enter a whole number that is zero or more."))
        return int(text)
    if kind == "bool":
        lowered = text.lower()
        if lowered in ("true", "yes", "1"):
            return True
        if lowered in ("false", "no", "0"):
            return False
        raise ParamInvalid(N_("Enter yes or no."))
    if kind == "int_list":
        parts = [p.strip() for p in text.split(",") if p.strip()]
        if not parts or not all(p.isdigit() for p in parts):
            raise ParamInvalid(N_("Enter whole numbers separated by commas, for example 30,14,7,1."))
        return tuple(sorted({int(p) for p in parts}, reverse=True))
    if kind == "text":
        return text
    raise ParamInvalid(N_("Unknown parameter kind."))


def to_storage(kind: str, value: ParamValue) -> str:
    if kind == "int_list":
        assert isinstance(value, tuple)
        return ",".join(str(v) for v in value)
    if kind == "bool":
        return "true" if value else "false"
    return str(value)
