"""No text longer than its column reaches the database: a flush that would write one is
refused with the field's name and its limit, like any other field error, before any SQL
runs (so no database error, with its parameters, ever reaches a log)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, event, inspect
from sqlalchemy.orm import Session

from common.errors import FieldErrors
from common.i18n import N_

_LIMITS: dict[Any, list[tuple[str, int]]] = {}


def _limits(mapper: Any) -> list[tuple[str, int]]:
    cached = _LIMITS.get(mapper)
    if cached is None:
        cached = [
            (attr.key, attr.columns[0].type.length)
            for attr in mapper.column_attrs
            if len(attr.columns) == 1
            and isinstance(attr.columns[0].type, String)
            and attr.columns[0].type.length is not None
        ]
        _LIMITS[mapper] = cached
    return cached


@event.listens_for(Session, "before_flush")
def _check_lengths(session: Session, flush_context: Any, instances: Any) -> None:
    errors = FieldErrors()
    for obj in [*session.new, *session.dirty]:
        for key, most in _limits(inspect(obj).mapper):
            value = obj.__dict__.get(key)
            if isinstance(value, str) and len(value) > most:
                errors.add(key, N_("Too long (at most {n} characters)."), n=most)
    errors.raise_if_any()
