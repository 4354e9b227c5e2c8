"""One interface to send a rendered message. Rendering is separate (emails.render).

A provider call ends one of three ways, and the outbox treats each differently:
- it returned the provider's message id: the message is sent;
- `SendFailed`: the provider did not take it (refused, or never reached): safe to retry;
- `DeliveryUnknown`: the request may have reached the provider (a read timeout, a lost
  connection): resending blindly could send it twice, so the outbox asks the provider
  (`lookup`) before it decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class EmailMessage:
    to: str
    subject: str
    text: str
    html: str | None = None
    key: str | None = None  # our id of this message, sent along so the provider can be asked about it


class SendFailed(Exception):
    """The provider refused the message or could not be reached; the message says which."""


class DeliveryUnknown(Exception):
    """The request may or may not have reached the provider."""


class LookupUnavailable(Exception):
    """The provider cannot say whether it has a message (no such API, or it failed)."""


class EmailSender(Protocol):
    name: str

    def send(self, message: EmailMessage) -> str:
        """Send one message; return the provider's message id. Raise SendFailed or DeliveryUnknown."""
        ...

    def lookup(self, key: str) -> str | None:
        """The provider's id of the message sent with `key`, or None when it has none.
        Raise LookupUnavailable when it cannot tell."""
        ...


class RecordingSender:
    """Keeps what it was asked to send (for tests and dry runs)."""

    name = "recording"

    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []

    def send(self, message: EmailMessage) -> str:
        self.sent.append(message)
        return f"rec-{len(self.sent)}"

    def lookup(self, key: str) -> str | None:
        for number, message in enumerate(self.sent, start=1):
            if message.key == key:
                return f"rec-{number}"
        return None
