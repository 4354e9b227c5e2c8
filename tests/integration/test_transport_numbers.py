"""Transport numbers per kind and year have no gaps, even with four servers numbering at once
and some of their transactions rolled back; an order's status moves along its life only,
each move a row of its history."""

from __future__ import annotations

import random
import threading

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from core.orders import StatusMoveRefused
from core.services.transport.numbers import label, next_number
from core.services.transport.order_status import move_order
from db.models.orders import OrderStatusEvent, TransportOrder
from db.session import engine_for
from tests.conftest import fresh_database


def test_numbers_of_a_year_have_no_gaps_under_concurrency(database):
    location = fresh_database(database, "twara_transport_numbers")
    engine, factory = engine_for(location.sqlalchemy_url)
    kept: list[int] = []
    lock = threading.Lock()

    def server(seed: int) -> None:
        rnd = random.Random(seed)
        for _ in range(25):
            with factory() as session:
                number = next_number(session, "waybill", 2026)
                if rnd.random() < 0.3:
                    session.rollback()  # the document failed: its number goes back
                    continue
                session.commit()
                with lock:
                    kept.append(number)

    threads = [threading.Thread(target=server, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(kept) == list(range(1, len(kept) + 1))
    with factory() as session:
        assert next_number(session, "waybill", 2027) == 1  # a new year starts again
        assert next_number(session, "trip", 2026) == 1  # and every kind has its own
    engine.dispose()
    assert label("waybill", 2026, 42) == "WB-2026-00042"


def test_an_order_moves_along_its_life_and_each_move_is_a_row(connection):
    session = Session(bind=connection)
    client = session.execute(
        text("INSERT INTO client (code, kind, name) VALUES ('C-T1', 'company', 'Inyange Industries') RETURNING id")
    ).scalar_one()
    order = TransportOrder(number="ORD-2026-00001", client_id=client, cargo_description="Milk")
    session.add(order)
    session.flush()
    move_order(session, None, order, "quoted")
    move_order(session, None, order, "confirmed")
    first_confirmation = order.confirmed_at
    move_order(session, None, order, "planned")
    move_order(session, None, order, "confirmed", note="trip cancelled")
    assert order.confirmed_at == first_confirmation
    with pytest.raises(StatusMoveRefused):
        move_order(session, None, order, "closed")
    session.flush()
    events = list(
        session.scalars(
            select(OrderStatusEvent).where(OrderStatusEvent.order_id == order.id).order_by(OrderStatusEvent.id)
        )
    )
    assert [(e.from_status, e.to_status) for e in events] == [
        ("request", "quoted"),
        ("quoted", "confirmed"),
        ("confirmed", "planned"),
        ("planned", "confirmed"),
    ]
    assert events[-1].note == "trip cancelled"
    session.close()
