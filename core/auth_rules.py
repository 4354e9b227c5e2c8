"""Rules of logging in: password hashing, password policy, lockout. No database here."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

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


def password_problem(password: str, min_length: int) -> str | None:
    """Return the message id of what is wrong with a new password, or None."""
    if len(password) < min_length:
        return N_("The password must have at least {n} characters.")
    if password.strip() != password:
        return N_("The password must not start or end with a space.")
    if password.isdigit() or password.isalpha():
        return N_("The password must mix letters with digits or signs.")
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
class LoginPolicy:
    max_failed: int
    lockout: dt.timedelta


@dataclass(frozen=True)
class FailedAttempt:
    failed_logins: int
    locked_until: dt.datetime | None


def is_locked(locked_until: dt.datetime | None, now: dt.datetime) -> bool:
    return locked_until is not None and locked_until > now


def after_failure(failed_logins: int, now: dt.datetime, policy: LoginPolicy) -> FailedAttempt:
    """Count one more failure; the failure that reaches the limit locks the account."""
    count = failed_logins + 1
    if count >= policy.max_failed:
        return FailedAttempt(failed_logins=0, locked_until=now + policy.lockout)
    return FailedAttempt(failed_logins=count, locked_until=None)
