"""The activity log's rows as a reader reads them, and the History tab: a record's entries.

A row's changes are shown by the fields' labels, with the values formatted for the reader
(dates, amounts, yes/no, coded values through `ui.labels.label`) and an id of another
record shown as that record's name, looked up for the whole page at once
(`core.services.activity.log_references`). Nothing of the log's own keys reaches the screen.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from common.i18n import N_
from common.records import HIDDEN_FIELDS, RECORD_LABELS
from core.services.activity import history, log_references
from core.services.records import Key, RecordRef, column_kinds, parse_logged
from ui.context import current_actor, t, t_plain, uow
from ui.formatting import show
from ui.grid import Column, table
from ui.labels import field_label, label, value_kind

Refs = Mapping[Key, RecordRef]
EMPTY = "—"
SECRET, SECRET_CHANGED = "***", "*** (changed)"  # what db.audit writes for a value never logged
NAME_KINDS = {"follow_up_rule": "follow_up_rule"}  # a record named by a code, not by a name
RAW_NUMBERS = frozenset({"year"})  # whole numbers shown without a thousands separator


def record_text(refs: Refs, kind: str, record_id: object) -> str:
    """A record as the reader knows it: its name, and whose it is ("Diesel (FUEL-DSL)")."""
    if record_id in (None, ""):
        return ""
    ref = refs.get((kind, str(record_id)))
    name = label(NAME_KINDS.get(kind, "name"), ref.name) if ref is not None else ""
    if not name:
        return f"#{record_id}"
    return f"{name} ({ref.detail})" if ref is not None and ref.detail else name


def _key_text(key: str) -> str:
    """A key of a logged mapping: a record type (what a merge moved) or a field."""
    return label("record", key) if key in RECORD_LABELS else field_label("", key)


def value_text(kind: str, field: str, value: Any, refs: Refs) -> str:
    """One logged value of a record's field, as the reader reads it."""
    if value is None or value == "" or value == []:
        return EMPTY
    column = column_kinds(kind).get(field, "")
    if column.startswith("ref:"):
        return record_text(refs, column[4:], value)
    codes = value_kind(kind, field)
    if codes is not None:
        values = value if isinstance(value, list) else [value]
        return ", ".join(label(codes, str(v)) for v in values)
    if isinstance(value, bool) or column == "bool":
        return show(bool(value), "bool")
    if isinstance(value, dict):
        if column == "json" and any(isinstance(v, (list, dict)) for v in value.values()):
            return t_plain("changed")  # rules kept as data (a segment's): the record's screen shows them
        return "; ".join(f"{_key_text(k)}: {_plain(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if column in ("date", "datetime", "decimal"):
        return show(parse_logged(column, value))
    if column == "int" and field not in RAW_NUMBERS and isinstance(value, int):
        return show(value, "number")
    return str(value)


def _plain(value: Any) -> str:
    if isinstance(value, list):
        return show(len(value), "number")  # what a merge moved: how many
    return EMPTY if value in (None, "") else str(value)


def describe_changes(kind: str, action: str, changes: dict[str, Any], refs: Refs) -> str:
    """A log row's changes: "Field: value" for a new or deleted record, "Field: before → after"
    for a change, the details of an event (a login's source, what a merge moved)."""
    if action in ("create", "delete") and isinstance(changes.get("after" if action == "create" else "before"), dict):
        values = changes["after" if action == "create" else "before"]
        return "; ".join(
            f"{field_label(kind, f)}: {value_text(kind, f, v, refs)}"
            for f, v in values.items()
            if f not in HIDDEN_FIELDS and v not in (None, "", [])
        )
    parts = []
    for field, diff in changes.items():
        if field in HIDDEN_FIELDS:
            continue
        name = field_label(kind, field)
        if isinstance(diff, dict) and set(diff) == {"before", "after"}:
            if diff["after"] == SECRET_CHANGED:
                parts.append(f"{name}: {t_plain('changed')}")
                continue
            before, after = (value_text(kind, field, diff[k], refs) for k in ("before", "after"))
            parts.append(f"{name}: {before} → {after}")
        else:
            parts.append(f"{name}: {value_text(kind, field, diff, refs)}")
    return "; ".join(parts)


def log_row(r: dict[str, Any], refs: Refs) -> dict[str, str]:
    """The cells of one log row, by column code."""
    kind = r["entity_type"]
    return {
        "at": show(r["at"]),
        "who": label("author", r["username"]),
        "action": label("action", r["action"]),
        "kind": label("record", kind),
        "record": record_text(refs, kind, r["entity_id"]),
        "changes": describe_changes(kind, r["action"], r["changes"] or {}, refs),
    }


def row_link(r: dict[str, Any], refs: Refs) -> tuple[str, int | None] | None:
    """The record a screen opens for a log row (a child's parent: a line's invoice)."""
    ref = refs.get((r["entity_type"], str(r["entity_id"])))
    return ref.opens if ref is not None else None


def history_tab(entity_type: str | tuple[str, ...], entity_id: object) -> None:
    actor = current_actor()
    assert actor is not None
    rows = history(uow(), actor, entity_type, entity_id)
    if not rows:
        st.caption(t("No history yet."))
        return
    refs = log_references(uow(), actor, rows)
    cells = [log_row(r, refs) for r in rows]
    columns = [
        Column("at", N_("When")),
        Column("who", N_("Who")),
        Column("action", N_("Action")),
        *([Column("kind", N_("Record type"))] if not isinstance(entity_type, str) else []),
        Column("changes", N_("Changes"), wide=True),
    ]
    table(cells, columns, key=f"history_{entity_type}_{entity_id}")
