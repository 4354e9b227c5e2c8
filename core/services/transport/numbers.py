"""Gapless numbers of transport records per kind and year: orders, trips, waybills,
consignment notes, delivery notes, quotes.

`next_number` raises the counter row with one `INSERT ... ON CONFLICT DO UPDATE ...
RETURNING` inside the caller's transaction. The row stays locked until that transaction
ends, so two app servers numbering at once queue on it, and a transaction that rolls back
gives its number back: the numbers of a year have no gaps.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

PREFIXES = {
    "order": "ORD",
    "trip": "TRP",
    "waybill": "WB",
    "cmr": "CMR",
    "delivery_note": "DN",
    "quote": "QT",
}


def next_number(session: Session, kind: str, year: int) -> int:
    """The next number of `kind` in `year` (1 for the first), taken in the caller's transaction."""
    if kind not in PREFIXES:
        raise ValueError(f"no numbering for {kind!r}")
    return int(
        session.execute(
            text(
                "INSERT INTO transport_counter (kind, year, last_number) VALUES (:kind, :year, 1)"
                " ON CONFLICT (kind, year) DO UPDATE SET last_number = transport_counter.last_number + 1"
                " RETURNING last_number"
            ),
            {"kind": kind, "year": year},
        ).scalar_one()
    )


def label(kind: str, year: int, number: int) -> str:
    """The number as printed: ORD-2026-00042."""
    return f"{PREFIXES[kind]}-{year}-{number:05d}"


def next_label(session: Session, kind: str, year: int) -> tuple[int, str]:
    number = next_number(session, kind, year)
    return number, label(kind, year, number)
