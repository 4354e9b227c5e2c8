"""Import of places and of the company's distance table from CSV or Excel (per-row report).

Every valid row is saved in its own savepoint of one transaction; every refused row is
listed with its reasons and nothing of it is saved. Places are named in a distance file as
they are on the Places screen ("Huye"), with the country when two countries have a place of
that name ("Rusumo, TZ" or "Rusumo (TZ)"). A pair already in the table is a likely
duplicate: skipped, or its km and hours replaced when the person chose to import such rows.
A place whose name is already in its country is refused (names are unique per country).
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from common.actor import Actor
from common.errors import FieldErrors
from common.i18n import N_
from common.roles import CAN_EDIT_PLACES
from core.imports import SAME_NAME, Duplicate, Fields, ImportReport
from core.places import COUNTRY_LABELS, ISO_COUNTRIES, KIND_LABELS, PLACE_KINDS, TABLE
from core.services.transport.distances import DistanceInput, save_row, validate_distance
from core.services.transport.places import PlaceInput, check_place_unique, place_label, validate_place
from db.models.crm import Client
from db.models.transport import Distance, Place
from db.session import UnitOfWork

SAME_ROUTE = N_("same route")

DISTANCE_FIELDS = Fields(
    known=("from", "to", "km", "hours"),
    synonyms={
        "from_place": "from",
        "origin": "from",
        "start": "from",
        "departure": "from",
        "to_place": "to",
        "destination": "to",
        "dest": "to",
        "end": "to",
        "arrival": "to",
        "distance": "km",
        "distance_km": "km",
        "road_km": "km",
        "kilometres": "km",
        "kilometers": "km",
        "time": "hours",
        "duration": "hours",
        "driving_hours": "hours",
        "typical_hours": "hours",
    },
)
PLACE_FIELDS = Fields(
    known=("name", "kind", "country", "region", "latitude", "longitude", "client_code", "notes"),
    synonyms={
        "place": "name",
        "place_name": "name",
        "town": "name",
        "type": "kind",
        "place_type": "kind",
        "country_code": "country",
        "province": "region",
        "district": "region",
        "lat": "latitude",
        "lon": "longitude",
        "lng": "longitude",
        "long": "longitude",
        "client": "client_code",
        "client_number": "client_code",
        "comment": "notes",
        "remarks": "notes",
    },
)

_WITH_COUNTRY = re.compile(r"^(.*?)\s*(?:,\s*|\()\s*([A-Za-z]{2})\s*\)?$")


class PlaceNames:
    """The places in use by name (and by name with the country), as a file writes them."""

    def __init__(self, session: Session) -> None:
        self.by_name: dict[str, list[tuple[int, str, str]]] = {}
        rows = session.execute(select(Place.id, Place.name, Place.country).where(Place.archived_at.is_(None)))
        for r in rows:
            self.by_name.setdefault(" ".join(r.name.lower().split()), []).append((r.id, r.name, r.country))

    def find(self, raw: str, field: str, errors: FieldErrors) -> int | None:
        text = " ".join(raw.split())
        if not text:
            errors.add(field, N_("Enter the place's name."))
            return None
        hits = self.by_name.get(text.lower(), [])
        if not hits and (m := _WITH_COUNTRY.match(text)):
            hits = [h for h in self.by_name.get(m[1].lower(), []) if h[2] == m[2].upper()]
        if len(hits) == 1:
            return hits[0][0]
        if hits:
            errors.add(
                field,
                N_("Several places are named {name}; write it with its country, such as {example}."),
                name=text,
                example=f"{hits[0][1]}, {hits[0][2]}",
            )
        else:
            errors.add(field, N_("No place is named {name}; add it on the Places screen first."), name=text)
        return None


def import_distances(
    uow: UnitOfWork, actor: Actor, rows: list[dict[str, str]], duplicates: str = "skip", dry_run: bool = False
) -> ImportReport:
    """Columns: DISTANCE_FIELDS.known (hours may be empty). `duplicates`: "skip" (the
    default) or "import" the km and hours of a pair already in the table over it."""
    actor.require(CAN_EDIT_PLACES)
    report = ImportReport(dry_run=dry_run)
    with uow:
        session = uow.session
        names = PlaceNames(session)
        seen: dict[tuple[int, int], int] = {}
        for number, row in enumerate(rows, start=2):
            errors = FieldErrors()
            origin = names.find(row.get("from", ""), "from", errors)
            destination = names.find(row.get("to", ""), "to", errors)
            checked, values = validate_distance(
                DistanceInput(origin or -1, destination or -2, row.get("km", ""), row.get("hours", ""))
            )
            for f, (msg, params) in checked.errors.items():
                errors.add("to" if f == "to_place_id" else f, msg, **params)
            pair = (origin, destination)
            if origin is not None and destination is not None and origin != destination:
                if pair in seen:
                    errors.add("to", N_("The same route is on row {n} of this file."), n=seen[pair])
                    report.clash(Duplicate(number, [SAME_ROUTE], of_row=seen[pair]))
                seen.setdefault((origin, destination), number)
            if errors:
                report.refuse(number, errors.errors)
                continue
            saved = session.scalar(
                select(Distance).where(
                    Distance.from_place_id == origin, Distance.to_place_id == destination, Distance.source == TABLE
                )
            )
            if saved is not None:
                record = f"{row.get('from', '').strip()} → {row.get('to', '').strip()}: {saved.km} km"
                if report.duplicate(Duplicate(number, [SAME_ROUTE], record=record), duplicates):
                    continue
            with session.begin_nested():
                save_row(session, {**values, "from_place_id": origin, "to_place_id": destination})
            report.imported += 1
        if not dry_run:
            uow.commit()
    return report


def _kind(raw: str) -> str:
    text = "_".join(raw.strip().lower().replace("-", " ").split())
    labels = {"_".join(label.lower().split()): kind for kind, label in KIND_LABELS.items()}
    return text if text in PLACE_KINDS else labels.get(text, text or "town")


def _country(raw: str) -> str:
    text = raw.strip()
    names = {name.lower(): code for code, name in ISO_COUNTRIES.items()}
    names.update({label.lower(): code for code, label in COUNTRY_LABELS.items()})
    return names.get(text.lower(), text)


def import_places(
    uow: UnitOfWork, actor: Actor, rows: list[dict[str, str]], duplicates: str = "skip", dry_run: bool = False
) -> ImportReport:
    """Columns: PLACE_FIELDS.known; a client site names its client by the client's code. (A
    place met before is refused whatever `duplicates` says: names are unique per country.)"""
    actor.require(CAN_EDIT_PLACES)
    report = ImportReport(dry_run=dry_run)
    with uow:
        session = uow.session
        seen: dict[tuple[str, str], int] = {}
        for number, row in enumerate(rows, start=2):
            client_id = None
            code = row.get("client_code", "").strip().upper()
            if code:
                client_id = session.scalar(
                    select(Client.id).where(func.upper(Client.code) == code, Client.merged_into_id.is_(None))
                )
            data = PlaceInput(
                name=row.get("name", ""),
                kind=_kind(row.get("kind", "")),
                country=_country(row.get("country", "")),
                latitude=row.get("latitude", ""),
                longitude=row.get("longitude", ""),
                region=row.get("region", ""),
                client_id=client_id,
                notes=row.get("notes", ""),
            )
            errors, values = validate_place(data)
            if code and client_id is None:
                errors.add("client_code", N_("No client has the code {code}."), code=code)
            if "name" in values and "country" in values:
                key = (values["name"].lower(), values["country"])
                if key in seen:
                    errors.add("name", N_("The same place is on row {n} of this file."), n=seen[key])
                    report.clash(Duplicate(number, [SAME_NAME], of_row=seen[key]))
                seen.setdefault(key, number)
                saved = FieldErrors()
                check_place_unique(uow, {**values, "client_id": None}, saved, None)
                if "name" in saved.errors and "name" not in errors.errors:
                    report.clash(Duplicate(number, [SAME_NAME], record=place_label(values["name"], values["country"])))
                for f, (msg, params) in saved.errors.items():
                    errors.add(f, msg, **params)
            if errors:
                report.refuse(number, errors.errors)
                continue
            with session.begin_nested():
                session.add(Place(**values))
                session.flush()
            report.imported += 1
        if not dry_run:
            uow.commit()
    return report


def template_csv(kind: str) -> bytes:
    """An empty file with the expected columns and one example row."""
    if kind == "places":
        example: dict[str, Any] = dict(
            name="Rubavu client warehouse",
            kind="client_site",
            country="RW",
            region="Western Province",
            latitude="-1.6920",
            longitude="29.2480",
            client_code="",
            notes="Gate 2 for trucks",
        )
        columns = list(PLACE_FIELDS.known)
    else:
        example = dict(to="Huye", km="135", hours="3.25")
        example["from"] = "Kigali"
        columns = list(DISTANCE_FIELDS.known)
    return pd.DataFrame([example], columns=columns).to_csv(index=False).encode("utf-8")
