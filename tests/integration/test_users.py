from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from common.errors import PermissionDenied, ValidationError
from core.services import sessions, users
from core.services.sessions import LoginFailed
from core.services.users import FirstAdminExists, UserInput
from db.models.audit import ActivityLog
from db.models.auth import User
from tests.integration.conftest import make_user


def test_first_admin_can_be_created_once(uow, admin):
    with pytest.raises(FirstAdminExists):
        users.create_first_admin(uow(None), "second", "Bob Second", "Another-pass-2")


def test_password_is_stored_hashed_with_argon2(uow, admin, session_factory):
    with session_factory() as s:
        user = s.get(User, admin.user_id)
        assert user.password_hash.startswith("$argon2")
        assert "Secret-pass-1" not in user.password_hash


def test_login_with_right_password_returns_actor_and_logs_it(uow, admin, session_factory):
    actor = sessions.authenticate(uow(None), "ADMIN ", "Secret-pass-1")
    assert actor.user_id == admin.user_id and actor.role == "administrator"
    with session_factory() as s:
        actions = s.scalars(select(ActivityLog.action).where(ActivityLog.entity_type == "user")).all()
    assert "login" in actions


def test_wrong_password_is_refused_with_a_generic_message(uow, admin):
    with pytest.raises(LoginFailed) as err:
        sessions.authenticate(uow(None), "admin", "wrong")
    assert err.value.message == "Wrong user name or password."
    with pytest.raises(LoginFailed) as err2:
        sessions.authenticate(uow(None), "nobody", "wrong")
    assert err2.value.message == err.value.message


def test_repeated_failures_from_one_place_make_that_place_wait_not_the_owner(uow, admin):
    now = dt.datetime(2026, 11, 29, 8, 0, tzinfo=dt.UTC)
    for _ in range(5):
        with pytest.raises(LoginFailed):
            sessions.authenticate(uow(None), "admin", "bad", source="203.0.113.9", now=now)
    # the stranger's address now waits, even with the right password, and hears nothing new
    with pytest.raises(LoginFailed) as still:
        sessions.authenticate(uow(None), "admin", "Secret-pass-1", source="203.0.113.9", now=now)
    assert still.value.message == "Wrong user name or password."
    # the administrator, from her own desk, is not locked out
    actor = sessions.authenticate(uow(None), "admin", "Secret-pass-1", source="10.0.0.5", now=now)
    assert actor.user_id == admin.user_id
    # and the stranger's wait ends
    later = now + dt.timedelta(minutes=2)
    assert sessions.authenticate(uow(None), "admin", "Secret-pass-1", source="203.0.113.9", now=later)


def test_duplicate_user_name_is_refused_at_the_field_whatever_the_case(uow, admin):
    make_user(uow, admin, "keeper", "warehouse_keeper")
    with pytest.raises(ValidationError) as err:
        users.create_user(uow(admin), admin, UserInput("KEEPER", "Other Person", "dispatcher"), "Good-pass-123")
    assert "username" in err.value.errors


def test_bad_fields_are_all_reported_and_nothing_is_saved(uow, admin, session_factory):
    with pytest.raises(ValidationError) as err:
        users.create_user(uow(admin), admin, UserInput("a", "", "pilot", email="not-an-email"), "short")
    assert set(err.value.errors) == {"username", "full_name", "role", "email", "password"}
    with session_factory() as s:
        assert s.scalar(select(User).where(User.username == "a")) is None


def test_disabled_user_cannot_log_in(uow, admin):
    clerk = make_user(uow, admin, "clerk", "accountant")
    users.set_user_active(uow(admin), admin, clerk.user_id, False)
    with pytest.raises(LoginFailed) as err:
        sessions.authenticate(uow(None), "clerk", "Good-pass-123")
    assert err.value.message == "Wrong user name or password."  # the right password learns nothing


def test_last_active_administrator_cannot_be_disabled_or_demoted(uow, admin):
    other = make_user(uow, admin, "boss", "director")
    with pytest.raises(Exception):
        users.set_user_active(uow(admin), admin, admin.user_id, False)
    with pytest.raises(ValidationError):
        users.update_user(uow(admin), admin, admin.user_id, UserInput("admin", "Alice Uwase", "director"))
    assert other.user_id


def test_only_administrators_manage_users(uow, admin):
    director = make_user(uow, admin, "boss", "director")
    with pytest.raises(PermissionDenied):
        users.create_user(uow(director), director, UserInput("x1x", "X Person", "dispatcher"), "Good-pass-123")


def test_reset_password_lifts_the_wait_and_the_new_password_works(uow, admin):
    clerk = make_user(uow, admin, "clerk", "accountant")
    for _ in range(5):
        with pytest.raises(LoginFailed):
            sessions.authenticate(uow(None), "clerk", "bad")
    users.reset_password(uow(admin), admin, clerk.user_id, "Brand-new-pass-9")
    assert sessions.authenticate(uow(None), "clerk", "Brand-new-pass-9").user_id == clerk.user_id


def test_password_changes_are_logged_without_the_hash(uow, admin, session_factory):
    clerk = make_user(uow, admin, "clerk", "accountant")
    users.reset_password(uow(admin), admin, clerk.user_id, "Brand-new-pass-9")
    with session_factory() as s:
        row = s.scalars(
            select(ActivityLog).where(
                ActivityLog.entity_type == "user",
                ActivityLog.action == "update",
                ActivityLog.entity_id == str(clerk.user_id),
            )
        ).first()
    assert row is not None and row.username == "admin"
    assert row.changes["password_hash"]["after"] == "*** (changed)"
    assert "argon2" not in str(row.changes)
