"""Sessions end when they should, and a failed login tells nobody anything."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core.services import sessions, users
from core.services.sessions import LoginFailed
from core.services.settings import set_param
from core.services.users import UserInput
from db.models.audit import ActivityLog
from db.models.auth import UserSession
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


# The browser's cookie carries a login's token: `resume` is what a reload, a bookmark or a new
# tab goes through.


def _log_in(uow, source: str = "10.0.0.9", now: dt.datetime = NOW):  # type: ignore[no-untyped-def]
    """The clerk logs in with the login form's function."""
    return sessions.log_in(uow(None), "clerk", "Good-pass-123", source=source, now=now)


def test_a_logins_token_opens_its_own_session_again_and_is_never_stored(uow, admin, session_factory):
    make_user(uow, admin, "clerk", "accountant")
    login = _log_in(uow)
    assert login.expires_at == NOW + dt.timedelta(hours=12)  # auth.session_max_hours
    assert login.token not in repr(login)
    resumed = sessions.resume(uow(None), login.token, NOW + dt.timedelta(minutes=5))
    assert resumed == login.actor and resumed is not None and resumed.session_id == login.actor.session_id
    with session_factory() as s:
        stored = s.scalars(select(UserSession.token_hash).where(UserSession.id == login.actor.session_id)).one()
        logged = " ".join(str(r) for r in s.scalars(select(ActivityLog.changes)).all())
    assert login.token not in stored and login.token not in logged


def test_a_cookie_of_a_logged_out_session_opens_nothing(uow, admin):
    make_user(uow, admin, "clerk", "accountant")
    login = _log_in(uow)
    sessions.log_out(uow(login.actor), login.actor)
    assert sessions.resume(uow(None), login.token, NOW) is None
    again = _log_in(uow)  # a new login has a token of its own; the old one stays dead
    assert again.token != login.token
    assert sessions.resume(uow(None), again.token, NOW) is not None
    assert sessions.resume(uow(None), login.token, NOW) is None


def test_a_password_change_ends_the_cookies_of_the_other_browsers(uow, admin):
    make_user(uow, admin, "clerk", "accountant")
    here = _log_in(uow, source="10.0.0.1")
    elsewhere = _log_in(uow, source="10.0.0.2")
    users.change_own_password(uow(here.actor), here.actor, "Good-pass-123", "Brand-new-pass-9")
    assert sessions.resume(uow(None), elsewhere.token, NOW) is None
    assert sessions.resume(uow(None), here.token, NOW) is not None  # the browser that changed it
    users.reset_password(uow(admin), admin, here.actor.user_id, "Other-new-pass-4")  # an administrator's
    assert sessions.resume(uow(None), here.token, NOW) is None


def test_a_cookie_of_an_idle_session_opens_nothing(uow, admin, session_factory):
    make_user(uow, admin, "clerk", "accountant")
    login = _log_in(uow)
    assert sessions.resume(uow(None), login.token, NOW + dt.timedelta(minutes=119)) is not None
    assert sessions.resume(uow(None), login.token, NOW + dt.timedelta(minutes=119 + 121)) is None
    assert _end_reason(session_factory, login) == "idle"


def test_a_busy_session_still_ends_its_lifetime_after_login(uow, admin, session_factory):
    make_user(uow, admin, "clerk", "accountant")
    login = _log_in(uow)
    for hour in range(1, 13):  # a click every hour: never idle
        moment = NOW + dt.timedelta(hours=hour)
        assert sessions.load_actor(uow(None), login.actor, moment) is not None, hour
    late = NOW + dt.timedelta(hours=12, minutes=1)
    assert sessions.resume(uow(None), login.token, late) is None
    assert _end_reason(session_factory, login) == "expired"
    assert sessions.load_actor(uow(None), login.actor, late) is None  # the open tab is logged out too


def test_the_lifetime_is_the_administrators_setting(uow, admin, session_factory):
    make_user(uow, admin, "clerk", "accountant")
    older = _log_in(uow)
    set_param(uow(admin), admin, "auth.session_max_hours", "1")
    login = _log_in(uow, now=NOW + dt.timedelta(minutes=50))
    assert login.expires_at == NOW + dt.timedelta(minutes=50, hours=1)
    later = NOW + dt.timedelta(minutes=70)  # idle for neither, but the first is over an hour old
    assert sessions.resume(uow(None), older.token, later) is None
    assert _end_reason(session_factory, older) == "expired"
    assert sessions.resume(uow(None), login.token, later) is not None


def test_a_tampered_or_made_up_token_opens_nothing(uow, admin, session_factory):
    make_user(uow, admin, "clerk", "accountant")
    login = _log_in(uow)
    with session_factory() as s:
        stored_hash = s.scalars(select(UserSession.token_hash).where(UserSession.id == login.actor.session_id)).one()
    flipped = login.token[:-1] + ("A" if login.token[-1] != "A" else "B")
    for token in (flipped, login.token + "x", login.token[:-1], login.token.upper(), stored_hash, "", None, "x" * 5000):
        assert sessions.resume(uow(None), token, NOW) is None, token
    assert sessions.resume(uow(None), login.token, NOW) == login.actor  # and the real one still works


def test_a_disabled_account_refuses_its_cookie(uow, admin):
    clerk = make_user(uow, admin, "clerk", "accountant")
    login = _log_in(uow)
    users.set_user_active(uow(admin), admin, clerk.user_id, False)
    assert sessions.resume(uow(None), login.token, NOW) is None


def _end_reason(session_factory, login) -> str | None:  # type: ignore[no-untyped-def]
    with session_factory() as s:
        return s.scalars(select(UserSession.end_reason).where(UserSession.id == login.actor.session_id)).one()
