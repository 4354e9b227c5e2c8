"""One interface to send a rendered message. Rendering is separate (emails.render)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class EmailMessage:
    to: str
    subject: str
    text: str
    html: str | None = None


class SendFailed(Exception):
    """The provider refused or could not be reached; the message says which."""


class EmailSender(Protocol):
    name: str

    def send(self, message: EmailMessage) -> str:
        """Send one message; return the provider's message id. Raise SendFailed."""
        ...


class RecordingSender:
    """Keeps what it was asked to send (for tests and dry runs)."""

    name = "recording"

    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []

    def send(self, message: EmailMessage) -> str:
        self.sent.append(message)
        return f"rec-{len(self.sent)}"
