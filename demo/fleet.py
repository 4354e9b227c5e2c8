"""Demo fleet: a believable Rwandan haulier (small), or volume for benchmarks (large)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from faker import Faker
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from db.models.fleet import (
    Coupling,
    Document,
    DocumentType,
    Driver,
    MaintenancePlan,
    OdometerReading,
    Vehicle,
    VehicleCategory,
)
from db.models.hr import Employee, StaffCatalogEntry

TRACTORS = [
    ("Volvo", "FH 460", "33"),
    ("Scania", "R 450", "32"),
    ("Mercedes-Benz", "Actros 1845", "33"),
    ("MAN", "TGX 18.440", "34"),
    ("Renault", "T 480", "33"),
    ("DAF", "XF 480", "32"),
]
TRUCKS = [("Isuzu", "FVZ 34", "28"), ("Mitsubishi Fuso", "FJ 2528", "27"), ("Hino", "500 FM", "27")]
VANS = [("Toyota", "Hiace", "11"), ("Nissan", "NV350", "10"), ("Isuzu", "NPR", "14")]
TRAILERS = [
    ("Schmitz", "Cargobull S.CS", "Curtainsider", 28000),
    ("Krone", "Profi Liner", "Curtainsider", 27000),
    ("Kögel", "Flatbed", "Flatbed", 30000),
    ("Tirsan", "Fuel tanker 40 m³", "Tanker", 32000),
    ("Schmitz", "S.KO Cool", "Refrigerated", 26000),
    ("Afrit", "Container chassis 40'", "Container chassis", 30500),
]
PROVINCE_LETTERS = "ABCDEFGH"
ISSUERS = {
    "Insurance": ["SONARWA", "Radiant Insurance", "Prime Insurance", "Old Mutual Rwanda"],
    "Registration certificate": ["Rwanda Revenue Authority"],
    "Technical inspection": ["Rwanda National Police - Contrôle technique"],
    "Transport operator licence": ["RURA"],
    "COMESA yellow card": ["SONARWA"],
    "Medical certificate": ["King Faisal Hospital", "CHUK", "Polyclinique du Plateau"],
    "Passport": ["Directorate General of Immigration"],
    "Professional driver card": ["RURA"],
}


def _plate(i: int, trailer: bool) -> str:
    letters = "R" + ("L" if trailer else "A") + PROVINCE_LETTERS[(i // 900) % 8]
    return f"{letters} {100 + i % 900} {chr(65 + (i // 7200) % 26)}"


def _vin(fake: Faker, i: int) -> str:
    alphabet = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
    return "".join(fake.random_element(alphabet) for _ in range(11)) + f"{i:06d}"


def load_fleet_small(session: Session, fake: Faker, today: dt.date) -> dict[str, int]:
    """40 tractors, 45 trailers, 15 vans, 60 drivers; every required document on file, a few
    ending within two weeks, one insurance expired and one driving licence expired."""
    cats = {name: cid for cid, name in session.execute(select(VehicleCategory.id, VehicleCategory.name))}
    types = list(
        session.execute(
            select(DocumentType.id, DocumentType.name, DocumentType.applies_to, DocumentType.required_for_dispatch)
        )
    )
    units: list[Vehicle] = []
    specs = [("tractor", TRACTORS, "Long-haul tractor")] * 40 + [("van", VANS, "Delivery van")] * 15
    for i, (unit_type, models, cat) in enumerate(specs):
        make, model, norm = models[i % len(models)]
        year = fake.random_int(2012, 2024)
        km = (today.year - year) * fake.random_int(60_000, 110_000) + fake.random_int(0, 50_000)
        units.append(
            Vehicle(
                unit_type=unit_type,
                plate=_plate(i, False),
                vin=_vin(fake, i),
                make=make,
                model=model,
                year=year,
                category_id=cats.get(cat),
                fuel_type="diesel",
                required_licence="C" if unit_type == "tractor" else "B",
                fuel_norm_l_100km=Decimal(norm),
                norm_per_tonne_100km=Decimal("1.3") if unit_type == "tractor" else None,
                trailer_pct=Decimal(10) if unit_type == "tractor" else None,
                winter_pct=Decimal(5),
                city_pct=Decimal(15),
                max_speed_kmh=90 if unit_type == "tractor" else 120,
                payload_kg=18000 if unit_type == "tractor" else 1200,
                axles=3 if unit_type == "tractor" else 2,
                odometer_km=km,
                status="active",
                purchase_date=dt.date(year, fake.random_int(1, 12), fake.random_int(1, 28)),
                purchase_price=Decimal(fake.random_int(25, 140)) * 1_000_000
                if unit_type == "tractor"
                else Decimal(fake.random_int(20, 45)) * 1_000_000,
            )
        )
    for i in range(45):
        make, model, body, payload = TRAILERS[i % len(TRAILERS)]
        units.append(
            Vehicle(
                unit_type="trailer",
                plate=_plate(i, True),
                vin=_vin(fake, 1000 + i),
                make=make,
                model=model,
                year=fake.random_int(2010, 2024),
                category_id=cats.get(body),
                body_type=body,
                fuel_type="none",
                payload_kg=payload,
                axles=3,
                status="active",
            )
        )
    units[3].status = "in_repair"
    session.add_all(units)
    session.flush()
    now = dt.datetime.now(dt.UTC)
    for u in units:
        if u.unit_type != "trailer":
            session.add(
                OdometerReading(vehicle_id=u.id, read_at=now - dt.timedelta(days=1), km=u.odometer_km, source="initial")
            )
            session.add(
                MaintenancePlan(
                    vehicle_id=u.id,
                    name="Oil and filters",
                    every_km=15000,
                    every_months=6,
                    last_done_date=today - dt.timedelta(days=fake.random_int(10, 200)),
                    last_done_km=u.odometer_km - fake.random_int(1000, 15500),
                )
            )
    tractors = [u for u in units if u.unit_type == "tractor"]
    trailers = [u for u in units if u.unit_type == "trailer"]
    for tractor, trailer in zip(tractors[:35], trailers[:35], strict=False):
        session.add(Coupling(tractor_id=tractor.id, trailer_id=trailer.id, coupled_at=now - dt.timedelta(days=30)))
    docs = 0
    for n, u in enumerate(units):
        kind = "trailer" if u.unit_type == "trailer" else "vehicle"
        for type_id, name, applies, required in types:
            if applies != kind or (not required and n % 3):
                continue
            valid_to = today + dt.timedelta(days=fake.random_int(40, 340))
            if n % 11 == 5 and name == "Insurance":
                valid_to = today + dt.timedelta(days=fake.random_int(2, 13))  # a few ending soon
            if n == 1 and name == "Insurance":
                valid_to = today - dt.timedelta(days=4)  # one expired
            session.add(
                Document(
                    type_id=type_id,
                    vehicle_id=u.id,
                    number=fake.bothify("??-######").upper(),
                    issuer=fake.random_element(ISSUERS.get(name, ["RURA"])),
                    valid_from=valid_to - dt.timedelta(days=365),
                    valid_to=valid_to,
                )
            )
            docs += 1
    drivers = list(
        session.scalars(
            select(Employee)
            .join(StaffCatalogEntry, StaffCatalogEntry.id == Employee.position_id)
            .where(StaffCatalogEntry.kind == "position", StaffCatalogEntry.name == "Driver")
            .order_by(Employee.id)
        )
    )
    for i, e in enumerate(drivers[:60]):
        cats_held = ["B", "C", "CE"] if i % 5 else ["B", "C"]
        valid_to = today + dt.timedelta(days=fake.random_int(60, 1500))
        if i == 2:
            valid_to = today - dt.timedelta(days=9)  # an expired licence, for the dispatch check
        session.add(
            Driver(
                employee_id=e.id,
                licence_number=f"RW{fake.numerify('#######')}{i:02d}",
                licence_categories=cats_held,
                licence_valid_to=valid_to,
                experience_since=today - dt.timedelta(days=365 * fake.random_int(2, 20)),
                qualifications=["international"] if i % 2 else ["international", "dangerous_goods"],
                medical_status="fit",
            )
        )
        for type_id, name, applies, required in types:
            if applies == "driver" and required:
                session.add(
                    Document(
                        type_id=type_id,
                        employee_id=e.id,
                        number=fake.bothify("MC-#####"),
                        issuer=fake.random_element(ISSUERS.get(name, ["RURA"])),
                        valid_to=today + dt.timedelta(days=fake.random_int(20, 360)),
                    )
                )
                docs += 1
    session.flush()
    return {"vehicles": len(units), "documents": docs, "drivers": min(60, len(drivers))}


def load_fleet_large(
    session: Session, fake: Faker, today: dt.date, vehicles: int = 10_000, drivers: int = 10_000
) -> dict[str, int]:
    """Volume for benchmarks, with COPY: 10,000 units with 5 documents each, 10,000 drivers."""
    conn = session.connection().connection.driver_connection
    start = session.scalar(select(func.coalesce(func.max(Vehicle.id), 0))) or 0
    types = list(session.execute(select(DocumentType.id, DocumentType.applies_to)))
    vehicle_types = [tid for tid, applies in types if applies == "vehicle"][:5]
    trailer_types = [tid for tid, applies in types if applies == "trailer"]
    driver_types = [tid for tid, applies in types if applies == "driver"][:1]
    with conn.cursor() as cur:  # type: ignore[union-attr]
        with cur.copy(
            "COPY vehicle (id, unit_type, plate, make, model, fuel_type, required_licence, payload_kg, "
            "odometer_km, status) FROM STDIN"
        ) as copy:
            for i in range(vehicles):
                trailer = i % 3 == 2
                copy.write_row(
                    [
                        start + i + 1,
                        "trailer" if trailer else "tractor",
                        f"BX{start + i:07d}",
                        "Volvo",
                        "FH",
                        "none" if trailer else "diesel",
                        None if trailer else "C",
                        28000 if trailer else 18000,
                        0 if trailer else 100_000 + i,
                        "active",
                    ]
                )
        with cur.copy("COPY fleet_document (type_id, vehicle_id, number, valid_to) FROM STDIN") as copy:
            for i in range(vehicles):
                trailer = i % 3 == 2
                kinds = (trailer_types + trailer_types[:2]) if trailer else vehicle_types
                for k, type_id in enumerate(kinds[:5]):
                    copy.write_row(
                        [type_id, start + i + 1, f"D{i}-{k}", today + dt.timedelta(days=(i * 7 + k * 13) % 400 - 20)]
                    )
        emp_ids = [
            r[0]
            for r in session.execute(
                text(
                    "SELECT e.id FROM employee e WHERE NOT EXISTS (SELECT 1 FROM driver d WHERE d.employee_id = e.id) "
                    "ORDER BY e.id LIMIT :n"
                ),
                {"n": drivers},
            )
        ]
        with cur.copy(
            "COPY driver (employee_id, licence_number, licence_categories, licence_valid_to, medical_status) FROM STDIN"
        ) as copy:
            for i, eid in enumerate(emp_ids):
                copy.write_row(
                    [eid, f"BXL{eid:08d}", ["B", "C", "CE"], today + dt.timedelta(days=(i * 11) % 900 - 30), "fit"]
                )
        with cur.copy("COPY fleet_document (type_id, employee_id, number, valid_to) FROM STDIN") as copy:
            for i, eid in enumerate(emp_ids):
                for type_id in driver_types:
                    copy.write_row([type_id, eid, f"M{eid}", today + dt.timedelta(days=(i * 5) % 500 - 10)])
    session.execute(text("SELECT setval(pg_get_serial_sequence('vehicle', 'id'), :v)"), {"v": start + vehicles})
    session.execute(text("ANALYZE vehicle; ANALYZE fleet_document; ANALYZE driver"))
    return {"vehicles": vehicles, "documents": vehicles * 5 + len(emp_ids), "drivers": len(emp_ids)}
