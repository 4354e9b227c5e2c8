"""The outbox sends each message at most once, whatever happens to the worker or the
provider: a worker killed half-way, a provider that stalls, a provider that cannot say
what it received. Against a local server speaking SendGrid's v3 API."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import psycopg
import pytest
from sqlalchemy import create_engine, insert, select
from sqlalchemy.orm import sessionmaker

from db.models.notify import EmailOutbox
from emails.delivery import LEASE, deliver_pending
from emails.sendgrid_sender import SendGridSender
from tests.conftest import ROOT, fresh_database


class FakeSendGrid(BaseHTTPRequestHandler):
    """POST /v3/mail/send and GET /v3/messages (the Email Activity API), as SendGrid answers."""

    received: list[dict] = []
    delay_s = 0.0
    activity_api = True
    while_stalled: object = None  # called while a request is held, with the client waiting on it
    lock = threading.Lock()

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if type(self).delay_s:
            if callable(type(self).while_stalled):
                time.sleep(0.1)
                type(self).while_stalled()
            time.sleep(type(self).delay_s)
        with type(self).lock:
            type(self).received.append(body)
            number = len(type(self).received)
        try:
            self.send_response(202)
            self.send_header("X-Message-Id", f"msg-{number}")
            self.end_headers()
        except OSError:  # the client gave up waiting
            pass

    def do_GET(self):
        url = urlparse(self.path)
        assert url.path == "/v3/messages"
        if not type(self).activity_api:
            self.send_response(403)
            self.end_headers()
            self.wfile.write(b'{"errors":[{"message":"access forbidden"}]}')
            return
        query = parse_qs(url.query)["query"][0]
        key = query.split('="', 1)[1].rstrip('"')
        with type(self).lock:
            found = [
                i for i, b in enumerate(type(self).received, 1) if b.get("custom_args", {}).get("twara_outbox") == key
            ]
        body = json.dumps({"messages": [{"msg_id": f"msg-{found[0]}"}] if found else []}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def provider():
    FakeSendGrid.received = []
    FakeSendGrid.delay_s = 0.0
    FakeSendGrid.activity_api = True
    FakeSendGrid.while_stalled = None
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeSendGrid)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def _queue(location, n: int):  # type: ignore[no-untyped-def]
    engine = create_engine(location.sqlalchemy_url)
    with engine.begin() as conn:
        conn.execute(
            insert(EmailOutbox),
            [
                {"to_address": f"p{i}@example.rw", "subject": f"Notice {i}", "body_text": "x", "status": "queued"}
                for i in range(n)
            ],
        )
    return engine


def _recipients() -> Counter:
    return Counter(b["personalizations"][0]["to"][0]["email"] for b in FakeSendGrid.received)


WORKER = """
import sys
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker
from emails.delivery import deliver_pending
from emails.sendgrid_sender import SendGridSender
engine = create_engine(sys.argv[1])
deliver_pending(sessionmaker(engine), SendGridSender("SG.test", "twara@example.rw", host=sys.argv[2]))
"""


def _kill_worker_after(location, provider: str, after: int) -> None:  # type: ignore[no-untyped-def]
    FakeSendGrid.delay_s = 0.05
    proc = subprocess.Popen([sys.executable, "-c", WORKER, location.sqlalchemy_url, provider], cwd=ROOT)
    deadline = time.time() + 60
    while len(FakeSendGrid.received) < after and time.time() < deadline and proc.poll() is None:
        time.sleep(0.005)
    os.kill(proc.pid, signal.SIGKILL)  # the worker dies with no chance to clean up
    proc.wait()
    FakeSendGrid.delay_s = 0.0


def test_a_worker_killed_half_way_leaves_nobody_with_a_message_twice(database, provider):
    location = fresh_database(database, "twara_outbox_kill")
    engine = _queue(location, 60)
    _kill_worker_after(location, provider, 20)
    reached = len(FakeSendGrid.received)
    assert 20 <= reached < 60
    factory = sessionmaker(engine)
    with factory() as s:
        statuses = Counter(s.scalars(select(EmailOutbox.status)))
    assert statuses["sending"] <= 1 and statuses["sent"] >= 19  # each was committed as it went

    sender = SendGridSender("SG.test", "twara@example.rw", host=provider)
    deliver_pending(factory, sender)  # the restarted worker, at once: the one in doubt waits
    deliver_pending(factory, sender, now=_later())  # after the lease: the provider is asked
    assert len(FakeSendGrid.received) == 60
    assert set(_recipients().values()) == {1}  # every person got it, and once
    with factory() as s:
        assert Counter(s.scalars(select(EmailOutbox.status))) == {"sent": 60}
        assert all(s.scalars(select(EmailOutbox.provider_message_id)))
    engine.dispose()


def test_a_message_in_doubt_is_held_when_the_provider_cannot_tell(database, provider):
    location = fresh_database(database, "twara_outbox_held")
    engine = _queue(location, 30)
    _kill_worker_after(location, provider, 10)
    FakeSendGrid.activity_api = False  # no Email Activity add-on on this account
    factory = sessionmaker(engine)
    with factory() as s:
        in_doubt = s.scalars(select(EmailOutbox.id).where(EmailOutbox.status == "sending")).all()
    sender = SendGridSender("SG.test", "twara@example.rw", host=provider)
    deliver_pending(factory, sender, now=_later())
    assert max(_recipients().values()) == 1  # nobody twice
    with factory() as s:
        held = s.scalars(select(EmailOutbox.id).where(EmailOutbox.status == "held")).all()
        assert held == in_doubt
        assert s.scalar(select(EmailOutbox.id).where(EmailOutbox.status.in_(("queued", "sending")))) is None
    engine.dispose()


def test_a_stalled_provider_costs_seconds_and_holds_no_transaction_open(database, provider):
    location = fresh_database(database, "twara_outbox_stall")
    engine = _queue(location, 3)
    FakeSendGrid.delay_s = 3.0
    seen: list[int] = []

    def watch() -> None:  # what another session sees while Twara waits on the provider
        with psycopg.connect(location.conninfo, autocommit=True) as conn:
            seen.append(
                conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    " AND state LIKE 'idle in transaction%'"
                ).fetchone()[0]
            )

    FakeSendGrid.while_stalled = watch
    sender = SendGridSender("SG.test", "twara@example.rw", host=provider, timeout_s=0.5)
    t0 = time.perf_counter()
    deliver_pending(sessionmaker(engine), sender, budget_s=1.0)
    elapsed = time.perf_counter() - t0
    time.sleep(0.3)  # the last stalled request's look
    assert elapsed < 2.5  # timeouts and the run's budget, not the provider, decide
    assert seen and max(seen) == 0
    with sessionmaker(engine)() as s:
        statuses = Counter(s.scalars(select(EmailOutbox.status)))
    assert statuses["unknown"] >= 1 and statuses["sent"] == 0  # not resent blindly; asked later
    engine.dispose()


def _later():  # type: ignore[no-untyped-def]
    import datetime as dt

    return dt.datetime.now(dt.UTC) + LEASE + dt.timedelta(minutes=1)


def test_an_administrator_resends_a_held_message_and_the_log_says_so(uow, admin, session_factory):
    from common.errors import DomainError
    from core.services.notifications import resend_held
    from db.models.audit import ActivityLog

    with session_factory() as s:
        held = EmailOutbox(to_address="a@example.rw", subject="Hello", body_text="x", status="held")
        sent = EmailOutbox(to_address="b@example.rw", subject="Hello", body_text="x", status="sent")
        s.add_all([held, sent])
        s.commit()
        held_id, sent_id = held.id, sent.id
    resend_held(uow(admin), admin, held_id)
    with pytest.raises(DomainError):
        resend_held(uow(admin), admin, sent_id)  # a sent message is never sent again by hand
    with session_factory() as s:
        assert s.get(EmailOutbox, held_id).status == "queued"
        assert s.scalar(select(ActivityLog.action).where(ActivityLog.entity_type == "email_outbox")) == "resend"
