"""Phone numbers, e-mail addresses, countries and tax ids, checked and normalised (Rwanda
by default)."""

from __future__ import annotations

import re

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from common.errors import FieldErrors
from common.i18n import LANGUAGES, N_, country_names

RWANDA = "RW"
# the rule, said next to every tax-id field (the client card, the company profile)
TAX_ID_HELP = N_(
    "In Rwanda a TIN is 9 digits (spaces may be typed). For a client abroad, the tax number of "
    "its country: 4 to 20 letters, digits, spaces, - or /, with at least one digit."
)
_RWANDA_TIN = re.compile(r"[0-9]{9}")
_FOREIGN_TAX_ID = re.compile(r"(?=.*[0-9])[A-Z0-9][A-Z0-9 /-]{2,18}[A-Z0-9]")


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


def normalize_tax_id(raw: str, country: str) -> str:
    """A tax id as stored: in Rwanda (`country` "RW") exactly 9 digits, typed with spaces or
    not, kept as the digits; elsewhere 4 to 20 letters, digits, spaces, "-" or "/" with at
    least one digit, in capitals with single spaces. ContactInvalid otherwise."""
    text = " ".join(raw.split()).upper()
    if country == RWANDA:
        digits = text.replace(" ", "")
        if not _RWANDA_TIN.fullmatch(digits):
            raise ContactInvalid(N_("A Rwandan TIN is 9 digits (for example 102 345 678)."))
        return digits
    if not _FOREIGN_TAX_ID.fullmatch(text):
        raise ContactInvalid(N_("A tax number has 4 to 20 letters, digits, spaces, - or /, with at least one digit."))
    return text


def tax_id_field(raw: str, country: str, errors: FieldErrors, field: str) -> str | None:
    """An optional tax id of a form, by the rule of `country`: normalised, None when empty,
    a field error when wrong."""
    if not raw.strip():
        return None
    try:
        return normalize_tax_id(raw, country)
    except ContactInvalid as exc:
        errors.add(field, exc.message)
        return None


def country_code(raw: str) -> str | None:
    """A country typed in a file or a form: its ISO code ("RW", "ke") or its name in English
    or Kinyarwanda ("Rwanda", "U Rwanda"), as the code; None when empty. ContactInvalid when
    it names no country."""
    text = " ".join(raw.split())
    if not text:
        return None
    if text.upper() in country_names("en"):
        return text.upper()
    for lang in LANGUAGES:
        for code, name in country_names(lang).items():
            if name.casefold() == text.casefold():
                return code
    raise ContactInvalid(N_("Unknown country: write its two-letter code (RW, KE, UG...)."))


def country_field(raw: str, errors: FieldErrors, field: str) -> str | None:
    """An optional country of a form or a file: its code, None when empty, a field error when
    it names no country."""
    try:
        return country_code(raw)
    except ContactInvalid as exc:
        errors.add(field, exc.message)
        return None
