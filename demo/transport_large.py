"""Transport volume for benchmarks (`manage.py demo --size large`): 500,000 orders with their
stops and status events, and 300,000 trips with their orders, stops and bookings, generated in
SQL over the large clients, tractors, trailers and drivers (a few minutes, not hours).

Each large tractor drives about 45 trips a year, one after the other (a trip every 8 days,
lasting 1 to 3), with its own driver and, for every second tractor, its own trailer, so the
bookings never overlap and the exclusion constraint holds them as it holds a dispatcher's.
The routes are the seeded ones from Kigali (Huye, Rubavu, Rusizi, Kampala, Dar es Salaam,
Musanze, Goma, Nyagatare), with the company table's km and hours.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text
from sqlalchemy.orm import Session

ORDERS = 500_000
TRIPS = 300_000
ROUTES = ("Huye", "Rubavu", "Rusizi", "Kampala", "Dar es Salaam port", "Musanze", "Goma", "Nyagatare")


def load_transport_large(session: Session, today: dt.date, orders: int = ORDERS, trips: int = TRIPS) -> dict[str, int]:
    """Orders on the large clients, the first `trips` of them carried by one trip each."""
    session.execute(text("CREATE TEMP TABLE demo_route (n int PRIMARY KEY, dest bigint, km numeric, hours numeric)"))
    session.execute(
        text(
            """
            INSERT INTO demo_route (n, dest, km, hours)
            SELECT row_number() OVER (ORDER BY array_position(CAST(:names AS text[]), b.name)) - 1, b.id, d.km, d.hours
              FROM place a JOIN distance d ON d.from_place_id = a.id JOIN place b ON b.id = d.to_place_id
             WHERE a.name = 'Kigali' AND b.name = ANY(CAST(:names AS text[]))
            """
        ),
        {"names": list(ROUTES)},
    )
    routes = session.execute(text("SELECT count(*) FROM demo_route")).scalar_one()
    kigali = session.execute(text("SELECT id FROM place WHERE name = 'Kigali'")).scalar_one()
    params = {"orders": orders, "trips": trips, "routes": routes, "kigali": kigali, "today": today}
    # tractors and drivers of the large fleet, numbered 0..n-1; every second tractor has a trailer
    session.execute(
        text(
            """
            CREATE TEMP TABLE demo_crew AS
            SELECT t.n - 1 AS n, t.id AS vehicle_id, d.employee_id AS driver_id,
                   CASE WHEN t.n % 2 = 0 THEN tr.id END AS trailer_id
              FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM vehicle
                     WHERE plate LIKE 'BX%' AND unit_type = 'tractor') t
              JOIN (SELECT employee_id, row_number() OVER (ORDER BY employee_id) AS n FROM driver
                     WHERE licence_number LIKE 'BXL%') d ON d.n = t.n
              LEFT JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM vehicle
                     WHERE plate LIKE 'BX%' AND unit_type = 'trailer') tr ON tr.n = t.n / 2
            """
        )
    )
    crews = session.execute(text("SELECT count(*) FROM demo_crew")).scalar_one()
    params["crews"] = crews
    first_client = session.execute(text("SELECT min(id) FROM client WHERE code LIKE 'L%'")).scalar_one()
    params["first_client"] = first_client
    # orders: the first `trips` are delivered and closed (carried), the rest spread over the life
    session.execute(
        text(
            """
            INSERT INTO transport_order (number, client_id, service, status, cargo_description, weight_kg,
                pallets, requested_pickup_date, requested_delivery_date, distance_km, distance_source,
                price_amount, price_currency, priced_at, confirmed_at, delivered_at, closed_at,
                cancelled_at, cancel_reason_id, created_at)
            SELECT 'ORD-L-' || lpad(g::text, 7, '0'), :first_client + g % 100000,
                   CASE WHEN g % 7 = 0 THEN 'ltl' ELSE 'ftl' END, s.status,
                   (ARRAY['Cement','Beer','Coffee','Maize','Fuel drums'])[1 + g % 5],
                   8000 + (g * 37) % 20000, (g * 13) % 34, s.day, s.day + 1 + (r.km / 500)::int,
                   r.km, 'table', round(r.km * (2500 + (g % 5) * 100), -3), 'RWF', s.at,
                   CASE WHEN s.status NOT IN ('request', 'quoted', 'cancelled') THEN s.at END,
                   CASE WHEN s.status IN ('delivered', 'closed') THEN s.at + interval '2 days' END,
                   CASE WHEN s.status = 'closed' THEN s.at + interval '5 days' END,
                   CASE WHEN s.status = 'cancelled' THEN s.at + interval '1 day' END,
                   CASE WHEN s.status = 'cancelled' THEN
                        (SELECT min(id) FROM order_catalog WHERE kind = 'cancel_reason') END,
                   s.at - interval '3 days'
              FROM generate_series(0, :orders - 1) AS g
              JOIN demo_route r ON r.n = g % :routes
             CROSS JOIN LATERAL (
                   SELECT CASE WHEN g < :trips THEN 'closed'
                               ELSE (ARRAY['request','quoted','confirmed','cancelled','closed'])[1 + g % 5] END
                              AS status,
                          d.day, d.day::timestamptz + interval '6 hours' AS at
                     FROM (SELECT CAST(:today AS date) - 365
                                  + CASE WHEN g < :trips THEN (g / :crews) * 8 ELSE g % 365 END AS day) d) s
            """
        ),
        params,
    )
    session.execute(
        text(
            """
            INSERT INTO order_stop (order_id, seq, kind, place_id)
            SELECT o.id, 1, 'pickup', :kigali FROM transport_order o WHERE o.number LIKE 'ORD-L-%'
            UNION ALL
            SELECT o.id, 2, 'dropoff', r.dest FROM transport_order o
              JOIN demo_route r ON r.n = substr(o.number, 7)::int % :routes
             WHERE o.number LIKE 'ORD-L-%'
            """
        ),
        params,
    )
    session.execute(
        text(
            """
            INSERT INTO order_status_event (order_id, at, from_status, to_status)
            SELECT id, created_at, NULL, 'request' FROM transport_order WHERE number LIKE 'ORD-L-%'
            UNION ALL
            SELECT id, coalesce(closed_at, cancelled_at, confirmed_at, priced_at), 'request', status
              FROM transport_order WHERE number LIKE 'ORD-L-%' AND status <> 'request'
            """
        )
    )
    # trips: order g (g < trips) on crew g % crews, its k-th trip (k = g / crews) every 8 days
    session.execute(text("ALTER TABLE trip DISABLE TRIGGER trip_bookings"))  # bookings below, set-based
    session.execute(
        text(
            """
            INSERT INTO trip (number, status, vehicle_id, trailer_id, driver_id, home_place_id, planned_start,
                planned_end, planned_km, planned_hours, planned_fuel_l, planned_cost_amount, odometer_out,
                odometer_in, fuel_start_l, fuel_end_l, dispatched_at, started_at, completed_at, closed_at,
                actual_km, actual_fuel_l, norm_fuel_l, actual_cost_amount, fuel_overuse)
            SELECT 'TRP-L-' || lpad(g::text, 7, '0'), 'closed', c.vehicle_id, c.trailer_id, c.driver_id, :kigali,
                   x.start, x.start + (1 + r.hours * 2 / 9)::int * interval '1 day',
                   r.km * 2, r.hours * 2, round(r.km * 2 * 0.33, 2), round(r.km * 2 * 900, 2),
                   100000 + g, 100000 + g + (r.km * 2)::int, 150, 120,
                   x.start, x.start, x.start + interval '1 day', x.start + interval '3 days',
                   r.km * 2 + g % 15, round(r.km * 2 * (0.33 + (g % 9) * 0.01), 2), round(r.km * 2 * 0.33, 2),
                   round(r.km * 2 * (900 + (g % 11) * 20), 2), g % 9 > 5
              FROM generate_series(0, :trips - 1) AS g
              JOIN demo_crew c ON c.n = g % :crews
              JOIN demo_route r ON r.n = g % :routes
             CROSS JOIN LATERAL (
                   SELECT (CAST(:today AS date) - 365)::timestamptz + interval '6 hours'
                          + (g / :crews) * interval '8 days' AS start) x
            """
        ),
        params,
    )
    session.execute(text("ALTER TABLE trip ENABLE TRIGGER trip_bookings"))
    session.execute(
        text(
            """
            INSERT INTO trip_booking (trip_id, resource, resource_id, period)
            SELECT t.id, r.resource, r.resource_id, tstzrange(t.planned_start, t.planned_end, '[)')
              FROM trip t
             CROSS JOIN LATERAL (VALUES ('vehicle', t.vehicle_id), ('vehicle', t.trailer_id),
                                        ('driver', t.driver_id)) AS r(resource, resource_id)
             WHERE t.number LIKE 'TRP-L-%' AND r.resource_id IS NOT NULL
            """
        )
    )
    session.execute(
        text(
            """
            INSERT INTO trip_order (trip_id, order_id)
            SELECT t.id, o.id FROM trip t
              JOIN transport_order o ON o.number = 'ORD-L-' || substr(t.number, 7)
             WHERE t.number LIKE 'TRP-L-%'
            """
        )
    )
    session.execute(
        text(
            """
            INSERT INTO trip_stop (trip_id, seq, kind, place_id, order_stop_id, leg_km, leg_hours, leg_source,
                                   planned_arrival, actual_arrival, pod_recipient, pod_at)
            SELECT t.id, s.seq, s.kind, s.place_id, os.id, s.km, s.hours, s.source,
                   t.planned_start + s.offset_h * interval '1 hour', t.planned_start + s.offset_h * interval '1 hour',
                   CASE WHEN s.kind = 'dropoff' THEN 'Store keeper' END,
                   CASE WHEN s.kind = 'dropoff' THEN t.planned_start + s.offset_h * interval '1 hour' END
              FROM trip t
              JOIN trip_order tor ON tor.trip_id = t.id
              JOIN demo_route r ON r.n = substr(t.number, 7)::int % :routes
             CROSS JOIN LATERAL (VALUES
                   (0, 'start', :kigali, NULL::int, NULL::numeric, NULL::numeric, NULL, 0::numeric),
                   (1, 'pickup', :kigali, 1, 5::numeric, 0.3::numeric, 'table', 1::numeric),
                   (2, 'dropoff', r.dest, 2, r.km, r.hours, 'table', 2 + r.hours),
                   (3, 'return', :kigali, NULL, r.km, r.hours, 'table', 4 + 2 * r.hours))
                   AS s(seq, kind, place_id, stop_seq, km, hours, source, offset_h)
              LEFT JOIN order_stop os ON os.order_id = tor.order_id AND os.seq = s.stop_seq
             WHERE t.number LIKE 'TRP-L-%'
            """
        ),
        params,
    )
    for table in ("transport_order", "order_stop", "order_status_event", "trip", "trip_order", "trip_stop"):
        session.execute(text(f"ANALYZE {table}"))
    session.execute(text("ANALYZE trip_booking"))
    session.execute(text("DROP TABLE demo_route; DROP TABLE demo_crew"))
    return {"orders": orders, "trips": trips}
