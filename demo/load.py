"""Believable demo data for a Rwandan road-transport company (Faker for the randomness).

`small` is for trying Twara; `large` adds volume for benchmarks (100,000 employees, 100,000
clients, 10,000 vehicles, 500,000 transport orders and 300,000 trips).
Later features extend `load_demo` with their own catalogs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from faker import Faker
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from common.actor import SYSTEM, Actor
from common.i18n import N_
from common.roles import ROLES
from core.auth_rules import hash_password
from core.services.notifications import Notice, notify
from core.services.settings import company_today
from core.services.staff_catalogs import entry_for_text
from db.models.auth import User
from db.models.hr import Employee
from demo.crm import load_crm_large, load_crm_small
from demo.fleet import load_fleet_large, load_fleet_small
from demo.names import FIRST_NAMES, LAST_NAMES, MOBILE_PREFIXES, TOWNS, Names, slug
from demo.stock import load_stock_large, load_stock_small
from demo.transport_large import load_transport_large

# department -> positions, with how many people the small company has in each
STAFF = {
    "Transport": [("Driver", 60), ("Driver assistant", 6), ("Dispatcher", 3)],
    "Garage": [("Mechanic", 6), ("Electrician", 2), ("Tyre technician", 2)],
    "Warehouse": [("Warehouse keeper", 2), ("Fuel attendant", 2)],
    "Sales": [("Sales manager", 4), ("Customer care officer", 2)],
    "Finance": [("Accountant", 2), ("Cashier", 1)],
    "Management": [("Managing director", 1), ("Operations manager", 1)],
}
DEMO_PASSWORD = "Demo-pass-2026"


@dataclass
class DemoResult:
    employees: int
    users: list[str]
    fleet: dict[str, int] | None = None


def _phone(fake: Faker) -> str:
    digits = fake.numerify("#######")
    return f"+250 {fake.random_element(MOBILE_PREFIXES)}{digits[0]} {digits[1:4]} {digits[4:]}"


PLACES = [f"{sector}, {district}" for places in TOWNS.values() for district, sector in places]


def _email(first: str, last: str, n: int) -> str:
    return f"{slug(first)}.{slug(last)}{n if n else ''}@twara-transport.rw"


def _staff_catalogs(session: Session) -> dict[tuple[str, str], int]:
    """The positions and departments of STAFF as entries of the staff catalogs (kept when the
    company has them already): (kind, name) -> id."""
    wanted = [("department", d) for d in STAFF] + [("position", p) for plist in STAFF.values() for p, _ in plist]
    out: dict[tuple[str, str], int] = {}
    for kind, name in wanted:
        entry_id = entry_for_text(session, kind, name, create=True)
        assert entry_id is not None
        out[(kind, name)] = entry_id
    return out


def _person(
    fake: Faker,
    i: int,
    department: int,
    position: int,
    today: dt.date,
    name: tuple[str, str] | None = None,
) -> dict[str, object]:
    """One employee; `name` is a unique (first, family) name (the small company), else any (volume)."""
    first, last = name or (fake.random_element(FIRST_NAMES), fake.random_element(LAST_NAMES))
    hire = today - dt.timedelta(days=fake.random_int(30, 365 * 15))
    birth = hire - dt.timedelta(days=fake.random_int(365 * 19, 365 * 40))
    return {
        "full_name": f"{first} {last}",
        "position_id": position,
        "department_id": department,
        "phone": _phone(fake),
        "phone_alt": _phone(fake) if fake.boolean(20) else None,
        "email": _email(first, last, 0 if name else i),
        "address": fake.random_element(PLACES),
        "national_id": "1" + fake.numerify("19##8#######") + fake.numerify("###"),
        "birth_date": birth,
        "hire_date": hire,
    }


def _copy_employees(session: Session, people: list[dict[str, object]]) -> None:
    """Bulk-load with COPY (large volumes); codes follow the ids like the service's."""
    start = session.scalar(select(func.coalesce(func.max(Employee.id), 0))) or 0
    cols = [
        "id",
        "code",
        "full_name",
        "position_id",
        "department_id",
        "phone",
        "phone_alt",
        "email",
        "address",
        "national_id",
        "birth_date",
        "hire_date",
    ]
    conn = session.connection().connection.driver_connection
    with conn.cursor() as cur, cur.copy(f"COPY employee ({', '.join(cols)}) FROM STDIN") as copy:  # type: ignore[union-attr]
        for offset, p in enumerate(people, start=1):
            eid = start + offset
            copy.write_row([eid, f"E{eid:06d}", *[p[c] for c in cols[2:]]])
    session.execute(text("SELECT setval(pg_get_serial_sequence('employee', 'id'), :v)"), {"v": start + len(people)})


class DemoRefused(Exception):
    """The database holds a company's own records: demo data would mix with them."""


def holds_real_data(session: Session) -> bool:
    """Records exist that no demo load made: staff, vehicles, clients or items, and no demo
    account (a fresh install with only its first administrator holds no real data yet)."""
    if session.scalar(select(func.count()).select_from(User).where(User.is_demo)):
        return False
    tables = ("employee", "vehicle", "client", "item")
    return any(session.execute(text(f"SELECT EXISTS (SELECT 1 FROM {name})")).scalar() for name in tables)


def load_demo(
    factory: sessionmaker[Session],
    size: str = "small",
    seed: int = 2026,
    actor: Actor = SYSTEM,
    with_stock: bool = True,
    force: bool = False,
    with_transport: bool = True,
) -> DemoResult:
    """`with_stock=False` skips the 5,000,000 stock movements of `large`, `with_transport=False`
    its orders and trips (benchmarks of other parts). Refused (DemoRefused) on a database with
    a company's own records unless `force`."""
    fake = Faker()
    fake.seed_instance(seed)
    created_users: list[str] = []
    with factory() as session:
        session.info["actor"] = actor
        today = company_today(session)
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext('twara-demo'))"))
        if not force and holds_real_data(session):
            raise DemoRefused(
                "This database holds the company's own records; demo data and its accounts with a "
                "published password would mix with them. Use an empty database, or --force."
            )
        catalogs = _staff_catalogs(session)
        if size == "large":
            people = []
            all_positions = [
                (catalogs[("department", d)], catalogs[("position", p)]) for d, plist in STAFF.items() for p, _ in plist
            ]
            for i in range(100_000):
                department, position = all_positions[i % len(all_positions)]
                people.append(_person(fake, i + 1000, department, position, today))
            _copy_employees(session, people)
            session.execute(text("ANALYZE employee"))
            fleet = load_fleet_large(session, fake, today)
            fleet.update(load_crm_large(session))
            if with_transport:
                fleet.update(load_transport_large(session, today))
            session.commit()
            if with_stock:
                load_stock_large(session.get_bind())
                fleet.update(items=50_000, invoices=1)
            return DemoResult(employees=len(people), users=[], fleet=fleet)
        if session.scalar(select(func.count()).select_from(User).where(User.is_demo)):
            return DemoResult(employees=0, users=[])  # loaded before
        n = session.scalar(select(func.max(Employee.id))) or 0  # after the company's own staff (--force)
        first_new = n
        names = Names(seed)  # every person and company of the small demo named once
        for department, positions in STAFF.items():
            for position, count in positions:
                for _ in range(count):
                    n += 1
                    ids = catalogs[("department", department)], catalogs[("position", position)]
                    person = _person(fake, n, *ids, today, names.person())
                    session.add(Employee(code=f"E{n:06d}", **person))
        session.flush()
        session.execute(text("SELECT setval(pg_get_serial_sequence('employee', 'id'), (SELECT max(id) FROM employee))"))
        for role in ROLES:
            username = role.split("_")[0] if role != "administrator" else "admin"
            if session.scalar(select(User.id).where(func.lower(User.username) == username)):
                continue
            first, last = names.person()
            session.add(
                User(
                    username=username,
                    full_name=f"{first} {last}",
                    role=role,
                    email=_email(first, last, 0),
                    language="en",
                    password_hash=hash_password(DEMO_PASSWORD),
                    is_demo=True,
                )
            )
            created_users.append(username)
        session.flush()
        fleet = load_fleet_small(session, fake, today)
        fleet.update(load_crm_small(session, names, today, seed))
        everyone = list(session.scalars(select(User.id)))
        notify(
            session,
            everyone,
            Notice(
                kind="welcome",
                title=N_("Welcome to Twara"),
                body=N_("Demo data is loaded: employees, a fleet with drivers, clients, and one user per role."),
                dedupe_key="demo-welcome",
            ),
        )
        session.commit()
    fleet.update(load_stock_small(factory, seed, today))
    return DemoResult(employees=n - first_new, users=created_users, fleet=fleet)
