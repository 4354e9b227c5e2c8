"""Phone numbers and e-mail addresses, checked and normalised (Rwanda by default)."""

from __future__ import annotations

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from common.errors import FieldErrors
from common.i18n import N_


class ContactInvalid(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def normalize_phone(raw: str, region: str = "RW") -> str:
    """Return the number in international form (+250 788 123 456), or raise ContactInvalid."""
    text = raw.strip()
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise ContactInvalid(N_("This is not a phone number.")) from exc
    if not phonenumbers.is_valid_number(number):
        raise ContactInvalid(N_("This phone number is not valid (example: +250 788 123 456)."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_field(raw: str, errors: FieldErrors, field: str) -> str | None:
    """An optional phone of a form: normalised, None when empty, a field error when wrong."""
    if not raw.strip():
        return None
    try:
        return normalize_phone(raw)
    except ContactInvalid as exc:
        errors.add(field, exc.message)
        return None


def email_field(raw: str, errors: FieldErrors, field: str) -> str | None:
    """An optional e-mail of a form: normalised, None when empty, a field error when wrong."""
    if not raw.strip():
        return None
    try:
        return normalize_email(raw)
    except ContactInvalid as exc:
        errors.add(field, exc.message)
        return None


def normalize_email(raw: str) -> str:
    try:
        result = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise ContactInvalid(N_("This e-mail address is not valid.")) from exc
    return result.normalized
