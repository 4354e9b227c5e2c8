"""Couplings: which trailer a tractor or truck pulls, with the history (SPEC F1)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from common.actor import Actor
from common.errors import FieldErrors, NotFound
from common.i18n import N_
from common.roles import CAN_EDIT_FLEET, CAN_VIEW_FLEET
from core.services.fleet.base import load_unit, now
from db.models.fleet import Coupling, Vehicle
from db.session import UnitOfWork


def couple(
    uow: UnitOfWork, actor: Actor, tractor_id: int, trailer_id: int, at: dt.datetime | None = None, note: str = ""
) -> int:
    """Hitch a trailer to a tractor or truck; either one's current coupling ends now."""
    actor.require(CAN_EDIT_FLEET)
    moment = at or now()
    with uow:
        tractor = load_unit(uow, tractor_id, lock=True)
        trailer = load_unit(uow, trailer_id, lock=True)
        errors = FieldErrors()
        if tractor.unit_type not in ("tractor", "truck"):
            errors.add("tractor_id", N_("Only a tractor or a truck pulls a trailer."))
        if trailer.unit_type != "trailer":
            errors.add("trailer_id", N_("Choose a trailer."))
        if tractor.archived_at or trailer.archived_at:
            errors.add("trailer_id", N_("Archived units cannot be coupled."))
        errors.raise_if_any()
        current = uow.session.scalars(
            select(Coupling).where(
                Coupling.uncoupled_at.is_(None),
                (Coupling.tractor_id == tractor_id) | (Coupling.trailer_id == trailer_id),
            )
        ).all()
        for c in current:
            if c.tractor_id == tractor_id and c.trailer_id == trailer_id:
                return c.id
            c.uncoupled_at = max(moment, c.coupled_at)
        uow.session.flush()
        coupling = Coupling(tractor_id=tractor_id, trailer_id=trailer_id, coupled_at=moment, note=note.strip() or None)
        uow.session.add(coupling)
        uow.session.flush()
        uow.commit()
        return coupling.id


def uncouple(uow: UnitOfWork, actor: Actor, coupling_id: int, at: dt.datetime | None = None) -> None:
    actor.require(CAN_EDIT_FLEET)
    with uow:
        c = uow.session.get(Coupling, coupling_id, with_for_update=True)
        if c is None:
            raise NotFound(N_("This coupling does not exist."))
        if c.uncoupled_at is None:
            c.uncoupled_at = max(at or now(), c.coupled_at)
            uow.commit()


def list_couplings(uow: UnitOfWork, actor: Actor, unit_id: int) -> list[dict[str, Any]]:
    actor.require(CAN_VIEW_FLEET)
    tractor = Vehicle.__table__.alias("tractor")
    trailer = Vehicle.__table__.alias("trailer")
    with uow:
        rows = uow.session.execute(
            select(
                Coupling.id,
                Coupling.coupled_at,
                Coupling.uncoupled_at,
                Coupling.note,
                tractor.c.plate.label("tractor"),
                trailer.c.plate.label("trailer"),
                Coupling.tractor_id,
                Coupling.trailer_id,
            )
            .join(tractor, tractor.c.id == Coupling.tractor_id)
            .join(trailer, trailer.c.id == Coupling.trailer_id)
            .where((Coupling.tractor_id == unit_id) | (Coupling.trailer_id == unit_id))
            .order_by(Coupling.coupled_at.desc())
        )
        return [dict(r._mapping) for r in rows]


def current_partner(uow: UnitOfWork, actor: Actor, unit_id: int) -> int | None:
    """The trailer a tractor pulls now (or the tractor pulling a trailer)."""
    actor.require(CAN_VIEW_FLEET)
    with uow:
        c = uow.session.scalar(
            select(Coupling).where(
                Coupling.uncoupled_at.is_(None), (Coupling.tractor_id == unit_id) | (Coupling.trailer_id == unit_id)
            )
        )
        if c is None:
            return None
        return c.trailer_id if c.tractor_id == unit_id else c.tractor_id
