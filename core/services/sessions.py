"""Logging in and the life of a session.

Failed logins are throttled per account *from one source* and per source on any account,
never per account alone: a stranger who types wrong passwords for the administrator makes
his own address wait, not the administrator. Every failure, whatever its cause (no such
user, wrong password, a waiting source, a disabled account), costs one password check and
answers with the same words, so neither the message nor the time tells who exists.

A session lives in the database (`user_session`), so every app server sees it end: on
log-out, when its user's password or role changes or the account is disabled, when it has
been idle longer than `auth.session_idle_minutes`, and `auth.session_max_hours` after its
login however busy.

A login hands out a random token (256 bits) and stores only its SHA-256. The browser keeps
the token in a cookie (`ui.session_cookie`) and `resume` finds the session again from it after a
reload, in a new tab or on another app server; a token whose session has ended, or one that
was never handed out, opens nothing. The token is not signed with a server secret: it is
not a claim to check but a random key to look up, so a signature would add a secret every
app server must share and prove nothing the lookup does not (a changed token has no row).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert

from common.actor import Actor
from common.errors import DomainError
from common.i18n import N_
from core.auth_rules import (
    ThrottlePolicy,
    ThrottleState,
    after_failure,
    hash_password,
    is_blocked,
    needs_rehash,
    normalize_username,
    session_end_reason,
    verify_password,
)
from core.services.settings import get_int
from db.audit import log_event
from db.models.auth import LoginThrottle, User, UserSession
from db.session import UnitOfWork

_DUMMY_HASH = hash_password("not-a-real-password")
WRONG = N_("Wrong user name or password.")
SEEN_EVERY = dt.timedelta(minutes=1)  # how often a session's last activity is written
TOKEN_MAX_LENGTH = 128  # a longer cookie value was never ours: refused before any lookup


class LoginFailed(DomainError):
    pass


@dataclass(frozen=True)
class Login:
    """A new session: who logged in, the token the browser keeps to come back to it (never
    stored, never logged: only its hash is in the database) and when the session ends at the
    latest."""

    actor: Actor
    token: str = field(repr=False)
    expires_at: dt.datetime


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _throttles(uow: UnitOfWork, keys: list[str], moment: dt.datetime) -> dict[str, LoginThrottle]:
    """The throttle rows of `keys`, created if new and locked (in key order: no deadlock), so
    parallel guesses at one account are counted one after the other."""
    uow.session.execute(
        insert(LoginThrottle)
        .values([{"key": k, "failures": 0, "last_failure_at": moment} for k in keys])
        .on_conflict_do_nothing(index_elements=["key"])
    )
    rows = uow.session.scalars(
        select(LoginThrottle).where(LoginThrottle.key.in_(keys)).order_by(LoginThrottle.key).with_for_update()
    ).all()
    return {r.key: r for r in rows}


def _state(row: LoginThrottle) -> ThrottleState:
    return ThrottleState(row.failures, row.last_failure_at if row.failures else None, row.blocked_until)


def _count_failure(row: LoginThrottle, moment: dt.datetime, policy: ThrottlePolicy) -> None:
    state = after_failure(_state(row), moment, policy)
    row.failures, row.last_failure_at, row.blocked_until = state.failures, moment, state.blocked_until


def authenticate(
    uow: UnitOfWork, username: str, password: str, source: str = "unknown", now: dt.datetime | None = None
) -> Actor:
    """`log_in` for a caller that keeps no token (the command line, tests)."""
    return log_in(uow, username, password, source, now).actor


def log_in(
    uow: UnitOfWork, username: str, password: str, source: str = "unknown", now: dt.datetime | None = None
) -> Login:
    """Check a login from `source` (the browser's address) and open a session (the login
    form's function)."""
    moment = now or _now()
    name = normalize_username(username)[:60]
    source = (source or "unknown")[:64]
    with uow:
        user = uow.session.scalar(select(User).where(func.lower(User.username) == name))
        account = f"acct:{user.id}" if user is not None else f"name:{name}"
        pair_key, source_key = f"{account}|src:{source}", f"src:{source}"
        rows = _throttles(uow, [pair_key, source_key], moment)
        longest = dt.timedelta(minutes=get_int(uow.session, "auth.lockout_minutes"))
        pair_policy = ThrottlePolicy(limit=get_int(uow.session, "auth.max_failed_logins"), longest=longest)
        source_policy = ThrottlePolicy(limit=get_int(uow.session, "auth.max_failed_per_source"), longest=longest)
        waiting = is_blocked(_state(rows[pair_key]), moment) or is_blocked(_state(rows[source_key]), moment)
        # exactly one password check on every path: the same time whoever asks
        real = user is not None and not waiting
        matches = verify_password(user.password_hash if real and user is not None else _DUMMY_HASH, password)
        user_id = user.id if user is not None else None
        if waiting:
            log_event(uow.session, "login_refused_waiting", "user", user_id, {"username": name, "source": source})
            uow.commit()
            raise LoginFailed(WRONG)
        if user is None or not matches:
            _count_failure(rows[pair_key], moment, pair_policy)
            _count_failure(rows[source_key], moment, source_policy)
            log_event(uow.session, "login_failed", "user", user_id, {"username": name, "source": source})
            uow.commit()
            raise LoginFailed(WRONG)
        if not user.is_active:
            log_event(uow.session, "login_refused_disabled", "user", user.id, {"username": user.username})
            uow.commit()
            raise LoginFailed(WRONG)
        uow.session.delete(rows[pair_key])  # this account from this source starts afresh
        token = secrets.token_urlsafe(32)
        session = UserSession(
            user_id=user.id, token_hash=_token_hash(token), source=source, started_at=moment, last_seen_at=moment
        )
        uow.session.add(session)
        uow.session.flush()
        actor = Actor(user.id, user.username, user.role, user.language, session_id=session.id)
        uow.session.info["actor"] = actor
        user.last_login_at = moment
        if needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        log_event(uow.session, "login", "user", user.id, {"source": source})
        expires_at = moment + _lifetime(uow)
        uow.commit()
        return Login(actor, token, expires_at)


def load_actor(uow: UnitOfWork, actor: Actor, now: dt.datetime | None = None) -> Actor | None:
    """The actor of a logged-in browser session as it is now, or None when its session has
    ended (logged out, password or role changed, account disabled, idle too long, too old)."""
    if actor.user_id is None or actor.session_id is None:
        return None
    with uow:
        row = uow.session.get(UserSession, actor.session_id)
        if row is None or row.user_id != actor.user_id:
            return None
        return _still_open(uow, row, now or _now())


def resume(uow: UnitOfWork, token: str | None, now: dt.datetime | None = None) -> Actor | None:
    """The actor of the session whose token a browser kept (its cookie), or None: no such
    token, or its session has ended (the same rules as `load_actor`). A page load that
    resumes a session is not a new login and writes no log row."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    with uow:
        row = uow.session.scalar(select(UserSession).where(UserSession.token_hash == _token_hash(token)))
        if row is None:
            return None
        return _still_open(uow, row, now or _now())


def _lifetime(uow: UnitOfWork) -> dt.timedelta:
    return dt.timedelta(hours=get_int(uow.session, "auth.session_max_hours"))


def _still_open(uow: UnitOfWork, row: UserSession, moment: dt.datetime) -> Actor | None:
    """The actor of an open session, its last activity noted (once a minute at most); None,
    and the session ended for good, when a rule says it is over."""
    user = uow.session.get(User, row.user_id)
    if row.ended_at is not None or user is None:
        return None
    idle = dt.timedelta(minutes=get_int(uow.session, "auth.session_idle_minutes"))
    reason = session_end_reason(row.started_at, row.last_seen_at, user.is_active, moment, idle, _lifetime(uow))
    if reason is not None:
        row.ended_at, row.end_reason = moment, reason
        uow.commit()
        return None
    if moment - row.last_seen_at >= SEEN_EVERY:
        row.last_seen_at = moment
        uow.commit()
    return Actor(user.id, user.username, user.role, user.language, session_id=row.id)


def end_sessions(uow: UnitOfWork, user_id: int, reason: str, keep: int | None = None) -> int:
    """End the user's open sessions (all but `keep`); joins the caller's unit of work."""
    with uow:
        stmt = (
            update(UserSession)
            .where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
            .values(ended_at=func.now(), end_reason=reason)
        )
        if keep is not None:
            stmt = stmt.where(UserSession.id != keep)
        ended = int(uow.session.execute(stmt).rowcount or 0)  # type: ignore[attr-defined]
        uow.commit()
        return ended


def clear_throttles(uow: UnitOfWork, user_id: int) -> None:
    """Forget the failed logins of an account from every source (an administrator's reset)."""
    with uow:
        uow.session.execute(delete(LoginThrottle).where(LoginThrottle.key.like(f"acct:{user_id}|%")))
        uow.commit()


def log_out(uow: UnitOfWork, actor: Actor) -> None:
    with uow:
        if actor.session_id is not None:
            uow.session.execute(
                update(UserSession)
                .where(UserSession.id == actor.session_id, UserSession.ended_at.is_(None))
                .values(ended_at=func.now(), end_reason="logout")
            )
        log_event(uow.session, "logout", "user", actor.user_id)
        uow.commit()
