"""Company profile and the typed store of business parameters."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import available_timezones

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.actor import Actor
from common.calendar import DEFAULT_ZONE
from common.errors import FieldErrors, NotFound
from common.i18n import LANGUAGES, N_, country_names
from common.roles import CAN_MANAGE_SETTINGS
from core.contacts import RWANDA, email_field, phone_field, tax_id_field
from core.files import FileRejected, check_file
from core.params import ParamInvalid, ParamValue, parse_value, to_storage
from core.printing import LABEL_STOCK_KEY, LABEL_STOCKS
from core.services.company_day import company_today as company_today
from core.services.company_day import company_zone as company_zone
from core.services.versions import check_version
from db.models.settings import CompanyProfile, Parameter
from db.session import UnitOfWork

# text parameters that take one of a few values: key -> value -> how the screen names it
CHOICES: dict[str, dict[str, str]] = {LABEL_STOCK_KEY: {code: s.name for code, s in LABEL_STOCKS.items()}}


def get_param(session: Session, key: str) -> ParamValue:
    row = session.get(Parameter, key)
    if row is None:
        raise NotFound(N_("The setting {key} does not exist."), key=key)
    return parse_value(row.kind, row.value)


def get_decimal(session: Session, key: str) -> Decimal:
    value = get_param(session, key)
    return value if isinstance(value, Decimal) else Decimal(str(value))


def get_int(session: Session, key: str) -> int:
    value = get_param(session, key)
    assert isinstance(value, int) and not isinstance(value, bool)
    return value


def list_params(uow: UnitOfWork, actor: Actor) -> list[dict[str, object]]:
    actor.require(CAN_MANAGE_SETTINGS)
    with uow:
        rows = uow.session.scalars(select(Parameter).order_by(Parameter.group_name, Parameter.key)).all()
        return [
            {
                "key": r.key,
                "kind": r.kind,
                "value": r.value,
                "unit": r.unit or "",
                "group": r.group_name,
                "description": r.description,
                "min_value": r.min_value,
                "max_value": r.max_value,
                "choices": CHOICES.get(r.key, {}),
                "version": r.version,
            }
            for r in rows
        ]


def set_param(uow: UnitOfWork, actor: Actor, key: str, raw: str, expected_version: int | None = None) -> ParamValue:
    """Store a parameter's new value; `expected_version` is the version the form showed
    (RecordChanged if the parameter was saved since)."""
    actor.require(CAN_MANAGE_SETTINGS)
    with uow:
        row = uow.session.get(Parameter, key, with_for_update=True)
        if row is None:
            raise NotFound(N_("The setting {key} does not exist."), key=key)
        check_version(uow.session, row, expected_version)
        errors = FieldErrors()
        try:
            value = parse_value(row.kind, raw, row.min_value, row.max_value)
        except ParamInvalid as exc:
            errors.add(key, exc.message, **exc.params)
            errors.raise_if_any()
            raise
        if key in CHOICES and value not in CHOICES[key]:
            errors.add(key, N_("Choose one of: {choices}."), choices=", ".join(CHOICES[key]))
            errors.raise_if_any()
        stored = to_storage(row.kind, value)
        if stored != row.value:
            row.value = stored
            uow.commit()
        return value


@dataclass(frozen=True)
class CompanyInput:
    name: str
    address: str = ""
    tax_id: str = ""
    phone: str = ""
    email: str = ""
    currency: str = "RWF"
    timezone: str = DEFAULT_ZONE
    default_language: str = "en"
    country: str = RWANDA  # ISO 3166 code: the tax-id rule of the company and of clients with none


def company_country(session: Session) -> str:
    """The company's country (its ISO code): the tax-id rule of a client with no country."""
    return str(session.scalar(select(CompanyProfile.country).where(CompanyProfile.id == 1)) or RWANDA)


def get_company(uow: UnitOfWork) -> dict[str, object]:
    with uow:
        c = uow.session.get(CompanyProfile, 1)
        assert c is not None, "the foundation migration creates the company row"
        return {
            "name": c.name,
            "address": c.address or "",
            "tax_id": c.tax_id or "",
            "country": c.country,
            "phone": c.phone or "",
            "email": c.email or "",
            "currency": c.currency,
            "timezone": c.timezone,
            "default_language": c.default_language,
            "logo": c.logo,
            "version": c.version,
        }


def update_company(
    uow: UnitOfWork,
    actor: Actor,
    data: CompanyInput,
    logo: bytes | None = None,
    expected_version: int | None = None,
) -> None:
    """Save the company profile; `expected_version` is the version the form was opened with
    (RecordChanged if the profile was saved since)."""
    actor.require(CAN_MANAGE_SETTINGS)
    errors = FieldErrors()
    name = data.name.strip()
    if not name:
        errors.add("name", N_("Enter the company name."))
    phone = phone_field(data.phone, errors, "phone")
    email = email_field(data.email, errors, "email")
    currency = data.currency.strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        errors.add("currency", N_("Use a three-letter currency code such as RWF."))
    if data.timezone not in available_timezones():
        errors.add("timezone", N_("Unknown time zone."))
    if data.default_language not in LANGUAGES:
        errors.add("default_language", N_("Unknown language."))
    country = data.country.strip().upper()
    if country not in country_names("en"):
        errors.add("country", N_("Choose a country from the list."))
    tax_id = tax_id_field(data.tax_id, country, errors, "tax_id")
    if logo is not None:
        try:
            checked = check_file("logo.png" if logo[:4] == b"\x89PNG" else "logo.jpg", logo, Decimal(2))
            if not checked.is_image:
                errors.add("logo", N_("The logo must be a picture."))
        except FileRejected as exc:
            errors.add("logo", exc.message, **exc.params)
    errors.raise_if_any()
    with uow:
        c = uow.session.get(CompanyProfile, 1, with_for_update=True)
        assert c is not None
        check_version(uow.session, c, expected_version)
        c.name = name
        c.address = data.address.strip() or None
        c.tax_id = tax_id
        c.country = country
        c.phone = phone
        c.email = email
        c.currency = currency
        c.timezone = data.timezone
        c.default_language = data.default_language
        if logo is not None:
            c.logo = logo
        uow.commit()
