"""The life of an order and of a trip, the checks of an order's stops, a vehicle's capacity
against its load, and fuel against the norm: rules with no database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from core import orders, trips
from core.orders import InvalidStops, StatusMoveRefused, StopFacts, check_stops
from core.trips import Capacity, CargoTooBig, check_capacity, combined, fuel_against_norm

AT = dt.datetime(2026, 12, 2, 8, tzinfo=dt.UTC)


def test_an_order_moves_only_along_its_life():
    orders.check_move("ORD-1", "request", "quoted")
    orders.check_move("ORD-1", "quoted", "quoted")  # a quote sent again
    orders.check_move("ORD-1", "planned", "confirmed")  # its trip was cancelled
    for current, wanted in (("delivered", "cancelled"), ("closed", "request"), ("request", "planned")):
        with pytest.raises(StatusMoveRefused) as refused:
            orders.check_move("ORD-1", current, wanted)
        assert refused.value.params["number"] == "ORD-1"
    assert all(s in orders.MOVES and s in orders.STATUS_LABELS for s in orders.MOVES)
    # cancelled from every state before delivery, never after
    assert {s for s, moves in orders.MOVES.items() if "cancelled" in moves} == {
        "request",
        "quoted",
        "confirmed",
        "planned",
        "in_transit",
    }


def test_a_trip_moves_only_along_its_life():
    trips.check_move("T-1", "planned", "dispatched")
    trips.check_move("T-1", "completed", "closed")
    with pytest.raises(trips.TripMoveRefused):
        trips.check_move("T-1", "in_progress", "cancelled")  # on the road: complete it instead
    with pytest.raises(trips.TripMoveRefused):
        trips.check_move("T-1", "closed", "in_progress")


def test_stops_need_a_pickup_before_any_dropoff_and_windows_in_order():
    good = [StopFacts(1, "pickup", 10, AT, AT + dt.timedelta(hours=2)), StopFacts(2, "dropoff", 11)]
    check_stops(good)
    with pytest.raises(InvalidStops, match="needs a pick-up"):
        check_stops([StopFacts(1, "dropoff", 11)])
    with pytest.raises(InvalidStops, match="needs a drop-off"):
        check_stops([StopFacts(1, "pickup", 10)])
    with pytest.raises(InvalidStops) as before:
        check_stops([StopFacts(1, "dropoff", 11), StopFacts(2, "pickup", 10)])
    assert before.value.field == "stop_1"
    with pytest.raises(InvalidStops) as window:
        check_stops([StopFacts(1, "pickup", 10, AT + dt.timedelta(hours=3), AT), StopFacts(2, "dropoff", 11)])
    assert window.value.field == "stop_1"
    with pytest.raises(InvalidStops, match="closes before the pick-up window opens"):
        check_stops([StopFacts(1, "pickup", 10, AT, None), StopFacts(2, "dropoff", 11, None, AT - dt.timedelta(1))])


def test_a_load_over_the_vehicle_and_trailer_is_refused_by_how_much():
    tractor = Capacity(payload_kg=Decimal(0), volume_m3=None, pallets=None)
    trailer = Capacity(payload_kg=Decimal(28000), volume_m3=Decimal(90), pallets=33)
    both = combined(tractor, trailer)
    assert both == Capacity(Decimal(28000), Decimal(90), 33)
    check_capacity(both, Decimal(28000), Decimal(90), 33)  # full is not over
    with pytest.raises(CargoTooBig) as refused:
        check_capacity(both, Decimal(30500), Decimal(10), 34)
    assert set(refused.value.errors) == {"weight", "pallets"}
    assert str(refused.value.errors["weight"][1]["by"]) == "2,500"
    check_capacity(Capacity(None, None, None), Decimal(99999), Decimal(999), 99)  # nothing stated, nothing checked


def test_fuel_used_is_start_plus_issued_less_end_against_the_norm():
    used = fuel_against_norm(Decimal(200), Decimal(150), Decimal(300), Decimal(330), Decimal(5))
    assert used.actual_l == Decimal(350) and used.over_l == Decimal(20)
    assert used.over_pct == Decimal("6.1") and used.overuse
    within = fuel_against_norm(Decimal(200), Decimal(180), Decimal(300), Decimal(310), Decimal(5))
    assert within.over_pct == Decimal("3.2") and not within.overuse
    with pytest.raises(trips.FuelFiguresMissing):
        fuel_against_norm(Decimal(10), Decimal(500), Decimal(0), Decimal(100), Decimal(5))
