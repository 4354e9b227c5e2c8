"""Typed business parameters: parsing and checking a value of each kind."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from common.i18n import N_

ParamValue = Decimal | int | str | bool | tuple[int, ...]


class ParamInvalid(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_value(kind: str, raw: str) -> ParamValue:
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
        if not text.isdigit():
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
