"""The database's own guard against double booking (migration 0019): a trip books its
vehicle, trailer and drivers over its planned period through a trigger, and the exclusion
constraint refuses any second trip that would hold one of them at the same time."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError

from tests.clock import TODAY

START = dt.datetime.combine(TODAY, dt.time(6), tzinfo=dt.UTC)


def _vehicle(conn: Connection, plate: str, unit_type: str = "tractor") -> int:
    return conn.execute(
        text("INSERT INTO vehicle (unit_type, plate, fuel_type) VALUES (:u, :p, :f) RETURNING id"),
        {"u": unit_type, "p": plate, "f": "none" if unit_type == "trailer" else "diesel"},
    ).scalar_one()


def _driver(conn: Connection, name: str) -> int:
    employee = conn.execute(
        text("INSERT INTO employee (code, full_name) VALUES (:c, :n) RETURNING id"), {"c": name[:20], "n": name}
    ).scalar_one()
    conn.execute(
        text(
            "INSERT INTO driver (employee_id, licence_number, licence_categories, licence_valid_to)"
            " VALUES (:e, :l, ARRAY['CE'], :d)"
        ),
        {"e": employee, "l": f"L-{employee}", "d": TODAY + dt.timedelta(days=300)},
    )
    return employee


def _trip(conn: Connection, number: str, vehicle: int, driver: int, start_h: int, end_h: int, **more: int) -> int:
    values = {
        "n": number,
        "v": vehicle,
        "d": driver,
        "s": START + dt.timedelta(hours=start_h),
        "e": START + dt.timedelta(hours=end_h),
        "t": more.get("trailer"),
        "d2": more.get("second"),
    }
    with conn.begin_nested():
        return conn.execute(
            text(
                "INSERT INTO trip (number, vehicle_id, trailer_id, driver_id, second_driver_id,"
                " planned_start, planned_end) VALUES (:n, :v, :t, :d, :d2, :s, :e) RETURNING id"
            ),
            values,
        ).scalar_one()


def _refused(conn: Connection, *args, **more) -> bool:  # type: ignore[no-untyped-def]
    try:
        _trip(conn, *args, **more)
    except IntegrityError as exc:
        assert "ex_trip_booking_overlap" in str(exc.orig)
        return True
    return False


def test_one_truck_trailer_or_driver_is_never_on_two_trips_at_once(connection: Connection) -> None:
    truck, other_truck = _vehicle(connection, "RAB 100 A"), _vehicle(connection, "RAB 200 A")
    trailer = _vehicle(connection, "RL 0001", "trailer")
    alice, bosco, claude = _driver(connection, "Alice"), _driver(connection, "Bosco"), _driver(connection, "Claude")
    _trip(connection, "T-1", truck, alice, 0, 10, trailer=trailer, second=bosco)

    assert _refused(connection, "T-2", truck, claude, 9, 12)  # the same truck
    assert _refused(connection, "T-3", other_truck, claude, 5, 6, trailer=trailer)  # the same trailer
    assert _refused(connection, "T-4", other_truck, bosco, 2, 3)  # the second driver as first
    assert _refused(connection, "T-5", other_truck, claude, 2, 3, second=alice)  # the first as second
    # back-to-back is not an overlap: the period is [start, end)
    assert not _refused(connection, "T-6", truck, alice, 10, 20, trailer=trailer, second=bosco)
    assert not _refused(connection, "T-7", other_truck, claude, 0, 10)


def test_a_cancelled_trip_frees_what_it_held_and_a_moved_one_books_anew(connection: Connection) -> None:
    truck = _vehicle(connection, "RAB 300 A")
    alice, bosco = _driver(connection, "Alice"), _driver(connection, "Bosco")
    first = _trip(connection, "T-10", truck, alice, 0, 10)
    assert _refused(connection, "T-11", truck, bosco, 5, 15)

    connection.execute(text("UPDATE trip SET status = 'cancelled', cancelled_at = now() WHERE id = :i"), {"i": first})
    assert connection.execute(text("SELECT count(*) FROM trip_booking WHERE trip_id = :i"), {"i": first}).scalar() == 0
    second = _trip(connection, "T-11", truck, bosco, 5, 15)

    # moving the second trip later books the new period and frees the old one
    connection.execute(
        text("UPDATE trip SET planned_start = :s, planned_end = :e WHERE id = :i"),
        {"s": START + dt.timedelta(hours=30), "e": START + dt.timedelta(hours=40), "i": second},
    )
    assert not _refused(connection, "T-12", truck, alice, 0, 10)
    periods = connection.execute(
        text("SELECT lower(period) FROM trip_booking WHERE trip_id = :i"), {"i": second}
    ).scalars()
    assert set(periods) == {START + dt.timedelta(hours=30)}


def test_a_trip_cannot_end_before_it_starts(connection: Connection) -> None:
    truck, alice = _vehicle(connection, "RAB 400 A"), _driver(connection, "Alice")
    with pytest.raises(IntegrityError, match="ck_trip_period_in_order"):
        _trip(connection, "T-20", truck, alice, 5, 5)
