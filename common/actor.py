"""Who is acting: passed to every service so it can check rights and sign the log."""

from __future__ import annotations

from dataclasses import dataclass

from common.errors import PermissionDenied
from common.i18n import N_


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    role: str
    lang: str = "en"
    session_id: int | None = None  # the login this actor acts in (None: the system, a test)

    def require(self, roles: frozenset[str]) -> None:
        if self.role not in roles:
            raise PermissionDenied(N_("Your role does not allow this action."))


SYSTEM = Actor(user_id=None, username="system", role="administrator")
