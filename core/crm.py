"""CRM rules without a database: tags, consent decisions, plan-versus-done buckets, segment
rules. The services in core/services/crm/ apply them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from common.i18n import N_

TAG_RE = re.compile(r"[^\w\- ]+", re.UNICODE)
LEGAL_WORDS = {"ltd", "limited", "sarl", "s.a.r.l", "plc", "co", "company", "inc", "sa", "the"}


def core_name(name: str) -> str:
    """A client's name as duplicates are compared: lower case, no punctuation, no legal form
    (`KIVU BEER LTD.` and `Kivu Beer` are one)."""
    words = [w for w in name.lower().replace(".", " ").replace(",", " ").split() if w not in LEGAL_WORDS]
    return " ".join(words)


def parse_tags(raw: str | list[str] | None) -> list[str]:
    """Comma-separated tags, trimmed, lower-cased, without duplicates, in the given order."""
    parts = raw if isinstance(raw, list) else (raw or "").split(",")
    out: list[str] = []
    for part in parts:
        tag = " ".join(TAG_RE.sub("", part).split()).lower()[:40]
        if tag and tag not in out:
            out.append(tag)
    return out


@dataclass(frozen=True)
class ConsentRow:
    id: int
    contact_id: int | None
    opted_in: bool
    at: dt.datetime


def consent_decision(purpose: str, rows: list[ConsentRow], contact_id: int | None) -> tuple[bool, str]:
    """May we send? `rows` are the register rows of one client, channel and purpose.
    The specification of `consent_allows` in core/services/crm/consent.py (the same rule
    in SQL), held to it by tests/integration/test_crm.py.

    The newest row for the contact decides; without one, the newest row for the client.
    Marketing needs no prior opt-in (an opt-out register, SPEC C8) but stops at an
    opt-out; service messages are sent unless the person opted out of them too.
    """
    own = [r for r in rows if contact_id is not None and r.contact_id == contact_id]
    client = [r for r in rows if r.contact_id is None]
    for scope in (own, client):
        if scope:
            newest = max(scope, key=lambda r: (r.at, r.id))
            if not newest.opted_in:
                return False, (
                    N_("Opted out of marketing messages on this channel.")
                    if purpose == "marketing"
                    else N_("Opted out of service messages on this channel.")
                )
            return True, N_("Opted in.")
    return True, N_("No objection on record.")


def plan_bucket(due: dt.date, done_on: dt.date | None, today: dt.date) -> str:
    """P4: a planned item is done on time, done late, not done (its day has passed) or pending."""
    if done_on is not None:
        return "on_time" if done_on <= due else "late"
    return "not_done" if due < today else "pending"


# What a follow-up says, as message ids with parameters: the plan shows it in the reader's
# language. The scan stores the id in follow_up.title and the values in follow_up.params.
FOLLOW_UP_PROMISE = N_("Promise: {text}")
FOLLOW_UP_NEXT_STEP = N_("Next step: {text}")
FOLLOW_UP_SILENT = N_("No contact since {date}")
FOLLOW_UP_CONTRACT = N_("Contract {number} ends on {date}")
FOLLOW_UP_TARIFF_SHEET = N_("Price list {number} ends on {date}")  # a tariff sheet; users say "price list"
FOLLOW_UP_PROMO = N_("Promotional contact due")


SEGMENT_KEYS = {
    "category_ids",
    "regions",
    "statuses",
    "tags",
    "manager_ids",
    "needs",
    "silent_days",
    "contacted_within_days",
    "reachable",
    "kinds",
}


def clean_segment_rules(rules: dict[str, Any]) -> dict[str, Any]:
    """Drop empty rules and unknown keys; integers stay integers (>= 0)."""
    out: dict[str, Any] = {}
    for key, value in rules.items():
        if key not in SEGMENT_KEYS or value in (None, "", [], ()):
            continue
        if key in ("silent_days", "contacted_within_days"):
            value = int(value)
            if value < 0:
                raise ValueError(key)
        elif isinstance(value, (list, tuple)):
            value = sorted(set(value), key=str)
        out[key] = value
    return out
