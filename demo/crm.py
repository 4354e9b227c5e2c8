"""Demo CRM: 300 clients with contacts and two years of calls, meetings and visits, with
promises, next steps and appointments (some overdue); `large` adds 100,000 clients and
1,000,000 interactions generated in SQL."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from core.contacts import normalize_phone
from core.services.crm import follow_up_scan
from db.models.auth import User
from db.models.crm import Client, ClientCategory, ClientContact, Consent, Interaction
from db.session import UnitOfWork
from demo.names import Names, slug

CARGO = ["cement", "beer", "coffee", "steel", "fuel", "maize", "containers", "tea", "fertiliser"]
ROUTES = ["Kigali–Mombasa", "Kigali–Dar es Salaam", "Kigali–Kampala", "Kigali–Goma", "Kigali–Bujumbura"]
TOPICS = ["Rates for next month", "New route", "Delay complaint", "Contract renewal", "Volumes for the season"]
RESULTS = ["Interested, wants a quote", "Agreed on the rate", "Will call back", "Not this month", "Sent the order"]
PROMISES = ["Send the price list", "Send a quote", "Confirm the truck", "Send the contract draft"]


def load_crm_small(session: Session, names: Names, today: dt.date, seed: int = 2026) -> dict[str, int]:
    """`names` hands out each person and company once (the employees took theirs first)."""
    if session.scalar(select(Client.id).limit(1)) is not None:
        return {}
    rng = random.Random(seed)
    managers = list(session.scalars(select(User.id).where(User.role.in_(("sales_manager", "director")))))
    categories = list(session.scalars(select(ClientCategory.id)))
    now = dt.datetime.now(dt.UTC)
    clients = []
    for i in range(1, 301):
        company = rng.random() < 0.8
        if company:
            name = names.company()
            address = f"info@{slug(name.removesuffix(' Ltd'))}.rw"
        else:
            first, last = names.person()
            name, address = f"{first} {last}", f"{slug(first)}.{slug(last)}@gmail.com"
        region, place = names.place()
        client = Client(
            id=i,
            code=f"C{i:06d}",
            kind="company" if company else "person",
            name=name,
            tax_id=f"1{i:08d}" if company else None,
            region=region,
            address=place,
            phone=normalize_phone(names.phone()),
            email=address if rng.random() < 0.8 else None,
            source=rng.choice(["referral", "website", "fair", "cold call"]),
            manager_user_id=rng.choice(managers) if managers else None,
            category_id=rng.choice(categories) if categories else None,
            tags=rng.sample(CARGO, 2),
            cargo_types=", ".join(rng.sample(CARGO, 2)),
            usual_routes=rng.choice(ROUTES),
            status=rng.choices(["active", "prospect", "dormant", "lost"], [6, 2, 1, 1])[0],
            created_at=now - dt.timedelta(days=rng.randint(60, 760)),
        )
        clients.append(client)
    session.add_all(clients)
    session.flush()
    session.execute(text("SELECT setval(pg_get_serial_sequence('client', 'id'), 300)"))
    contacts: list[ClientContact] = []
    for client in clients:
        domain = client.email.split("@")[1] if client.kind == "company" and client.email else "gmail.com"
        for _ in range(rng.randint(1, 3)):
            first, last = names.person()
            contacts.append(
                ClientContact(
                    client_id=client.id,
                    name=f"{first} {last}",
                    role=rng.choice(["Logistics manager", "Buyer", "Owner", "Accountant"]),
                    phone=normalize_phone(names.phone()),
                    email=f"{slug(first)}.{slug(last)}@{domain}",
                )
            )
    session.add_all(contacts)
    session.flush()
    interactions = []
    kept_before = now - dt.timedelta(days=30)  # older promises were kept; recent ones may be open
    for client in clients:
        owner = client.manager_user_id
        for _ in range(rng.randint(3, 20)):
            at = now - dt.timedelta(days=rng.randint(1, 730), hours=rng.randint(0, 8))
            promise = rng.random() < 0.2
            step = rng.random() < 0.2
            interactions.append(
                Interaction(
                    client_id=client.id,
                    kind=rng.choice(["call", "call", "meeting", "visit", "email", "sms"]),
                    status="done",
                    at=at,
                    owner_user_id=owner,
                    topic=rng.choice(TOPICS),
                    result=rng.choice(RESULTS),
                    result_at=at,
                    promise=rng.choice(PROMISES) if promise else None,
                    promise_due=(at + dt.timedelta(days=rng.randint(1, 10))).date() if promise else None,
                    promise_kept_at=at + dt.timedelta(days=2) if promise and at < kept_before else None,
                    next_step="Call back with rates" if step else None,
                    next_due=(at + dt.timedelta(days=rng.randint(1, 14))).date() if step else None,
                    next_owner_user_id=owner,
                )
            )
        if rng.random() < 0.15:  # an appointment: some still ahead, some passed without a result
            at = now + dt.timedelta(hours=rng.randint(-72, 72))
            interactions.append(
                Interaction(
                    client_id=client.id,
                    kind=rng.choice(["meeting", "visit"]),
                    status="planned",
                    was_planned=True,
                    at=at,
                    owner_user_id=owner,
                    topic=rng.choice(TOPICS),
                    next_owner_user_id=owner,
                )
            )
    session.add_all(interactions)
    for client in rng.sample(clients, 12):
        session.add(
            Consent(client_id=client.id, channel="email", purpose="marketing", opted_in=False, how="stop_reply")
        )
    session.flush()
    made = follow_up_scan(UnitOfWork.joining(session), today)
    # the managers worked through their older items: done on time mostly, some late
    session.execute(
        text(
            """
            UPDATE follow_up SET status = 'done', result = 'Done',
                   done_at = (due_date + (id % 3) * interval '1 day' + interval '10 hours')::timestamptz
             WHERE due_date < CAST(:today AS date) - 10
            """
        ),
        {"today": today},
    )
    return {"clients": len(clients), "contacts": len(contacts), "interactions": len(interactions), "follow_ups": made}


def load_crm_large(session: Session) -> dict[str, int]:
    """100,000 clients and 1,000,000 interactions, generated in SQL (seconds, not hours)."""
    session.execute(
        text(
            """
            INSERT INTO client (code, kind, name, tax_id, region, phone, email, status, tags, cargo_types,
                                manager_user_id, category_id, created_at)
            SELECT 'L' || lpad(g::text, 9, '0'), 'company',
                   'Large client ' || g || ' ' || (ARRAY['Trading','Cement','Foods','Logistics'])[1 + g % 4],
                   '9' || lpad(g::text, 8, '0'),
                   (ARRAY['Kigali','Musanze','Huye','Rubavu','Rusizi'])[1 + g % 5],
                   '+250 78' || lpad((g % 10000000)::text, 7, '0'),
                   'large' || g || '@example.rw',
                   (ARRAY['active','prospect','dormant','lost'])[1 + g % 4],
                   ARRAY[(ARRAY['cement','beer','coffee','fuel'])[1 + g % 4]],
                   (ARRAY['cement','beer','coffee','fuel'])[1 + g % 4],
                   (SELECT id FROM app_user WHERE role = 'sales_manager' ORDER BY id LIMIT 1),
                   (SELECT min(id) FROM client_category) + g % 3,
                   now() - (g % 700) * interval '1 day'
              FROM generate_series(1, 100000) AS g
            """
        )
    )
    session.execute(
        text(
            """
            INSERT INTO interaction (client_id, kind, status, at, owner_user_id, topic, result, result_at,
                                     next_step, next_due, next_owner_user_id)
            SELECT c.id, (ARRAY['call','meeting','visit','email','sms'])[1 + g % 5], 'done',
                   now() - ((g::bigint * 7919) % 730) * interval '1 day', c.manager_user_id,
                   'Topic ' || g % 50, 'Result ' || g % 20, now() - ((g::bigint * 7919) % 730) * interval '1 day',
                   CASE WHEN g % 10 = 0 THEN 'Call back' END,
                   CASE WHEN g % 10 = 0 THEN (now() - ((g::bigint * 7919) % 730) * interval '1 day')::date + 7 END,
                   c.manager_user_id
              FROM generate_series(0, 999999) AS g
              JOIN client c ON c.id = (SELECT min(id) FROM client WHERE code LIKE 'L%') + g % 100000
            """
        )
    )
    session.execute(text("ANALYZE client"))
    session.execute(text("ANALYZE interaction"))
    return {"clients": 100_000, "interactions": 1_000_000}
