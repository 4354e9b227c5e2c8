"""Places and distances (SPEC T2) on real PostgreSQL: the seeded directory and routes, the
order table -> routing server -> estimate, the routing cache, edits and their versions, and
bad input refused at its field with nothing saved."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from common.errors import NotFound, PermissionDenied, RecordChanged, ValidationError
from common.roles import ACCOUNTANT, DISPATCHER, KEEPER, SALES
from core.places import Point, estimate
from core.services import transport
from core.services.listing import ListQuery
from core.services.settings import set_param
from core.services.transport import DistanceInput, PlaceInput
from db.models.audit import ActivityLog
from db.models.transport import Distance, Place
from tests.integration.conftest import make_user


def place_id(uow, name: str) -> int:  # type: ignore[no-untyped-def]
    with uow(None) as u:
        found = u.session.scalar(select(Place.id).where(Place.name == name))
    assert found is not None, name
    return int(found)


def point(uow, pid: int) -> Point:  # type: ignore[no-untyped-def]
    with uow(None) as u:
        p = u.session.get(Place, pid)
        return Point(p.latitude, p.longitude)


def add_place(uow, actor, name: str, lat: str, lon: str, kind: str = "town", country: str = "RW") -> int:  # type: ignore[no-untyped-def]
    return transport.create_place(uow(actor), actor, PlaceInput(name, kind, country, lat, lon))


@pytest.fixture
def routed(session_factory):  # type: ignore[no-untyped-def]
    """`with routed() as (router, ruow):` a routing server of our own, and units of work that
    ask it (as the composition root sets them up when TWARA_ROUTING_URL is set)."""
    from contextlib import contextmanager

    from common.outbound import Outbound, RoutingServer
    from db.session import UnitOfWork
    from tests.routing_server import fake_router

    @contextmanager
    def start(kind: str = "osrm", mode: str = "ok", delay_s: float = 0.0, timeout_s: int = 5):  # type: ignore[no-untyped-def]
        with fake_router() as router:
            router.mode, router.delay_s = mode, delay_s
            outbound = Outbound(routing=RoutingServer(kind, router.url, timeout_s=timeout_s))
            yield router, lambda actor: UnitOfWork(session_factory, actor, outbound)

    return start


def field_errors(exc: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(exc.value.errors)


# ---- the seed ---------------------------------------------------------------------------


def test_the_real_places_are_seeded_with_their_kind_country_and_coordinates(uow, admin):
    rows = transport.export_places(uow(admin), admin, ListQuery())
    by_name = {r["name"]: r for r in rows}
    for name in ("Kigali", "Huye", "Musanze", "Rubavu", "Rusizi", "Nyagatare", "Kampala", "Goma", "Bukavu"):
        assert name in by_name
    assert by_name["Rusumo border"]["kind"] == "border_post"
    assert by_name["Gatuna-Katuna border"]["kind"] == "border_post"
    assert by_name["Dar es Salaam port"]["kind"] == "port" and by_name["Dar es Salaam port"]["country"] == "TZ"
    assert by_name["Mombasa port"]["country"] == "KE"
    assert {r["kind"] for r in rows if r["region"] == "Kigali City"} == {"town", "depot"}
    kigali = by_name["Kigali"]
    assert Decimal("-2.0") < kigali["latitude"] < Decimal("-1.9") and Decimal("30.0") < kigali["longitude"] < Decimal(
        "30.1"
    )
    assert by_name["Kampala"]["latitude"] > 0  # north of the equator


def test_the_main_routes_are_in_the_company_table_and_serve_both_ways(uow, admin):
    kigali, huye, kampala = (place_id(uow, n) for n in ("Kigali", "Huye", "Kampala"))
    there = transport.distance(uow(admin), kigali, huye)
    back = transport.distance(uow(admin), huye, kigali)
    assert there == back
    assert there.km == Decimal("135.0") and there.source == "table" and not there.is_estimate
    assert transport.distance(uow(admin), kampala, kigali).km == Decimal("510.0")
    dar = transport.distance(uow(admin), kigali, place_id(uow, "Dar es Salaam port"))
    assert Decimal(1400) < dar.km < Decimal(1550)


def test_a_seeded_road_is_never_shorter_than_the_straight_line(uow, admin):
    from core.places import great_circle_km

    with uow(None) as u:
        pairs = u.session.execute(select(Distance.from_place_id, Distance.to_place_id, Distance.km)).all()
    assert len(pairs) >= 25
    for a, b, km in pairs:
        assert km >= great_circle_km(point(uow, a), point(uow, b)), (a, b, km)


# ---- table, routing, estimate -------------------------------------------------------------


def test_a_pair_nobody_measured_is_estimated_from_the_great_circle_times_the_road_factor(uow, admin):
    huye, nyagatare = place_id(uow, "Huye"), place_id(uow, "Nyagatare")
    found = transport.distance(uow(admin), huye, nyagatare)
    assert found.source == "estimate" and found.is_estimate
    assert found == estimate(point(uow, huye), point(uow, nyagatare), Decimal("1.3"), Decimal(45))
    set_param(uow(admin), admin, "transport.road_factor", "1.6")
    longer = transport.distance(uow(admin), huye, nyagatare)
    assert (
        longer.km > found.km
        and longer.km == estimate(point(uow, huye), point(uow, nyagatare), Decimal("1.6"), Decimal(45)).km
    )
    with uow(None) as u:  # an estimate is worked out, never stored
        assert u.session.scalar(select(func.count()).select_from(Distance).where(Distance.source == "estimate")) == 0


def test_the_table_beats_the_routing_server_which_beats_the_estimate(uow, admin, routed):
    kigali, huye, nyagatare = (place_id(uow, n) for n in ("Kigali", "Huye", "Nyagatare"))
    with routed() as (router, ruow):
        assert transport.distance(ruow(admin), kigali, huye).source == "table"
        assert router.requests == []  # the table answered: the server was not asked
        routed_info = transport.distance(ruow(admin), huye, nyagatare)
        assert routed_info.source == "routing"
        assert len(router.requests) == 1 and router.requests[0].startswith("/route/v1/driving/")
        estimated = estimate(point(uow, huye), point(uow, nyagatare), Decimal("1.3"), Decimal(45))
        assert routed_info.km != estimated.km  # the server's road, not our estimate
        transport.set_distance(uow(admin), admin, DistanceInput(nyagatare, huye, "205", "5"))
        assert transport.distance(ruow(admin), huye, nyagatare).source == "table"  # the way back's table row
    assert transport.distance(uow(admin), huye, place_id(uow, "Goma")).source == "estimate"  # no server set


def test_a_routing_answer_is_cached_and_not_asked_again(uow, admin, routed):
    huye, rusumo = place_id(uow, "Huye"), place_id(uow, "Rusumo border")
    with routed() as (router, ruow):
        first = transport.distance(ruow(admin), huye, rusumo)
        again = transport.distance(ruow(admin), rusumo, huye)  # the way back: from the cache too
        assert len(router.requests) == 1
    assert first == again and first.source == "routing"
    with uow(None) as u:
        row = u.session.scalar(select(Distance).where(Distance.from_place_id == huye, Distance.to_place_id == rusumo))
        assert row.source == "routing" and row.fetched_at is not None and row.km == first.km
        logged = u.session.scalar(
            select(func.count()).select_from(ActivityLog).where(ActivityLog.entity_type == "distance")
        )
        assert logged == 0  # a cache is nobody's change
    # without the server, the cached answer still serves: nothing needs the internet
    assert transport.distance(uow(admin), huye, rusumo) == first


def test_the_route_planners_matrix_takes_one_table_request_and_says_where_each_cell_comes_from(uow, admin, routed):
    kigali, huye, kampala, goma = (place_id(uow, n) for n in ("Kigali", "Huye", "Kampala", "Goma"))
    stops = [kigali, huye, goma, kampala, kigali]  # a place may come twice
    with routed() as (router, ruow):
        grid = transport.matrix(ruow(admin), stops)
        assert [r.split("/")[1] for r in router.requests] == ["table"]
        assert transport.matrix(ruow(admin), stops) == grid  # now all cached or in the table
        assert len(router.requests) == 1
    source = {(a, b): grid.cells[i][j].source for i, a in enumerate(stops) for j, b in enumerate(stops)}
    assert source[(kigali, huye)] == "table" and source[(huye, kigali)] == "table"
    assert source[(huye, goma)] == "routing" and source[(goma, kampala)] == "routing"
    assert grid.cells[0][4].source == "same" and grid.cells[0][4].km == 0
    assert grid.km()[0][1] == Decimal("135.0") and not grid.has_estimates
    offline = transport.matrix(uow(admin), [huye, place_id(uow, "Cyanika border")])
    assert offline.cells[0][1].source == "estimate" and offline.has_estimates


@pytest.mark.parametrize("mode", ["error", "slow", "no_route"])
def test_a_routing_failure_is_logged_and_estimated_never_raised(uow, admin, routed, caplog, mode):
    huye, goma = place_id(uow, "Huye"), place_id(uow, "Goma")
    with routed(mode=mode, delay_s=2.5, timeout_s=1) as (router, ruow):
        found = transport.distance(ruow(admin), huye, goma)
        assert found == estimate(point(uow, huye), point(uow, goma), Decimal("1.3"), Decimal(45))
        grid = transport.matrix(ruow(admin), [huye, goma, place_id(uow, "Kampala")])
        assert all(c.source in ("estimate", "same") for row in grid.cells for c in row)
        if mode != "no_route":  # a server that failed is left alone for a while: one timeout, not one per pair
            assert len(router.requests) == 1
            assert any("routing server" in r.message and r.levelname == "WARNING" for r in caplog.records)
    with uow(None) as u:
        assert u.session.scalar(select(func.count()).select_from(Distance).where(Distance.source == "routing")) == 0


def test_a_routing_server_that_is_not_there_is_estimated(uow, admin, session_factory):
    from common.outbound import Outbound, RoutingServer
    from db.session import UnitOfWork

    nowhere = Outbound(routing=RoutingServer("osrm", "http://127.0.0.1:9", timeout_s=1))
    found = transport.distance(
        UnitOfWork(session_factory, admin, nowhere), place_id(uow, "Huye"), place_id(uow, "Goma")
    )
    assert found.source == "estimate"


def test_a_valhalla_server_answers_through_the_same_client_library(uow, admin, routed):
    huye, goma, kampala = (place_id(uow, n) for n in ("Huye", "Goma", "Kampala"))
    with routed(kind="valhalla") as (router, ruow):
        one = transport.distance(ruow(admin), huye, goma)
        grid = transport.matrix(ruow(admin), [huye, kampala, place_id(uow, "Bukavu")])
    assert one.source == "routing" and router.requests[0] == "/route"
    assert "/sources_to_targets" in router.requests
    assert grid.cells[0][1].source == "routing"


# ---- the company's table edited ---------------------------------------------------------


def test_a_table_row_takes_over_a_cached_answer_and_its_removal_falls_back(uow, admin, routed):
    huye, goma = place_id(uow, "Huye"), place_id(uow, "Goma")
    with routed() as (_, ruow):
        assert transport.distance(ruow(admin), huye, goma).source == "routing"
    row_id = transport.set_distance(uow(admin), admin, DistanceInput(huye, goma, "222", ""))
    info = transport.distance(uow(admin), huye, goma)
    assert info.source == "table" and info.km == Decimal("222.0")
    assert info.hours_estimated and info.hours == Decimal("4.93")  # 222 km at 45 km/h
    row = transport.get_distance(uow(admin), admin, row_id)
    transport.remove_distance(uow(admin), admin, row_id, expected_version=row["version"])
    assert transport.distance(uow(admin), huye, goma).source == "estimate"
    with uow(None) as u:
        actions = u.session.scalars(
            select(ActivityLog.action).where(ActivityLog.entity_type == "distance").order_by(ActivityLog.id)
        ).all()
    assert actions == ["update", "delete"]  # routing -> table, then removed


def test_a_different_way_back_has_its_own_row(uow, admin):
    kigali, rubavu = place_id(uow, "Kigali"), place_id(uow, "Rubavu")
    transport.set_distance(uow(admin), admin, DistanceInput(rubavu, kigali, "160", "4.5"))
    assert transport.distance(uow(admin), kigali, rubavu).km == Decimal("155.0")
    assert transport.distance(uow(admin), rubavu, kigali).km == Decimal("160.0")


def test_a_table_row_edited_from_an_old_form_is_refused(uow, admin):
    kigali, huye = place_id(uow, "Kigali"), place_id(uow, "Huye")
    dispatcher = make_user(uow, admin, "disp", DISPATCHER)
    rows = transport.list_distances(uow(admin), admin, ListQuery(filters=(("place", str(huye)),))).rows
    seeded = next(r for r in rows if {r["from_place_id"], r["to_place_id"]} == {kigali, huye})
    version = transport.get_distance(uow(admin), admin, seeded["id"])["version"]
    transport.set_distance(uow(dispatcher), dispatcher, DistanceInput(kigali, huye, "136", "3.3"), version)
    with pytest.raises(RecordChanged):
        transport.set_distance(uow(admin), admin, DistanceInput(kigali, huye, "140", "3.5"), version)
    assert transport.distance(uow(admin), kigali, huye).km == Decimal("136.0")


def test_forgetting_the_cache_keeps_the_company_table(uow, admin, routed):
    with routed() as (_, ruow):
        transport.matrix(ruow(admin), [place_id(uow, n) for n in ("Huye", "Goma", "Bukavu")])
    assert transport.forget_routing(uow(admin), admin) >= 3
    with uow(None) as u:
        assert {r for (r,) in u.session.execute(select(Distance.source).distinct())} == {"table"}


# ---- places -------------------------------------------------------------------------------


def test_a_place_is_added_edited_with_its_version_and_archived(uow, admin):
    pid = add_place(uow, admin, "Rwamagana", "-1.9487", "30.4347")
    place = transport.get_place(uow(admin), admin, pid)
    assert place["latitude"] == Decimal("-1.948700") and place["kind"] == "town"
    data = PlaceInput("Rwamagana", "town", "RW", "1°56′55″S", "30°26′05″E", region="Eastern Province")
    assert transport.update_place(uow(admin), admin, pid, data, expected_version=place["version"])
    with pytest.raises(RecordChanged):
        transport.update_place(uow(admin), admin, pid, data, expected_version=place["version"])
    moved = transport.get_place(uow(admin), admin, pid)
    assert moved["latitude"] == Decimal("-1.948611") and moved["region"] == "Eastern Province"
    transport.set_place_archived(uow(admin), admin, pid, True)
    assert pid not in dict(transport.place_choices(uow(admin), admin))
    assert pid in dict(transport.place_choices(uow(admin), admin, keep=(pid,)))
    assert transport.list_places(uow(admin), admin, ListQuery(search="rwamagana")).total == 0
    assert transport.list_places(uow(admin), admin, ListQuery(search="rwamagana", include_archived=True)).total == 1


def test_moving_a_place_drops_the_routing_answers_measured_from_where_it_was(uow, admin, routed):
    pid = add_place(uow, admin, "Client yard", "-1.95", "30.10", kind="client_site")
    huye = place_id(uow, "Huye")
    with routed() as (_, ruow):
        transport.distance(ruow(admin), pid, huye)
    place = transport.get_place(uow(admin), admin, pid)
    transport.update_place(
        uow(admin), admin, pid, PlaceInput("Client yard", "client_site", "RW", "-2.10", "30.20"), place["version"]
    )
    assert transport.distance(uow(admin), pid, huye).source == "estimate"


def test_a_client_site_belongs_to_a_client_and_no_other_kind_does(uow, admin):
    from core.services.crm import ClientInput, create_client

    client_id = create_client(uow(admin), admin, ClientInput(name="Inyange Industries", phone="0788 300 400"))
    site = transport.create_place(
        uow(admin),
        admin,
        PlaceInput("Inyange Masaka plant", "client_site", "RW", "-1.99", "30.20", client_id=client_id),
    )
    assert transport.get_place(uow(admin), admin, site)["client"].startswith("Inyange Industries")
    with pytest.raises(ValidationError) as exc:
        transport.create_place(
            uow(admin), admin, PlaceInput("Depot X", "depot", "RW", "-1.9", "30.1", client_id=client_id)
        )
    assert field_errors(exc) == {"client_id"}


def test_bad_places_are_refused_at_their_fields_and_nothing_is_saved(uow, admin):
    with uow(None) as u:
        before = u.session.scalar(select(func.count()).select_from(Place))
    with pytest.raises(ValidationError) as exc:
        transport.create_place(uow(admin), admin, PlaceInput("  ", "harbour", "Rwanda", "95", "200"))
    assert field_errors(exc) == {"name", "kind", "country", "latitude", "longitude"}
    with pytest.raises(ValidationError) as exc:
        transport.create_place(uow(admin), admin, PlaceInput("kigali", "town", "RW", "-1.9", "30.1"))
    assert field_errors(exc) == {"name"}
    add_place(uow, admin, "Kigali", "-1.9", "30.1", country="TZ")  # a name is unique per country only
    with pytest.raises(ValidationError) as exc:
        transport.create_place(uow(admin), admin, PlaceInput("Nowhere", "town", "RW", "-1.9 N", "30.1 N"))
    assert field_errors(exc) == {"latitude", "longitude"}
    with uow(None) as u:
        assert u.session.scalar(select(func.count()).select_from(Place)) == before + 1


def test_bad_distances_are_refused_at_their_fields(uow, admin):
    kigali, huye = place_id(uow, "Kigali"), place_id(uow, "Huye")
    cases = [
        (DistanceInput(kigali, huye, "-135", ""), {"km"}),
        (DistanceInput(kigali, huye, "0", ""), {"km"}),
        (DistanceInput(kigali, huye, "abc", "x"), {"km", "hours"}),
        (DistanceInput(kigali, kigali, "10", ""), {"to_place_id"}),
        (DistanceInput(None, huye, "10", ""), {"from_place_id"}),
        (DistanceInput(kigali, 999_999, "10", ""), {"to_place_id"}),
        (DistanceInput(kigali, huye, "135", "0.5"), {"hours"}),  # 270 km/h
    ]
    for data, fields in cases:
        with pytest.raises(ValidationError) as exc:
            transport.set_distance(uow(admin), admin, data)
        assert field_errors(exc) == fields, data
    with pytest.raises(ValidationError):
        transport.distance(uow(admin), kigali, kigali)
    with pytest.raises(NotFound):
        transport.distance(uow(admin), kigali, 999_999)
    assert transport.distance(uow(admin), kigali, huye).km == Decimal("135.0")


def test_who_may_edit_and_who_may_only_read(uow, admin):
    kigali, huye = place_id(uow, "Kigali"), place_id(uow, "Huye")
    accountant = make_user(uow, admin, "acc", ACCOUNTANT)
    keeper = make_user(uow, admin, "keeper", KEEPER)
    sales = make_user(uow, admin, "sales", SALES)
    assert transport.list_places(uow(accountant), accountant, ListQuery()).total > 20
    assert transport.distance(uow(accountant), kigali, huye).km == Decimal("135.0")
    with pytest.raises(PermissionDenied):
        transport.set_distance(uow(accountant), accountant, DistanceInput(kigali, huye, "1", ""))
    with pytest.raises(PermissionDenied):
        transport.distance(uow(keeper), kigali, huye)
    with pytest.raises(PermissionDenied):
        transport.list_places(uow(keeper), keeper, ListQuery())
    assert add_place(uow, sales, "Sales depot", "-1.9", "30.1", kind="depot")


def test_the_activity_log_names_a_place_and_a_distance_by_their_places(uow, admin):
    from core.services.records import describe_records

    huye, goma = place_id(uow, "Huye"), place_id(uow, "Goma")
    row_id = transport.set_distance(uow(admin), admin, DistanceInput(huye, goma, "290", "7.5"))
    refs = describe_records(uow(admin), admin, [("distance", str(row_id)), ("place", str(huye))])
    assert refs[("distance", str(row_id))].name == "Huye → Goma"
    assert refs[("distance", str(row_id))].opens == ("distance", row_id)
    assert refs[("place", str(huye))].name == "Huye" and refs[("place", str(huye))].opens == ("place", huye)
    keeper = make_user(uow, admin, "keeper2", KEEPER)
    assert describe_records(uow(keeper), keeper, [("distance", str(row_id))]) == {}  # not theirs to see


def test_the_route_planner_orders_stops_over_the_distances_of_the_table(uow, admin):
    import datetime as dt

    from core.route_plan import plan_route
    from core.route_stops import DROPOFF, PICKUP, RouteProblem, Stop
    from core.route_stops import Place as Start

    kigali, huye, musanze, rubavu = (place_id(uow, n) for n in ("Kigali", "Huye", "Musanze", "Rubavu"))
    stops = (
        Stop("p1", kigali, PICKUP, "o1"),
        Stop("d1", rubavu, DROPOFF, "o1"),
        Stop("p2", kigali, PICKUP, "o2"),
        Stop("d2", musanze, DROPOFF, "o2"),
    )
    grid = transport.route_matrix(uow(admin), [kigali, huye, musanze, rubavu])
    assert grid.leg(musanze, kigali).km == Decimal("95.0") and grid.leg(musanze, kigali).source == "table"
    assert grid.leg(huye, rubavu).source == "estimate"
    departure = dt.datetime(2026, 12, 7, 6, 0, tzinfo=dt.UTC)
    plan = plan_route(RouteProblem(Start(kigali, "Kigali"), stops, grid, departure))
    assert [s.place_id for s in plan.stops][-2:] == [musanze, rubavu]  # Musanze is on the way to Rubavu
    assert plan.total_km == Decimal("157.0")  # Kigali-Musanze 95 + Musanze-Rubavu 62, from the table
