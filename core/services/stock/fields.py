"""What the warehouse's use cases share: a quantity typed by the keeper, and the moment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from common.errors import FieldErrors
from common.i18n import N_


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def quantity(
    raw: str | Decimal | None, errors: FieldErrors, field_name: str, allow_zero: bool = False
) -> Decimal | None:
    """A typed quantity (or price) as a Decimal; a message at `field_name` when it is not one."""
    try:
        value = Decimal(str(raw).replace(",", "").strip())
    except (InvalidOperation, AttributeError):
        errors.add(field_name, N_("Enter a number."))
        return None
    if not value.is_finite() or value < 0 or (value == 0 and not allow_zero):
        errors.add(field_name, N_("The quantity must be more than zero."))
        return None
    if value > Decimal("99999999999"):
        errors.add(field_name, N_("The quantity is too large."))
        return None
    return value
