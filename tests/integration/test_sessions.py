"""Sessions end when they should, and a failed login tells nobody anything."""

from __future__ import annotations

import datetime as dt

import pytest

from core.services import sessions, users
from core.services.sessions import LoginFailed
from core.services.users import UserInput
from tests.integration.conftest import make_user

NOW = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)


def test_every_kind_of_failed_login_costs_one_password_check_and_says_the_same(uow, admin, monkeypatch):
    clerk = make_user(uow, admin, "clerk", "accountant")
    users.set_user_active(uow(admin), admin, clerk.user_id, False)
    for _ in range(5):  # this address is now made to wait for the administrator's account
        with pytest.raises(LoginFailed):
            sessions.authenticate(uow(None), "admin", "bad", source="203.0.113.9", now=NOW)
    checks: list[str] = []
    real = sessions.verify_password

    def counted(password_hash: str, password: str) -> bool:
        checks.append(password_hash[:10])
        return real(password_hash, password)

    monkeypatch.setattr(sessions, "verify_password", counted)
    cases = {
        "unknown user": ("nobody", "Good-pass-123", "10.0.0.1"),
        "wrong password": ("admin", "bad", "10.0.0.2"),
        "waiting source, right password": ("admin", "Secret-pass-1", "203.0.113.9"),
        "disabled, right password": ("clerk", "Good-pass-123", "10.0.0.3"),
    }
    messages = {}
    for case, (name, password, source) in cases.items():
        before = len(checks)
        with pytest.raises(LoginFailed) as err:
            sessions.authenticate(uow(None), name, password, source=source, now=NOW)
        assert len(checks) == before + 1, case
        messages[case] = (err.value.message, err.value.params)
    assert len(set(map(str, messages.values()))) == 1


def _login(uow, name: str, password: str, source: str = "10.0.0.9"):  # type: ignore[no-untyped-def]
    return sessions.authenticate(uow(None), name, password, source=source, now=NOW)


def test_a_password_reset_ends_the_intruders_session(uow, admin):
    make_user(uow, admin, "clerk", "accountant")
    intruder = _login(uow, "clerk", "Good-pass-123", "198.51.100.7")
    assert sessions.load_actor(uow(None), intruder, NOW) is not None
    clerk_id = intruder.user_id
    users.reset_password(uow(admin), admin, clerk_id, "Brand-new-pass-9")
    assert sessions.load_actor(uow(None), intruder, NOW) is None


def test_a_role_change_ends_the_sessions_and_a_language_change_does_not(uow, admin):
    make_user(uow, admin, "clerk", "accountant")
    open_one = _login(uow, "clerk", "Good-pass-123")
    users.set_language(uow(open_one), open_one, "rw")
    assert sessions.load_actor(uow(None), open_one, NOW) is not None
    users.update_user(uow(admin), admin, open_one.user_id, UserInput("clerk", "Clerk Test", "dispatcher"))
    assert sessions.load_actor(uow(None), open_one, NOW) is None


def test_changing_ones_own_password_keeps_this_session_and_ends_the_others(uow, admin):
    make_user(uow, admin, "clerk", "accountant")
    here = _login(uow, "clerk", "Good-pass-123", "10.0.0.1")
    elsewhere = _login(uow, "clerk", "Good-pass-123", "10.0.0.2")
    users.change_own_password(uow(here), here, "Good-pass-123", "Brand-new-pass-9")
    assert sessions.load_actor(uow(None), here, NOW) is not None
    assert sessions.load_actor(uow(None), elsewhere, NOW) is None


def test_an_idle_session_ends_and_an_active_one_goes_on(uow, admin):
    make_user(uow, admin, "clerk", "accountant")
    actor = _login(uow, "clerk", "Good-pass-123")
    assert sessions.load_actor(uow(None), actor, NOW + dt.timedelta(minutes=100)) is not None  # idle limit 120
    assert sessions.load_actor(uow(None), actor, NOW + dt.timedelta(minutes=210)) is not None  # seen at 100
    assert sessions.load_actor(uow(None), actor, NOW + dt.timedelta(minutes=331)) is None
    assert sessions.load_actor(uow(None), actor, NOW + dt.timedelta(minutes=332)) is None  # ended for good


def test_log_out_and_a_disabled_account_end_the_session(uow, admin):
    clerk = make_user(uow, admin, "clerk", "accountant")
    first = _login(uow, "clerk", "Good-pass-123")
    sessions.log_out(uow(first), first)
    assert sessions.load_actor(uow(None), first, NOW) is None
    second = _login(uow, "clerk", "Good-pass-123")
    users.set_user_active(uow(admin), admin, clerk.user_id, False)
    assert sessions.load_actor(uow(None), second, NOW) is None
