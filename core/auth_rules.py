"""Rules of logging in: password hashing, password policy, lockout, the end of a session. No
database here."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from common.i18n import N_

_hasher = PasswordHasher()
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,59}$")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


MAX_PASSWORD_LENGTH = 128


def password_problem(password: str, min_length: int, personal: tuple[str, ...] = ()) -> str | None:
    """Return the message id of what is wrong with a new password, or None. Besides length,
    a password must not be easy to guess: common passwords, keyboard walks, repeats and the
    person's own name are found by zxcvbn (its word lists ship with it, nothing goes out)."""
    if len(password) < min_length:
        return N_("The password must have at least {n} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        return N_("The password must have at most {most} characters.")
    if password.strip() != password:
        return N_("The password must not start or end with a space.")
    if password.isdigit() or password.isalpha():
        return N_("The password must mix letters with digits or signs.")
    words = sorted({w.lower() for p in personal for w in re.split(r"[\s@._-]+", p) if len(w) >= 3})
    rest = password.lower()
    for word in words:  # what is left once the person's own name is taken out must still be strong
        rest = rest.replace(word, "")
    if zxcvbn(password[:100], user_inputs=words)["score"] < 3 or (
        rest != password.lower() and (len(rest) < 6 or zxcvbn(rest[:100])["score"] < 2)
    ):
        return N_("This password is too easy to guess (a common password, a pattern or your name).")
    return None


def normalize_username(raw: str) -> str:
    return raw.strip().lower()


def username_problem(username: str) -> str | None:
    if not username:
        return N_("Enter a user name.")
    if not USERNAME_RE.match(username):
        return N_("Use 3 to 60 letters, digits, dots, dashes or underscores, starting with a letter or digit.")
    return None


@dataclass(frozen=True)
class ThrottlePolicy:
    """How many failures a key may have before it must wait, and how long at most."""

    limit: int
    longest: dt.timedelta
    forget_after: dt.timedelta = dt.timedelta(hours=24)  # a quiet key starts afresh


@dataclass(frozen=True)
class ThrottleState:
    failures: int
    last_failure_at: dt.datetime | None = None
    blocked_until: dt.datetime | None = None


def is_blocked(state: ThrottleState | None, now: dt.datetime) -> bool:
    return state is not None and state.blocked_until is not None and state.blocked_until > now


def after_failure(state: ThrottleState | None, now: dt.datetime, policy: ThrottlePolicy) -> ThrottleState:
    """One more failure. From the limit on, each failure makes the key wait, twice as long
    each time (a minute, two, four ...), never longer than `policy.longest`."""
    fresh = state is None or state.last_failure_at is None or now - state.last_failure_at > policy.forget_after
    count = 1 if fresh or state is None else state.failures + 1
    blocked = None
    if count >= policy.limit:
        wait = dt.timedelta(minutes=2 ** min(count - policy.limit, 20))
        blocked = now + min(wait, policy.longest)
    return ThrottleState(failures=count, last_failure_at=now, blocked_until=blocked)


def session_end_reason(
    started_at: dt.datetime,
    last_seen_at: dt.datetime,
    account_active: bool,
    now: dt.datetime,
    idle: dt.timedelta,
    lifetime: dt.timedelta,
) -> str | None:
    """Why an open session must end at `now`, or None: idle longer than `idle`, older than
    `lifetime` however busy (a remembered login does not live for ever), or its account
    disabled."""
    if now - last_seen_at > idle:
        return "idle"
    if now - started_at > lifetime:
        return "expired"
    return None if account_active else "disabled"
