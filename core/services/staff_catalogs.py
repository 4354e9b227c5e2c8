"""Positions and departments: the two catalogs of the staff area, edited by the company (the
Staff catalogs screen), chosen on the personal card, listed by the employees' filters.

An entry is added, renamed (a typo fixed for everyone at once), archived (no longer offered
to new cards; the cards that have it keep it) or merged into another (the duplicate's
employees move to the entry kept, and the duplicate is archived). A name is unique within
its catalog whatever its case.

An import names an entry by text (`entry_for_text`): the same name whatever its case and
spacing finds the entry, an archived one too; a text that finds none is refused, unless the
import itself decides the value (the drivers' import sets position "Driver" and department
"Transport"), which then creates the entry once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from common.actor import Actor
from common.errors import DomainError, FieldErrors, NotFound
from common.i18n import N_
from common.roles import CAN_EDIT_EMPLOYEES, CAN_VIEW_EMPLOYEES
from core.services.versions import check_version
from db.models.hr import STAFF_CATALOGS, Employee, StaffCatalogEntry
from db.session import UnitOfWork

CATALOG_LABELS = {"position": N_("Position"), "department": N_("Department")}
NAME_MAX = 120


def clean_name(text: str) -> str:
    """A typed name as an entry's name: trimmed, each run of spaces made one (the migration
    of the free texts did the same)."""
    return " ".join(text.split())


def _check_kind(kind: str) -> None:
    if kind not in STAFF_CATALOGS:
        raise DomainError(N_("Unknown catalog."))


def list_entries(uow: UnitOfWork, actor: Actor, kind: str, include_archived: bool = False) -> list[dict[str, Any]]:
    """A catalog's entries by name, each with how many employees (not archived) carry it."""
    actor.require(CAN_VIEW_EMPLOYEES)
    _check_kind(kind)
    column = Employee.position_id if kind == "position" else Employee.department_id
    with uow:
        counts = dict(
            uow.session.execute(
                select(column, func.count()).where(column.is_not(None), Employee.archived_at.is_(None)).group_by(column)
            ).all()
        )
        stmt = (
            select(StaffCatalogEntry).where(StaffCatalogEntry.kind == kind).order_by(func.lower(StaffCatalogEntry.name))
        )
        if not include_archived:
            stmt = stmt.where(StaffCatalogEntry.archived_at.is_(None))
        return [
            {
                "id": e.id,
                "name": e.name,
                "archived": e.archived_at is not None,
                "employees": counts.get(e.id, 0),
                "version": e.version,
            }
            for e in uow.session.scalars(stmt)
        ]


def _clash(session: Session, kind: str, name: str, other_than: int | None) -> StaffCatalogEntry | None:
    return session.scalar(
        select(StaffCatalogEntry).where(
            StaffCatalogEntry.kind == kind,
            func.lower(StaffCatalogEntry.name) == name.lower(),
            StaffCatalogEntry.id != (other_than or -1),
        )
    )


def save_entry(
    uow: UnitOfWork,
    actor: Actor,
    kind: str,
    name: str,
    entry_id: int | None = None,
    expected_version: int | None = None,
) -> int:
    """Add an entry, or rename one (`entry_id`, with the version the screen showed:
    RecordChanged if it was saved since). Every card with the entry shows the new name."""
    actor.require(CAN_EDIT_EMPLOYEES)
    _check_kind(kind)
    clean = clean_name(name)
    errors = FieldErrors()
    if not clean:
        errors.add("name", N_("Enter a name."))
    errors.too_long("name", clean, NAME_MAX)
    errors.raise_if_any()
    with uow:
        clash = _clash(uow.session, kind, clean, entry_id)
        if clash is not None:
            message = N_("This name is taken by an archived entry; restore it.") if clash.archived_at else None
            errors.add("name", message or N_("This name is in the list already."))
            errors.raise_if_any()
        if entry_id is None:
            entry = StaffCatalogEntry(kind=kind, name=clean)
            uow.session.add(entry)
        else:
            entry = _entry(uow.session, kind, entry_id, lock=True)
            check_version(uow.session, entry, expected_version)
            entry.name = clean
        uow.session.flush()
        uow.commit()
        return entry.id


def _entry(session: Session, kind: str, entry_id: int, lock: bool = False) -> StaffCatalogEntry:
    entry = session.get(StaffCatalogEntry, entry_id, with_for_update=lock)
    if entry is None or entry.kind != kind:
        raise NotFound(N_("This entry does not exist."))
    return entry


def set_entry_archived(uow: UnitOfWork, actor: Actor, kind: str, entry_id: int, archived: bool) -> None:
    """Archive an entry (no longer offered; the cards that have it keep it) or restore it."""
    actor.require(CAN_EDIT_EMPLOYEES)
    _check_kind(kind)
    with uow:
        entry = _entry(uow.session, kind, entry_id, lock=True)
        if (entry.archived_at is not None) == archived:
            return
        entry.archived_at = dt.datetime.now(dt.UTC) if archived else None
        uow.commit()


def merge_entry(uow: UnitOfWork, actor: Actor, kind: str, entry_id: int, into_id: int) -> int:
    """Merge a duplicate (a typo, another spelling) into the entry kept: its employees, the
    archived ones too, move to `into_id`, and the duplicate is archived. Returns how many
    employees moved."""
    actor.require(CAN_EDIT_EMPLOYEES)
    _check_kind(kind)
    if entry_id == into_id:
        raise DomainError(N_("Choose another entry to merge into."))
    with uow:
        first, second = sorted((entry_id, into_id))  # lock both in one order
        _entry(uow.session, kind, first, lock=True)
        _entry(uow.session, kind, second, lock=True)
        gone, kept = _entry(uow.session, kind, entry_id), _entry(uow.session, kind, into_id)
        if kept.archived_at is not None:
            raise DomainError(N_("Restore {name} before merging into it."), name=kept.name)
        column = Employee.position_id if kind == "position" else Employee.department_id
        moved = uow.session.execute(update(Employee).where(column == gone.id).values({column: kept.id})).rowcount  # type: ignore[attr-defined]
        if gone.archived_at is None:
            gone.archived_at = dt.datetime.now(dt.UTC)
        uow.commit()
        return int(moved or 0)


def entry_names(session: Session, ids: list[int | None]) -> dict[int, str]:
    """The names of these entries (the personal card and lists show them)."""
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    return dict(
        session.execute(
            select(StaffCatalogEntry.id, StaffCatalogEntry.name).where(StaffCatalogEntry.id.in_(wanted))
        ).all()
    )


def check_entry(session: Session, kind: str, entry_id: int | None, current: int | None, errors: FieldErrors) -> None:
    """A card's choice: an entry of this catalog, not archived unless the card has it already."""
    if entry_id is None:
        return
    entry = session.get(StaffCatalogEntry, entry_id)
    if entry is None or entry.kind != kind or (entry.archived_at is not None and entry_id != current):
        errors.add(kind, N_("Choose an entry from the list."))


def entry_for_text(session: Session, kind: str, text: str, create: bool = False) -> int | None:
    """The entry an import's text names (same name whatever its case and spacing, archived
    entries included); None for an empty text. A text that names no entry is created when
    `create` (a value the import itself decides), else None: the caller refuses the row."""
    clean = clean_name(text)
    if not clean:
        return None
    found = _clash(session, kind, clean, None)
    if found is not None:
        return found.id
    if not create or len(clean) > NAME_MAX:
        return None
    try:
        with session.begin_nested():
            entry = StaffCatalogEntry(kind=kind, name=clean)
            session.add(entry)
            session.flush()
    except IntegrityError:  # another import created it a moment ago
        again = _clash(session, kind, clean, None)
        return again.id if again is not None else None
    return entry.id
