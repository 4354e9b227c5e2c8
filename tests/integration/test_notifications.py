from __future__ import annotations

import json
import threading
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from sqlalchemy import select

from common.outbound import DEFAULT_BASE_URL, Outbound
from core.services.listing import ListQuery
from core.services.notifications import (
    Notice,
    list_inbox,
    mark_read,
    notify,
    unread_count,
)
from db.models.notify import EmailOutbox
from emails.delivery import deliver_pending
from emails.sendgrid_sender import SendGridSender
from tests.integration.conftest import make_user


def _post(uow, actor_ids, notice, configured=False, base_url=DEFAULT_BASE_URL):
    u = uow(None)
    u.outbound = Outbound(email_configured=configured, base_url=base_url)  # as the composition root sets it
    with u:
        new = notify(u.session, actor_ids, notice)
        u.commit()
    return new


def test_notice_reaches_the_inbox_once_per_dedupe_key(uow, admin):
    keeper = make_user(uow, admin, "keeper", "warehouse_keeper")
    notice = Notice(kind="low_stock", title="Diesel is running low", dedupe_key="low:diesel:2026-11-29")
    assert _post(uow, [keeper.user_id], notice) == [keeper.user_id]
    assert _post(uow, [keeper.user_id], notice) == []
    assert unread_count(uow(keeper), keeper) == 1
    assert mark_read(uow(keeper), keeper) == 1
    assert unread_count(uow(keeper), keeper) == 0
    assert list_inbox(uow(keeper), keeper, ListQuery()).total == 1


def test_notice_is_translated_for_a_kinyarwanda_reader(uow, admin):
    from core.services.users import set_language

    keeper = make_user(uow, admin, "keeper", "warehouse_keeper")
    _post(uow, [keeper.user_id], Notice(kind="test", title="Welcome to Twara"))
    set_language(uow(keeper), keeper, "rw")  # after the notice was posted: it is worded when read
    reader = replace(keeper, lang="rw")  # the actor the screen holds after the change
    row = list_inbox(uow(reader), reader, ListQuery()).rows[0]
    assert row["title"] == "Murakaza neza muri Twara"


def test_without_a_provider_the_email_waits_in_the_outbox_as_not_sent(uow, admin, session_factory):
    keeper = make_user(uow, admin, "keeper", "warehouse_keeper", email="keeper@example.rw")
    _post(uow, [keeper.user_id], Notice(kind="test", title="Welcome to Twara"))
    with session_factory() as s:
        mail = s.scalars(select(EmailOutbox)).one()
    assert mail.status == "not_sent" and mail.to_address == "keeper@example.rw"
    assert "Welcome to Twara" in mail.body_text


def test_the_link_in_a_notice_email_is_the_address_people_open(uow, admin, session_factory):
    keeper = make_user(uow, admin, "keeper", "warehouse_keeper", email="keeper@example.rw")
    _post(uow, [keeper.user_id], Notice(kind="test", title="Welcome to Twara"), True, "https://twara.example.rw")
    with session_factory() as s:
        mail = s.scalars(select(EmailOutbox)).one()
    assert mail.status == "queued"
    assert "https://twara.example.rw" in mail.body_text and "https://twara.example.rw" in mail.body_html
    assert DEFAULT_BASE_URL not in mail.body_text


class _FakeSendGrid(BaseHTTPRequestHandler):
    received: list[dict] = []
    fail_next = False

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if type(self).fail_next:
            type(self).fail_next = False
            self.send_response(500)
            self.end_headers()
            self.wfile.write(b'{"errors":[{"message":"boom"}]}')
            return
        assert self.path == "/v3/mail/send"
        assert self.headers["Authorization"] == "Bearer SG.test"
        type(self).received.append(json.loads(body))
        self.send_response(202)
        self.send_header("X-Message-Id", f"msg-{len(type(self).received)}")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def sendgrid_server():
    _FakeSendGrid.received = []
    server = HTTPServer(("127.0.0.1", 0), _FakeSendGrid)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_queued_email_is_sent_through_the_sendgrid_api_and_retried_after_a_failure(
    uow, admin, session_factory, sendgrid_server
):
    keeper = make_user(uow, admin, "keeper", "warehouse_keeper", email="keeper@example.rw")
    _post(uow, [keeper.user_id], Notice(kind="test", title="Welcome to Twara"), configured=True)
    sender = SendGridSender("SG.test", "twara@example.rw", host=sendgrid_server)
    _FakeSendGrid.fail_next = True
    assert deliver_pending(session_factory, sender) == 0
    with session_factory() as s:
        mail = s.scalars(select(EmailOutbox)).one()
        assert mail.status == "failed" and "500" in mail.last_error
        retry_at = mail.next_attempt_at
    assert deliver_pending(session_factory, sender, now=retry_at) == 1
    assert _FakeSendGrid.received[0]["personalizations"][0]["to"][0]["email"] == "keeper@example.rw"
    assert _FakeSendGrid.received[0]["subject"] == "Welcome to Twara"
    with session_factory() as s:
        mail = s.scalars(select(EmailOutbox)).one()
        assert mail.status == "sent" and mail.provider_message_id == "msg-1"
    assert deliver_pending(session_factory, sender, now=retry_at) == 0
