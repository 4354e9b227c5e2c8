"""Users: the first administrator, logging in, and the administration of accounts."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select, text
from sqlalchemy.exc import IntegrityError

from common.actor import Actor
from common.errors import DomainError, FieldErrors, NotFound
from common.i18n import LANGUAGES, N_
from common.roles import ADMIN, CAN_MANAGE_USERS, ROLES
from core.auth_rules import (
    MAX_PASSWORD_LENGTH,
    hash_password,
    normalize_username,
    password_problem,
    username_problem,
    verify_password,
)
from core.contacts import ContactInvalid, normalize_email
from core.services import sessions
from core.services.listing import ListQuery, PageResult, like_pattern, run_page
from core.services.settings import get_int
from core.services.versions import check_version
from db.models.auth import User, UserSession
from db.models.hr import Employee
from db.session import UnitOfWork


class FirstAdminExists(DomainError):
    pass


@dataclass(frozen=True)
class UserInput:
    username: str
    full_name: str
    role: str
    email: str = ""
    language: str = "en"
    employee_id: int | None = None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def actor_for(uow: UnitOfWork, username: str) -> Actor:
    """The active user of this name as an actor, for the command line's `--user` (whose rights
    then apply and who signs the log); NotFound for no such active user."""
    with uow:
        user = uow.session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))
        if user is None or not user.is_active:
            raise NotFound(N_("There is no active user named {name}."), name=username)
        return Actor(user_id=user.id, username=user.username, role=user.role, lang=user.language or "en")


def count_users(uow: UnitOfWork) -> int:
    with uow:
        return uow.session.execute(select(func.count()).select_from(User)).scalar_one()


def _validate(uow: UnitOfWork, data: UserInput, user_id: int | None) -> tuple[FieldErrors, dict[str, Any]]:
    errors = FieldErrors()
    username = normalize_username(data.username)
    problem = username_problem(username)
    if problem:
        errors.add("username", problem)
    else:
        clash = uow.session.scalar(
            select(User.id).where(func.lower(User.username) == username, User.id != (user_id or -1))
        )
        if clash is not None:
            errors.add("username", N_("The user name {name} is already taken."), name=username)
    full_name = " ".join(data.full_name.split())
    if not full_name:
        errors.add("full_name", N_("Enter the person's full name."))
    email = None
    if data.email.strip():
        try:
            email = normalize_email(data.email)
        except ContactInvalid as exc:
            errors.add("email", exc.message)
    if data.role not in ROLES:
        errors.add("role", N_("Choose a role."))
    if data.language not in LANGUAGES:
        errors.add("language", N_("Unknown language."))
    if data.employee_id is not None and uow.session.get(Employee, data.employee_id) is None:
        errors.add("employee_id", N_("This employee does not exist."))
    values = dict(
        username=username,
        full_name=full_name,
        email=email,
        role=data.role,
        language=data.language,
        employee_id=data.employee_id,
    )
    return errors, values


def _check_password(
    uow: UnitOfWork, password: str, errors: FieldErrors, field: str = "password", personal: tuple[str, ...] = ()
) -> None:
    min_len = get_int(uow.session, "auth.min_password_length")
    problem = password_problem(password, min_len, personal)
    if problem:
        errors.add(field, problem, n=min_len, most=MAX_PASSWORD_LENGTH)


def _save(uow: UnitOfWork, user: User, errors_field: str = "username") -> None:
    try:
        uow.session.flush()
    except IntegrityError as exc:
        uow.session.rollback()
        errors = FieldErrors()
        errors.add(errors_field, N_("The user name {name} is already taken."), name=user.username)
        errors.raise_if_any()
        raise AssertionError from exc


def create_first_admin(
    uow: UnitOfWork, username: str, full_name: str, password: str, email: str = "", language: str = "en"
) -> int:
    """Create the first administrator; refused once any user exists (even in a race)."""
    data = UserInput(username=username, full_name=full_name, role=ADMIN, email=email, language=language)
    with uow:
        uow.session.execute(text("SELECT pg_advisory_xact_lock(hashtext('twara-first-admin'))"))
        if uow.session.execute(select(func.count()).select_from(User)).scalar_one() > 0:
            raise FirstAdminExists(N_("An administrator already exists. Log in instead."))
        errors, values = _validate(uow, data, None)
        _check_password(uow, password, errors, personal=(values["username"], values["full_name"]))
        errors.raise_if_any()
        user = User(**values, password_hash=hash_password(password))
        uow.session.add(user)
        _save(uow, user)
        uow.commit()
        return user.id


def create_user(uow: UnitOfWork, actor: Actor, data: UserInput, password: str) -> int:
    actor.require(CAN_MANAGE_USERS)
    with uow:
        errors, values = _validate(uow, data, None)
        _check_password(uow, password, errors, personal=(values["username"], values["full_name"]))
        errors.raise_if_any()
        user = User(**values, password_hash=hash_password(password))
        uow.session.add(user)
        _save(uow, user)
        uow.commit()
        return user.id


def _get(uow: UnitOfWork, user_id: int, lock: bool = False) -> User:
    user = uow.session.get(User, user_id, with_for_update=lock)
    if user is None:
        raise NotFound(N_("This user does not exist."))
    return user


def _active_admins(uow: UnitOfWork) -> int:
    return uow.session.execute(
        select(func.count()).select_from(User).where(User.role == ADMIN, User.is_active)
    ).scalar_one()


def update_user(
    uow: UnitOfWork, actor: Actor, user_id: int, data: UserInput, expected_version: int | None = None
) -> None:
    """Save the account's fields; `expected_version` is the one the form was opened with."""
    actor.require(CAN_MANAGE_USERS)
    with uow:
        uow.session.execute(text("SELECT pg_advisory_xact_lock(hashtext('twara-admins'))"))
        user = _get(uow, user_id, lock=True)
        check_version(uow.session, user, expected_version)
        errors, values = _validate(uow, data, user_id)
        if user.role == ADMIN and values["role"] != ADMIN and user.is_active and _active_admins(uow) <= 1:
            errors.add("role", N_("This is the last active administrator; the role cannot change."))
        errors.raise_if_any()
        role_changed = values["role"] != user.role
        for key, value in values.items():
            setattr(user, key, value)
        _save(uow, user)
        if role_changed:  # what the open sessions may do has changed: they log in again
            sessions.end_sessions(uow, user.id, "role_changed")
        uow.commit()


def set_user_active(uow: UnitOfWork, actor: Actor, user_id: int, active: bool) -> None:
    actor.require(CAN_MANAGE_USERS)
    with uow:
        uow.session.execute(text("SELECT pg_advisory_xact_lock(hashtext('twara-admins'))"))
        user = _get(uow, user_id, lock=True)
        if not active:
            if user.id == actor.user_id:
                raise DomainError(N_("You cannot disable your own account."))
            if user.role == ADMIN and user.is_active and _active_admins(uow) <= 1:
                raise DomainError(N_("This is the last active administrator; it cannot be disabled."))
        if user.is_active != active:
            user.is_active = active
            if not active:
                sessions.end_sessions(uow, user.id, "disabled")
            uow.commit()


def reset_password(uow: UnitOfWork, actor: Actor, user_id: int, new_password: str) -> None:
    """An administrator sets a new password: every session of the account ends (an intruder's
    too), and its failed logins are forgotten (the owner may log in at once)."""
    actor.require(CAN_MANAGE_USERS)
    with uow:
        user = _get(uow, user_id, lock=True)
        errors = FieldErrors()
        _check_password(uow, new_password, errors, "new_password", (user.username, user.full_name))
        errors.raise_if_any()
        user.password_hash = hash_password(new_password)
        sessions.end_sessions(uow, user.id, "password_reset")
        sessions.clear_throttles(uow, user.id)
        uow.commit()


def change_own_password(uow: UnitOfWork, actor: Actor, current: str, new_password: str) -> None:
    assert actor.user_id is not None
    with uow:
        user = _get(uow, actor.user_id, lock=True)
        errors = FieldErrors()
        if not verify_password(user.password_hash, current):
            errors.add("current_password", N_("The current password is wrong."))
        _check_password(uow, new_password, errors, "new_password", (user.username, user.full_name))
        errors.raise_if_any()
        user.password_hash = hash_password(new_password)
        sessions.end_sessions(uow, user.id, "password_changed", keep=actor.session_id)  # the others end
        uow.commit()


def set_language(uow: UnitOfWork, actor: Actor, language: str) -> None:
    assert actor.user_id is not None
    if language not in LANGUAGES:
        raise DomainError(N_("Unknown language."))
    with uow:
        user = _get(uow, actor.user_id, lock=True)
        if user.language != language:
            user.language = language
            uow.commit()


USER_COLUMNS: dict[str, Any] = {
    "id": User.id,
    "username": User.username,
    "full_name": User.full_name,
    "role": User.role,
    "email": User.email,
    "language": User.language,
    "is_active": User.is_active,
    "last_login_at": User.last_login_at,
}


def _user_select(q: ListQuery) -> Select[Any]:
    stmt = select(*[c.label(k) for k, c in USER_COLUMNS.items()])
    if q.search.strip():
        pattern = like_pattern(q.search)
        stmt = stmt.where(
            or_(
                func.lower(User.username).like(pattern),
                func.lower(User.full_name).like(pattern),
                func.lower(func.coalesce(User.email, "")).like(pattern),
            )
        )
    role = q.filter_value("role")
    if role:
        stmt = stmt.where(User.role == role)
    if not q.include_archived:
        stmt = stmt.where(User.is_active)
    return stmt


def list_users(uow: UnitOfWork, actor: Actor, q: ListQuery) -> PageResult:
    actor.require(CAN_MANAGE_USERS)
    with uow:
        return run_page(uow.session, _user_select(q), q, dict(USER_COLUMNS), "username", User.id)


def export_users(uow: UnitOfWork, actor: Actor, q: ListQuery) -> list[dict[str, Any]]:
    actor.require(CAN_MANAGE_USERS)
    with uow:
        result = uow.session.execute(_user_select(q).order_by(User.username))
        return [dict(r._mapping) for r in result]


def get_user(uow: UnitOfWork, actor: Actor, user_id: int) -> dict[str, Any]:
    actor.require(CAN_MANAGE_USERS)
    with uow:
        u = _get(uow, user_id)
        return {
            "id": u.id,
            "username": u.username,
            "full_name": u.full_name,
            "email": u.email or "",
            "role": u.role,
            "language": u.language,
            "is_active": u.is_active,
            "employee_id": u.employee_id,
            "open_sessions": uow.session.scalar(
                select(func.count()).where(UserSession.user_id == u.id, UserSession.ended_at.is_(None))
            ),
            "last_login_at": u.last_login_at,
            "created_at": u.created_at,
            "version": u.version,
        }


def end_user_sessions(uow: UnitOfWork, actor: Actor, user_id: int) -> int:
    """An administrator logs an account out everywhere (a lost phone, a shared screen)."""
    actor.require(CAN_MANAGE_USERS)
    with uow:
        _get(uow, user_id)
        ended = sessions.end_sessions(uow, user_id, "ended_by_admin", keep=actor.session_id)
        uow.commit()
        return ended


def demo_accounts(uow: UnitOfWork, actor: Actor) -> list[str]:
    """Active accounts made by the demo load, which open with a published password."""
    actor.require(CAN_MANAGE_USERS)
    with uow:
        return list(
            uow.session.scalars(select(User.username).where(User.is_demo, User.is_active).order_by(User.username))
        )


def remove_demo_users(uow: UnitOfWork) -> tuple[list[str], list[str]]:
    """Delete the demo accounts (`manage.py demo --remove-users`). One that records point to
    (a plan, a store, a trip) is disabled instead and its password made unusable.
    Returns (deleted, disabled)."""
    deleted: list[str] = []
    disabled: list[str] = []
    with uow:
        for user in uow.session.scalars(select(User).where(User.is_demo).order_by(User.id)).all():
            try:
                with uow.session.begin_nested():
                    uow.session.delete(user)
                    uow.session.flush()
                deleted.append(user.username)
            except IntegrityError:
                user.is_active = False
                user.password_hash = hash_password(secrets.token_urlsafe(32))
                sessions.end_sessions(uow, user.id, "demo_removed")
                disabled.append(user.username)
        uow.commit()
    return deleted, disabled
