"""What a notice needs to know of the world outside the database, given by the composition
root to every unit of work (and so to every service that posts a notice)."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_BASE_URL = "http://localhost:8501"


@dataclass(frozen=True)
class Outbound:
    email_configured: bool = False  # a provider is set: e-mails are queued, not kept as "not sent"
    base_url: str = DEFAULT_BASE_URL  # the address people open (TWARA_BASE_URL), for links in notices
