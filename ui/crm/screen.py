"""Who looks at a client's file, and the prefix of the page's session keys."""

from __future__ import annotations

from dataclasses import dataclass

from common.actor import Actor
from common.roles import CAN_EDIT_CRM


@dataclass(frozen=True)
class ClientScreen:
    actor: Actor
    key: str  # the page's session-key prefix ("clients")

    @property
    def can_edit(self) -> bool:
        return self.actor.role in CAN_EDIT_CRM
