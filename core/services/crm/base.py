"""What the CRM services share: the clock in UTC, the start of a company day, a one-field
validation error, a live client, and the words a closed follow-up keeps."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from common.errors import DomainError, NotFound, ValidationError
from common.i18n import N_
from db.models.crm import Client

CONTACT_LOGGED = N_("Closed: a contact was logged")
PROMISE_KEPT = N_("Promise kept")
SCAN_RULES = ("silent", "promise", "next_step", "contract", "promo")  # kinds the daily scan applies


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def day_start(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=zone)


def invalid(field_name: str, message: str, **params: object) -> ValidationError:
    return ValidationError({field_name: (message, params)})


def live_client(session: Session, client_id: int, lock: bool = False) -> Client:
    """The client, not merged into another one (archived clients are still live)."""
    client = session.get(Client, client_id, with_for_update=lock)
    if client is None:
        raise NotFound(N_("This client does not exist."))
    if client.merged_into_id is not None:
        raise DomainError(N_("This client was merged into another one."))
    return client
