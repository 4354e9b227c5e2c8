"""What a record is called, and which screen's record it belongs to, for the records a page
of the activity log (or a record's history) speaks of.

A log row names its record by type and id (`vehicle` 12) and its changes name others by id
(`responsible_user_id` 3, `item_id` 88). `describe_records` turns every such pair on a page
into a name (a plate, a client's name and code, an invoice number) and the record a screen
opens for it (a client's contact opens the client, an invoice line its invoice, a trailer
the Trailers screen), in one query for the whole page, whatever its length.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Integer,
    Numeric,
    String,
    case,
    cast,
    func,
    literal,
    union_all,
)
from sqlalchemy import select as sql_select
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.sql import ColumnElement, Select

import db.models as m
from common.actor import Actor
from common.roles import may_view_records
from db.base import Audited, Base
from db.session import UnitOfWork

Key = tuple[str, str]  # (record type, id as the log writes it)


@dataclass(frozen=True)
class RecordRef:
    """`name` may be one of our seeded names (a document type, a category: the screen
    translates it); `detail` says whose it is (the plate, the client); `opens` is the record
    a screen shows for it: (type, id), with "trailer" for a vehicle that is one (it is on the
    Trailers screen), and id None for a screen with no record of its own (the settings)."""

    name: str
    detail: str | None
    opens: tuple[str, int | None] | None


@cache
def _models() -> dict[str, type[Any]]:
    """Audited models by record type."""
    return {
        cls.__audit_type__: cls
        for mapper in Base.registry.mappers
        if issubclass(cls := mapper.class_, Audited) and hasattr(cls, "__audit_type__")
    }


@cache
def _by_table() -> dict[str, str]:
    return {cls.__tablename__: kind for kind, cls in _models().items()}


@cache
def column_kinds(record_type: str) -> dict[str, str]:
    """What each column of a record holds, for showing a logged value: `date`, `datetime`,
    `decimal`, `int`, `bool`, `list`, `json`, `text`, or `ref:<record type>` for an id of
    another record."""
    cls = _models().get(record_type)
    if cls is None:
        return {}
    tables = _by_table()
    out: dict[str, str] = {}
    for attr in cls.__mapper__.column_attrs:
        column = attr.columns[0]
        targets = [tables.get(fk.column.table.name) for fk in column.foreign_keys]
        kind_type = column.type
        if targets and targets[0]:
            out[attr.key] = f"ref:{targets[0]}"
        elif isinstance(kind_type, Boolean):
            out[attr.key] = "bool"
        elif isinstance(kind_type, DateTime):
            out[attr.key] = "datetime"
        elif isinstance(kind_type, Date):
            out[attr.key] = "date"
        elif isinstance(kind_type, Numeric):
            out[attr.key] = "decimal"
        elif isinstance(kind_type, (Integer, BigInteger)):
            out[attr.key] = "int"
        elif isinstance(kind_type, ARRAY):
            out[attr.key] = "list"
        elif isinstance(kind_type, JSONB):
            out[attr.key] = "json"
        else:
            out[attr.key] = "text"
    return out


def keys_in(rows: Iterable[dict[str, Any]]) -> set[Key]:
    """Every record a page of log rows names: each row's own, and those its changes point to."""
    keys: set[Key] = set()
    for row in rows:
        kind, rid = row["entity_type"], row.get("entity_id")
        if rid:
            keys.add((kind, str(rid)))
        refs = {f: k[4:] for f, k in column_kinds(kind).items() if k.startswith("ref:")}
        changes = row.get("changes") or {}
        values: list[tuple[str, Any]] = []
        for part in ("after", "before"):
            if isinstance(changes.get(part), dict):
                values += list(changes[part].items())
        for field, diff in changes.items():
            if isinstance(diff, dict) and "before" in diff and "after" in diff:
                values += [(field, diff["before"]), (field, diff["after"])]
        keys |= {(refs[f], str(v)) for f, v in values if f in refs and v not in (None, "")}
    return keys


def _vehicle_kind(unit_type: Any) -> ColumnElement[str]:
    """A vehicle's screen: Trailers for a trailer, Vehicles for the others."""
    return case((unit_type == "trailer", "trailer"), else_="vehicle")


def _row(kind: str, rid: Any, name: Any, detail: Any, opens: Any, opens_id: Any) -> Select[Any]:
    """(type, id, name, detail, opens type, opens id) of records of one type."""
    columns: list[Any] = [
        literal(kind, String),
        cast(rid, String),
        cast(name, String),
        cast(detail, String) if detail is not None else literal(None, String),
        cast(opens, String) if not isinstance(opens, str) else literal(opens, String),
        cast(opens_id, BigInteger) if opens_id is not None else literal(None, BigInteger),
    ]
    return sql_select(*columns)


def _fleet(kind: str, numbers: list[int]) -> Select[Any] | None:
    unit = m.Vehicle
    if kind == "vehicle":
        return _row(kind, unit.id, unit.plate, None, _vehicle_kind(unit.unit_type), unit.id).where(unit.id.in_(numbers))
    if kind == "coupling":
        trailer = m.Vehicle.__table__.alias("trailer_unit")
        coupling = m.Coupling
        return (
            _row(kind, coupling.id, unit.plate + " + " + trailer.c.plate, None, "vehicle", unit.id)
            .join(unit, unit.id == coupling.tractor_id)
            .join(trailer, trailer.c.id == coupling.trailer_id)
            .where(coupling.id.in_(numbers))
        )
    if kind == "document":
        document, doc_type, person = m.Document, m.DocumentType, m.Employee
        owner = case((document.vehicle_id.is_not(None), _vehicle_kind(unit.unit_type)), else_="driver")
        whose = func.coalesce(unit.plate, person.full_name)
        return (
            _row(
                kind, document.id, doc_type.name, whose, owner, func.coalesce(document.vehicle_id, document.employee_id)
            )
            .join(doc_type, doc_type.id == document.type_id)
            .outerjoin(unit, unit.id == document.vehicle_id)
            .outerjoin(person, person.id == document.employee_id)
            .where(document.id.in_(numbers))
        )
    if kind == "maintenance_plan":
        plan = m.MaintenancePlan
        return (
            _row(kind, plan.id, plan.name, unit.plate, _vehicle_kind(unit.unit_type), unit.id)
            .join(unit, unit.id == plan.vehicle_id)
            .where(plan.id.in_(numbers))
        )
    if kind == "repair":
        repair = m.Repair
        return (
            _row(kind, repair.id, repair.work_done, unit.plate, _vehicle_kind(unit.unit_type), unit.id)
            .join(unit, unit.id == repair.vehicle_id)
            .where(repair.id.in_(numbers))
        )
    if kind == "repair_part":
        part, repair = m.RepairPart, m.Repair
        return (
            _row(kind, part.id, part.item_name, unit.plate, _vehicle_kind(unit.unit_type), unit.id)
            .join(repair, repair.id == part.repair_id)
            .join(unit, unit.id == repair.vehicle_id)
            .where(part.id.in_(numbers))
        )
    return None


def _people_and_stock(kind: str, numbers: list[int]) -> Select[Any] | None:
    person, user, item = m.Employee, m.User, m.Item
    if kind == "employee":
        return _row(kind, person.id, person.full_name, person.code, "employee", person.id).where(person.id.in_(numbers))
    if kind == "driver":
        return (
            _row(kind, person.id, person.full_name, person.code, "driver", person.id)
            .join(m.Driver, m.Driver.employee_id == person.id)
            .where(person.id.in_(numbers))
        )
    if kind == "user":
        return _row(kind, user.id, user.full_name, user.username, "user", user.id).where(user.id.in_(numbers))
    if kind == "item":
        return _row(kind, item.id, item.name, item.article, "item", item.id).where(item.id.in_(numbers))
    document, line = m.StockDocument, m.StockDocumentLine
    if kind == "stock_document":
        return _row(kind, document.id, document.number, None, "stock_document", document.id).where(
            document.id.in_(numbers)
        )
    if kind == "stock_document_line":  # an invoice line: its item, on its invoice
        return (
            _row(kind, line.id, item.name, document.number, "stock_document", document.id)
            .join(document, document.id == line.document_id)
            .join(item, item.id == line.item_id)
            .where(line.id.in_(numbers))
        )
    return None


def _clients(kind: str, numbers: list[int]) -> Select[Any] | None:
    client = m.Client
    if kind == "client":
        return _row(kind, client.id, client.name, client.code, "client", client.id).where(client.id.in_(numbers))
    parts: dict[str, tuple[Any, Any, Any]] = {  # a client's record: (model, its name, whose)
        "client_contact": (m.ClientContact, m.ClientContact.name, client.name),
        "client_agreement": (m.ClientAgreement, m.ClientAgreement.number, client.name),
        "interaction": (m.Interaction, m.Interaction.topic, client.name),
        "follow_up": (m.FollowUp, client.name, None),  # its title is a message with parameters
    }
    if kind not in parts:
        return None
    model, name, detail = parts[kind]
    return (
        _row(kind, model.id, name, detail, "client", client.id)
        .join(client, client.id == model.client_id)
        .where(model.id.in_(numbers))
    )


def _others(kind: str, ids: list[str], numbers: list[int]) -> Select[Any] | None:
    if kind == "follow_up_rule":  # named by its kind, a code the screen labels
        rule = m.FollowUpRule
        return _row(kind, rule.id, rule.kind, None, kind, rule.id).where(rule.id.in_(numbers))
    if kind == "attachment":  # opens the record it is attached to
        file = m.Attachment
        return _row(kind, file.id, file.filename, None, file.entity_type, file.entity_id).where(file.id.in_(numbers))
    if kind == "parameter":
        parameter = m.Parameter
        return _row(kind, parameter.key, parameter.description, None, kind, None).where(parameter.key.in_(ids))
    if kind == "email_outbox":
        mail = m.EmailOutbox
        return _row(kind, mail.id, mail.subject, mail.to_address, kind, None).where(mail.id.in_(numbers))
    if kind == "distance":  # named by its two places
        distance, origin = m.Distance, m.Place
        destination = m.Place.__table__.alias("to_place")
        return (
            _row(kind, distance.id, origin.name + " → " + destination.c.name, None, kind, distance.id)
            .join(origin, origin.id == distance.from_place_id)
            .join(destination, destination.c.id == distance.to_place_id)
            .where(distance.id.in_(numbers))
        )
    model: Any = _models().get(kind)
    if model is not None and hasattr(model, "name") and hasattr(model, "id"):  # a catalog: its name says it
        return _row(kind, model.id, model.name, None, kind, model.id).where(model.id.in_(numbers))
    return None


def _query(kind: str, ids: list[str]) -> Select[Any] | None:
    numbers = [int(i) for i in ids if i.isdigit()]
    for build in (_fleet, _people_and_stock, _clients):
        query = build(kind, numbers)
        if query is not None:
            return query
    return _others(kind, ids, numbers)


def describe_records(uow: UnitOfWork, actor: Actor, keys: Iterable[Key]) -> dict[Key, RecordRef]:
    """The name and screen record of each (type, id), in one query; a record the actor may
    not see, or that no longer exists, is left out (the screen shows its id)."""
    by_kind: dict[str, list[str]] = {}
    for kind, rid in keys:
        if may_view_records(actor.role, kind):
            by_kind.setdefault(kind, []).append(rid)
    parts = [q for kind, ids in sorted(by_kind.items()) if (q := _query(kind, sorted(set(ids)))) is not None]
    if not parts:
        return {}
    with uow:
        rows = uow.session.execute(union_all(*parts)).all()
    out: dict[Key, RecordRef] = {}
    for kind, rid, name, detail, opens_kind, opens_id in rows:
        opens = (str(opens_kind), None if opens_id is None else int(opens_id)) if opens_kind else None
        out[(str(kind), str(rid))] = RecordRef(str(name or ""), detail, opens)
    return out


def parse_logged(kind: str, value: Any) -> Any:
    """A value as the log keeps it (JSON: ISO dates, decimals as text) back as its type."""
    try:
        if kind == "date" and isinstance(value, str):
            return dt.date.fromisoformat(value[:10])
        if kind == "datetime" and isinstance(value, str):
            return dt.datetime.fromisoformat(value)
        if kind == "decimal" and isinstance(value, (str, int, float)):
            return Decimal(str(value))
    except (ValueError, InvalidOperation):
        return value
    return value
