"""E-mail through SendGrid's v3 API, with the official client.

Every call has a timeout, so a stalled provider costs a worker seconds, not hours. Each
message carries our outbox key as a custom argument, so that after a crash or a timeout
the Email Activity API can say whether SendGrid has it (that API is a paid add-on: without
it, `lookup` says it cannot tell and the outbox leaves the decision to an administrator).
"""

from __future__ import annotations

import json
import socket
import urllib.error

from python_http_client.exceptions import HTTPError
from sendgrid import SendGridAPIClient
from sendgrid.helpers.mail import Content, CustomArg, Mail

from emails.port import DeliveryUnknown, EmailMessage, LookupUnavailable, SendFailed

TIMEOUT_S = 15.0
KEY_ARG = "twara_outbox"


def _never_reached(exc: BaseException) -> bool:
    """True when the request cannot have reached SendGrid (refused, no such host)."""
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    return isinstance(reason, (ConnectionRefusedError, socket.gaierror))


class SendGridSender:
    name = "sendgrid"

    def __init__(self, api_key: str, from_address: str, host: str | None = None, timeout_s: float = TIMEOUT_S) -> None:
        kwargs = {"api_key": api_key}
        if host:
            kwargs["host"] = host
        self.client = SendGridAPIClient(**kwargs)
        self.client.client.timeout = timeout_s  # python-http-client passes it to every request
        self.from_address = from_address

    def send(self, message: EmailMessage) -> str:
        mail = Mail(
            from_email=self.from_address,
            to_emails=message.to,
            subject=message.subject,
            plain_text_content=Content("text/plain", message.text),
        )
        if message.html:
            mail.add_content(Content("text/html", message.html))
        if message.key:
            mail.custom_arg = CustomArg(KEY_ARG, message.key)
        try:
            response = self.client.send(mail)
        except HTTPError as exc:
            body = getattr(exc, "body", b"")
            text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
            raise SendFailed(f"SendGrid refused the message ({exc.status_code}): {text[:300]}") from exc
        except OSError as exc:  # URLError, timeouts, resets
            if _never_reached(exc):
                raise SendFailed(f"SendGrid could not be reached: {exc}") from exc
            raise DeliveryUnknown(f"No answer from SendGrid: {exc}") from exc
        if response.status_code >= 300:
            raise SendFailed(f"SendGrid answered {response.status_code}")
        headers = response.headers or {}
        return str(headers.get("X-Message-Id", "")) or "accepted"

    def lookup(self, key: str) -> str | None:
        query = f"unique_args['{KEY_ARG}']=\"{key}\""
        try:
            response = self.client.client.messages.get(query_params={"query": query, "limit": 1})
            found = json.loads(response.body or b"{}").get("messages") or []
        except (HTTPError, OSError, ValueError) as exc:
            raise LookupUnavailable(f"SendGrid's activity feed cannot tell: {exc}") from exc
        return str(found[0].get("msg_id") or "accepted") if found else None
