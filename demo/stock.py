"""Demo warehouse: diesel and petrol tanks, oils, filters, tyres, batteries and a few hundred
parts, with a year of receipts and issues posted through the real services."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from common.actor import SYSTEM
from core.services import stock
from core.services.settings import company_today
from core.services.stock import DocumentInput, ItemInput, LineInput
from db.models.auth import User
from db.models.fleet import Vehicle
from db.session import UnitOfWork
from demo.names import PARTS_SUPPLIERS

BASICS = [
    # name, article, unit, reorder level, reorder qty, fuel, price (RWF)
    ("Diesel", "FUEL-DSL", "l", "3000", "20000", "diesel", 1639),
    ("Petrol", "FUEL-PET", "l", "500", "4000", "petrol", 1633),
    ("Engine oil 15W-40", "OIL-1540", "l", "200", "1000", "", 4500),
    ("Gear oil 80W-90", "OIL-8090", "l", "60", "300", "", 5200),
    ("Hydraulic oil HV46", "OIL-HV46", "l", "80", "400", "", 3900),
    ("Grease EP2", "GRS-EP2", "kg", "20", "100", "", 6000),
    ("AdBlue", "ADB-32", "l", "200", "1000", "", 1200),
    ("Coolant", "CLT-50", "l", "40", "200", "", 3500),
    ("Tyre 315/80 R22.5", "TYR-31580", "pcs", "8", "24", "", 520000),
    ("Tyre 385/65 R22.5 (trailer)", "TYR-38565", "pcs", "8", "24", "", 480000),
    ("Battery 12V 180Ah", "BAT-180", "pcs", "4", "10", "", 260000),
]
PART_KINDS = [
    "Oil filter",
    "Fuel filter",
    "Air filter",
    "Brake pad set",
    "Brake drum",
    "Clutch kit",
    "Wheel bearing",
    "Shock absorber",
    "Alternator belt",
    "Water pump",
    "Headlamp",
    "Mirror glass",
    "Wiper blade",
    "Air hose",
    "Leaf spring",
    "U-bolt",
]
MAKES = ["Volvo", "Scania", "MAN", "Mercedes", "DAF", "Renault", "Isuzu", "Hino"]


def load_stock_small(factory: sessionmaker[Session], seed: int = 2026, today: dt.date | None = None) -> dict[str, int]:
    rng = random.Random(seed)
    uow = lambda: UnitOfWork(factory, SYSTEM)  # noqa: E731
    with factory() as s:
        day0 = today or company_today(s)
        keeper = s.scalar(select(User.id).where(User.role == "warehouse_keeper").limit(1))
        vehicles = list(s.scalars(select(Vehicle.id).where(Vehicle.unit_type != "trailer").limit(40)))
    main = stock.create_warehouse(uow(), SYSTEM, "Main store", "store", keeper)
    diesel_tank = stock.create_warehouse(uow(), SYSTEM, "Diesel tank 1", "tank", keeper)
    petrol_tank = stock.create_warehouse(uow(), SYSTEM, "Petrol tank", "tank", keeper)
    stock.create_warehouse(uow(), SYSTEM, "Workshop", "workshop", keeper)
    items = {}
    for name, article, unit, level, qty, fuel, price in BASICS:
        items[article] = (
            stock.create_item(
                uow(),
                SYSTEM,
                ItemInput(
                    name=name,
                    article=article,
                    unit=unit,
                    reorder_level=level,
                    reorder_qty=qty,
                    is_fuel=bool(fuel),
                    fuel_type=fuel,
                ),
            ),
            price,
        )
    n = 0
    for k, kind in enumerate(PART_KINDS):
        for make in MAKES:
            for variant in range(2):
                n += 1
                article = f"P{k + 1:02d}-{make[:3].upper()}-{variant + 1}"
                items[article] = (
                    stock.create_item(
                        uow(),
                        SYSTEM,
                        ItemInput(
                            name=f"{kind} {make} type {variant + 1}",
                            article=article,
                            unit="pcs",
                            reorder_level=str(rng.randint(1, 4)),
                            reorder_qty=str(rng.randint(4, 12)),
                        ),
                    ),
                    rng.randint(8, 180) * 1000,
                )
    invoices = 0
    tank_of = {"FUEL-DSL": diesel_tank, "FUEL-PET": petrol_tank}
    for week in range(52, 0, -1):
        day = day0 - dt.timedelta(weeks=week)
        # a fuel delivery and parts receipt every month, fuel issues and parts issues every week
        if week % 4 == 0:
            for article, tank in tank_of.items():
                item_id, price = items[article]
                _post(
                    uow,
                    DocumentInput(
                        "receipt",
                        tank,
                        day,
                        [LineInput(item_id, "7000" if tank == diesel_tank else "3000", str(price))],
                        supplier="SP Rwanda" if week % 8 else "Engen Rwanda",
                    ),
                )
                invoices += 1
            lines = [
                LineInput(
                    i,
                    str(rng.randint(2, 10) if a.startswith(("OIL", "ADB", "CLT", "GRS")) else rng.randint(1, 4)),
                    str(p),
                )
                for a, (i, p) in rng.sample(sorted((a, v) for a, v in items.items() if a not in tank_of), 25)
            ]
            supplier = PARTS_SUPPLIERS[(week // 4) % len(PARTS_SUPPLIERS)]
            _post(uow, DocumentInput("receipt", main, day, lines, supplier=supplier))
            invoices += 1
        for _ in range(6):
            item_id, _price = items["FUEL-DSL"]
            _post(
                uow,
                DocumentInput(
                    "issue",
                    diesel_tank,
                    day,
                    [LineInput(item_id, str(rng.randint(150, 400)))],
                    vehicle_id=rng.choice(vehicles) if vehicles else None,
                    basis="Trip fuel",
                ),
            )
            invoices += 1
        parts = [
            LineInput(i, "1")
            for a, (i, _) in rng.sample(sorted((a, v) for a, v in items.items() if a not in tank_of), 3)
        ]
        _post(uow, DocumentInput("issue", main, day, parts, basis="Workshop repairs"))
        invoices += 1
    return {"items": len(items), "invoices": invoices}


def _post(uow, data: DocumentInput) -> None:  # type: ignore[no-untyped-def]
    """Post a demo document (an "invoice"); an issue the store cannot cover is simply skipped."""
    document = stock.create_document(uow(), SYSTEM, data)
    try:
        stock.post_document(uow(), SYSTEM, document)
    except stock.InsufficientStock:
        stock.cancel_document(uow(), SYSTEM, document)


def load_stock_large(engine, items: int = 50_000, moves: int = 5_000_000) -> int:  # type: ignore[no-untyped-def]
    """50,000 items and 5,000,000 movements over a year, with COPY."""
    with engine.begin() as conn:
        store = conn.execute(text("INSERT INTO warehouse (name) VALUES ('Bench ledger store') RETURNING id")).scalar()
        conn.execute(
            text("""INSERT INTO item (name, article, barcode, unit)
                             SELECT 'Part ' || g, 'BL-' || g, 'BL' || g, 'pcs' FROM generate_series(1, :n) g"""),
            {"n": items},
        )
        first = conn.execute(text("SELECT min(id) FROM item WHERE article LIKE 'BL-%'")).scalar()
        document = conn.execute(
            text("""INSERT INTO stock_document (number, kind, status, doc_date, warehouse_id)
                                       VALUES ('BL-1', 'receipt', 'posted', current_date, :s) RETURNING id"""),
            {"s": store},
        ).scalar()
        raw = conn.connection.driver_connection
        year = dt.datetime.now(dt.UTC) - dt.timedelta(days=365)
        per_item = moves // items
        with (
            raw.cursor() as cur,
            cur.copy("COPY stock_move (item_id, warehouse_id, document_id, moved_at, qty, value) FROM STDIN") as copy,
        ):
            for i in range(items):
                for k in range(per_item):
                    qty = 10 if k % 2 == 0 else -5
                    copy.write_row(
                        [first + i, store, document, year + dt.timedelta(hours=k * 87 + i % 50), qty, qty * 100]
                    )
        conn.execute(
            text("""INSERT INTO stock_balance (item_id, warehouse_id, qty, value)
                             SELECT item_id, warehouse_id, sum(qty), sum(value) FROM stock_move
                             WHERE warehouse_id = :s GROUP BY item_id, warehouse_id"""),
            {"s": store},
        )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE stock_move"))
    return store
