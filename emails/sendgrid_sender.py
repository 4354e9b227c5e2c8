"""E-mail through SendGrid's v3 API, with the official client."""

from __future__ import annotations

from python_http_client.exceptions import HTTPError
from sendgrid import SendGridAPIClient
from sendgrid.helpers.mail import Content, Mail

from emails.port import EmailMessage, SendFailed


class SendGridSender:
    name = "sendgrid"

    def __init__(self, api_key: str, from_address: str, host: str | None = None) -> None:
        kwargs = {"api_key": api_key}
        if host:
            kwargs["host"] = host
        self.client = SendGridAPIClient(**kwargs)
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
        try:
            response = self.client.send(mail)
        except HTTPError as exc:
            body = getattr(exc, "body", b"")
            text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
            raise SendFailed(f"SendGrid refused the message ({exc.status_code}): {text[:300]}") from exc
        except OSError as exc:
            raise SendFailed(f"SendGrid could not be reached: {exc}") from exc
        if response.status_code >= 300:
            raise SendFailed(f"SendGrid answered {response.status_code}")
        headers = response.headers or {}
        return str(headers.get("X-Message-Id", "")) or "accepted"
