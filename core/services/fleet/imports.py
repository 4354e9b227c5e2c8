"""Import of vehicles, trailers and drivers from CSV or Excel.

Every valid row is imported, every invalid row is listed with its reasons, and no row is
ever half-imported: each row is saved in a savepoint of one transaction. A plate, VIN or
licence number met before (an earlier row, a saved record) is listed among the likely
duplicates and refused (the database holds them unique); a driver whose phone is on an
earlier row is skipped unless the person chose to import such rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pandas as pd
from sqlalchemy import func, select, text

from common.actor import Actor
from common.errors import FieldErrors
from common.i18n import N_
from common.roles import CAN_EDIT_FLEET
from core.fleet import plate_key
from core.imports import SAME_LICENCE, SAME_PHONE, SAME_PLATE, SAME_VIN, Duplicate, Fields, ImportReport, InFile
from core.services.employees import EmployeeInput, validate_employee
from core.services.fleet.base import now
from core.services.fleet.drivers import DriverInput, validate_driver
from core.services.fleet.units import UnitInput, check_unit_unique, validate_unit
from core.services.settings import company_today
from core.services.staff_catalogs import entry_for_text
from db.models.fleet import Driver, OdometerReading, Vehicle, VehicleCategory
from db.models.hr import Employee
from db.session import UnitOfWork

UNIT_COLUMNS = [
    "unit_type",
    "plate",
    "vin",
    "make",
    "model",
    "year",
    "category",
    "body_type",
    "fuel_type",
    "required_licence",
    "fuel_norm_l_100km",
    "payload_kg",
    "volume_m3",
    "pallets",
    "axles",
    "status",
    "odometer_km",
    "purchase_date",
    "purchase_price",
    "notes",
]
UNIT_SYNONYMS = {
    "type": "unit_type",
    "vehicle_type": "unit_type",
    "plate_number": "plate",
    "plate_no": "plate",
    "registration": "plate",
    "registration_number": "plate",
    "reg_no": "plate",
    "number_plate": "plate",
    "chassis": "vin",
    "chassis_number": "vin",
    "vin_number": "vin",
    "brand": "make",
    "manufacturer": "make",
    "year_of_manufacture": "year",
    "fuel": "fuel_type",
    "licence": "required_licence",
    "fuel_norm": "fuel_norm_l_100km",
    "consumption": "fuel_norm_l_100km",
    "payload": "payload_kg",
    "capacity_kg": "payload_kg",
    "volume": "volume_m3",
    "odometer": "odometer_km",
    "mileage": "odometer_km",
    "km": "odometer_km",
    "purchased_on": "purchase_date",
    "price": "purchase_price",
    "comment": "notes",
    "comments": "notes",
    "remarks": "notes",
}
DRIVER_COLUMNS = [
    "full_name",
    "phone",
    "email",
    "licence_number",
    "licence_categories",
    "licence_valid_to",
    "experience_since",
    "medical_status",
    "hire_date",
]
DRIVER_SYNONYMS = {
    "name": "full_name",
    "driver": "full_name",
    "driver_name": "full_name",
    "names": "full_name",
    "mobile": "phone",
    "tel": "phone",
    "telephone": "phone",
    "phone_number": "phone",
    "e-mail": "email",
    "mail": "email",
    "licence": "licence_number",
    "license": "licence_number",
    "license_number": "licence_number",
    "licence_no": "licence_number",
    "permit": "licence_number",
    "categories": "licence_categories",
    "license_categories": "licence_categories",
    "licence_expiry": "licence_valid_to",
    "license_expiry": "licence_valid_to",
    "valid_to": "licence_valid_to",
    "driving_since": "experience_since",
    "medical": "medical_status",
    "hired_on": "hire_date",
    "start_date": "hire_date",
}
UNIT_FIELDS = Fields(tuple(UNIT_COLUMNS), UNIT_SYNONYMS)
DRIVER_FIELDS = Fields(tuple(DRIVER_COLUMNS), DRIVER_SYNONYMS)


def _date(raw: str, errors: FieldErrors, field_name: str) -> dt.date | None:
    if not raw:
        return None
    parsers: list[Callable[[str], dt.date]] = [
        dt.date.fromisoformat,
        lambda s: dt.datetime.strptime(s, "%d/%m/%Y").date(),
        lambda s: dt.datetime.fromisoformat(s).date(),
    ]
    for parse in parsers:
        try:
            return parse(raw)
        except ValueError:
            continue
    errors.add(field_name, N_("Write dates as 2026-12-31 or 31/12/2026."))
    return None


def import_units(
    uow: UnitOfWork,
    actor: Actor,
    kind: str,
    rows: list[dict[str, str]],
    today: dt.date | None = None,
    duplicates: str = "skip",
    dry_run: bool = False,
) -> ImportReport:
    """Columns: UNIT_FIELDS.known. `dry_run`: check everything, save nothing. (A unit met
    before is refused whatever `duplicates` says: plates and VINs are unique.)"""
    actor.require(CAN_EDIT_FLEET)
    report = ImportReport(dry_run=dry_run)
    with uow:
        session = uow.session
        day = today or company_today(session)
        cat_kind = "trailer" if kind == "trailer" else "vehicle"
        categories = {
            name.lower(): cid
            for cid, name in session.execute(
                select(VehicleCategory.id, VehicleCategory.name).where(
                    VehicleCategory.kind == cat_kind, VehicleCategory.archived_at.is_(None)
                )
            )
        }
        seen_plates: dict[str, int] = {}
        seen_vins: dict[str, int] = {}
        for number, row in enumerate(rows, start=2):
            errors = FieldErrors()
            unit_type = (row.get("unit_type") or ("trailer" if kind == "trailer" else "")).lower()
            if kind == "trailer" and unit_type != "trailer":
                errors.add("unit_type", N_("Only trailers can be imported here."))
            if kind != "trailer" and unit_type not in ("tractor", "truck", "van"):
                errors.add("unit_type", N_("The type must be tractor, truck or van."))
            category_id = None
            if row.get("category"):
                category_id = categories.get(row["category"].lower())
                if category_id is None:
                    errors.add("category", N_("Unknown category {name}."), name=row["category"])
            purchase_date = _date(row.get("purchase_date", ""), errors, "purchase_date")
            data = UnitInput(
                unit_type=unit_type or "truck",
                plate=row.get("plate", ""),
                vin=row.get("vin", ""),
                make=row.get("make", ""),
                model=row.get("model", ""),
                year=row.get("year") or None,
                category_id=category_id,
                body_type=row.get("body_type", ""),
                fuel_type=(row.get("fuel_type") or "diesel").lower(),
                required_licence=row.get("required_licence", ""),
                fuel_norm_l_100km=row.get("fuel_norm_l_100km", ""),
                payload_kg=row.get("payload_kg") or None,
                volume_m3=row.get("volume_m3", ""),
                pallets=row.get("pallets") or None,
                axles=row.get("axles") or None,
                status=(row.get("status") or "active").lower(),
                purchase_date=purchase_date,
                purchase_price=row.get("purchase_price", ""),
                notes=row.get("notes", ""),
            )
            row_errors, values = validate_unit(data, day)
            for f, (msg, params) in row_errors.errors.items():
                errors.add(f, msg, **params)
            km = None
            if row.get("odometer_km"):
                raw_km = row["odometer_km"].replace(",", "").split(".")[0]
                if raw_km.isdigit():
                    km = int(raw_km)
                else:
                    errors.add("odometer_km", N_("Enter a whole number."))
            if "plate" in values:
                key = plate_key(values["plate"])
                if key in seen_plates:
                    errors.add("plate", N_("The same plate is on row {n} of this file."), n=seen_plates[key])
                    report.clash(Duplicate(number, [SAME_PLATE], of_row=seen_plates[key]))
                seen_plates.setdefault(key, number)
                vin = values.get("vin")
                if vin and vin in seen_vins:
                    errors.add("vin", N_("The same VIN is on row {n} of this file."), n=seen_vins[vin])
                    report.clash(Duplicate(number, [SAME_VIN], of_row=seen_vins[vin]))
                if vin:
                    seen_vins.setdefault(vin, number)
                saved = FieldErrors()
                check_unit_unique(uow, values, saved, None)
                for f, reason in (("plate", SAME_PLATE), ("vin", SAME_VIN)):
                    if f in saved.errors and f not in errors.errors:
                        report.clash(Duplicate(number, [reason], record=str(saved.errors[f][1].get("plate", ""))))
                for f, (msg, params) in saved.errors.items():
                    errors.add(f, msg, **params)
            if errors:
                report.refuse(number, errors.errors)
                continue
            with session.begin_nested():
                unit = Vehicle(**values, odometer_km=km or 0)
                session.add(unit)
                session.flush()
                if km:
                    session.add(
                        OdometerReading(
                            vehicle_id=unit.id,
                            read_at=now(),
                            km=km,
                            source="import",
                            created_by=actor.user_id,
                        )
                    )
            report.imported += 1
        if not dry_run:
            uow.commit()
    return report


def import_drivers(
    uow: UnitOfWork,
    actor: Actor,
    rows: list[dict[str, str]],
    today: dt.date | None = None,
    duplicates: str = "skip",
    dry_run: bool = False,
) -> ImportReport:
    """Each row is a new employee with a driver card (columns: DRIVER_FIELDS.known).

    `duplicates`: "skip" (the default) or "import" a driver whose phone is on an earlier
    row; `dry_run`: check everything, save nothing."""
    actor.require(CAN_EDIT_FLEET)
    report = ImportReport(dry_run=dry_run)
    with uow:
        session = uow.session
        day = today or company_today(session)
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext('twara-employee-code'))"))
        # every row is a driver of the transport department: the import names these entries of
        # the staff catalogs itself, so it creates them when the company has none of the name
        position_id = entry_for_text(session, "position", "Driver", create=True)
        department_id = entry_for_text(session, "department", "Transport", create=True)
        seen: dict[str, int] = {}
        in_file = InFile()
        for number, row in enumerate(rows, start=2):
            errors = FieldErrors()
            hire = _date(row.get("hire_date", ""), errors, "hire_date")
            emp_errors, emp_values = validate_employee(
                EmployeeInput(
                    full_name=row.get("full_name", ""),
                    position_id=position_id,
                    department_id=department_id,
                    phone=row.get("phone", ""),
                    email=row.get("email", ""),
                    hire_date=hire,
                ),
                day,
            )
            valid_to = _date(row.get("licence_valid_to", ""), errors, "licence_valid_to")
            since = _date(row.get("experience_since", ""), errors, "experience_since")
            drv_errors, drv_values = validate_driver(
                DriverInput(
                    licence_number=row.get("licence_number", ""),
                    licence_categories=row.get("licence_categories", ""),
                    licence_valid_to=valid_to,
                    experience_since=since,
                    medical_status=(row.get("medical_status") or "unknown").lower(),
                ),
                day,
            )
            for source in (emp_errors, drv_errors):
                for f, (msg, params) in source.errors.items():
                    errors.add(f, msg, **params)
            number_key = drv_values.get("licence_number", "")
            if number_key:
                if number_key in seen:
                    errors.add("licence_number", N_("The same licence is on row {n} of this file."), n=seen[number_key])
                    report.clash(Duplicate(number, [SAME_LICENCE], of_row=seen[number_key]))
                seen.setdefault(number_key, number)
                clash = session.scalar(
                    select(Employee.full_name)
                    .join(Driver, Driver.employee_id == Employee.id)
                    .where(func.upper(Driver.licence_number) == number_key)
                )
                if clash:
                    errors.add("licence_number", N_("This licence number belongs to {name}."), name=clash)
                    report.clash(Duplicate(number, [SAME_LICENCE], record=clash))
            if errors:
                report.refuse(number, errors.errors)
                continue
            keys = {SAME_PHONE: emp_values.get("phone")}
            found = in_file.check(number, keys)
            if found is not None and report.duplicate(found, duplicates):
                continue
            in_file.add(number, keys)
            with session.begin_nested():
                last = session.scalar(select(func.max(Employee.id))) or 0
                employee = Employee(code=f"E{last + 1:06d}", **emp_values)
                session.add(employee)
                session.flush()
                session.add(Driver(employee_id=employee.id, **drv_values))
                session.flush()
            report.imported += 1
        if not dry_run:
            uow.commit()
    return report


def template_csv(kind: str) -> bytes:
    """An empty file with the expected columns and one example row."""
    if kind == "driver":
        example: dict[str, Any] = dict(
            full_name="Eric Habimana",
            phone="0788123456",
            email="",
            licence_number="RW1234567",
            licence_categories="B, C, CE",
            licence_valid_to="2028-06-30",
            experience_since="2015-01-01",
            medical_status="fit",
            hire_date="2020-03-01",
        )
        columns = DRIVER_COLUMNS
    else:
        example = dict(
            unit_type="trailer" if kind == "trailer" else "tractor",
            plate="RAB 123 A",
            vin="YV2RT40A8KA123456",
            make="Volvo",
            model="FH 460",
            year="2019",
            category="",
            body_type="",
            fuel_type="none" if kind == "trailer" else "diesel",
            required_licence="",
            fuel_norm_l_100km="" if kind == "trailer" else "33",
            payload_kg="28000",
            volume_m3="",
            pallets="",
            axles="3",
            status="active",
            odometer_km="",
            purchase_date="2019-05-10",
            purchase_price="",
            notes="",
        )
        columns = UNIT_COLUMNS
    return pd.DataFrame([example], columns=columns).to_csv(index=False).encode("utf-8")
