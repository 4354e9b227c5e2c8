from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from common.errors import PermissionDenied, ValidationError
from common.i18n import format_date
from core.fleet import document_status, expiry_threshold, worst_document_status
from core.services import fleet
from core.services.employees import EmployeeInput, create_employee
from core.services.fleet import DocumentInput, DriverInput, PartLine, RepairInput, UnitInput
from core.services.listing import ListQuery
from core.services.settings import company_today, get_param
from db.models.fleet import Document, DocumentType
from db.models.notify import EmailOutbox, Notification
from tests.clock import TODAY
from tests.integration.conftest import make_user


def tractor(uow, actor, plate="RAB 123 A", km=None, **kw):
    unit_type = kw.pop("unit_type", "tractor")
    return fleet.create_unit(uow(actor), actor, UnitInput(unit_type=unit_type, plate=plate, **kw), odometer_km=km)


def trailer(uow, actor, plate="RL 4567", payload_kg=30000):
    return fleet.create_unit(uow(actor), actor, UnitInput(unit_type="trailer", plate=plate, payload_kg=payload_kg))


def doc_type(session_factory, name, applies_to):
    with session_factory() as s:
        return s.scalar(select(DocumentType.id).where(DocumentType.name == name, DocumentType.applies_to == applies_to))


def give_required_docs(uow, actor, session_factory, unit_id, kind, until):
    with session_factory() as s:
        ids = s.scalars(
            select(DocumentType.id).where(DocumentType.applies_to == kind, DocumentType.required_for_dispatch)
        ).all()
    for type_id in ids:
        fleet.save_document(
            uow(actor), actor, DocumentInput(type_id=type_id, valid_to=until, number="X1"), vehicle_id=unit_id
        )


def make_driver(uow, actor, name="Eric Habimana", categories="B, C, CE", valid_to=None, number="RW123456"):
    eid = create_employee(uow(actor), actor, EmployeeInput(full_name=name))
    fleet.save_driver(
        uow(actor),
        actor,
        eid,
        DriverInput(
            licence_number=number,
            licence_categories=categories,
            licence_valid_to=valid_to or TODAY + dt.timedelta(days=800),
            medical_status="fit",
        ),
    )
    return eid


def test_duplicate_plate_and_vin_are_refused_at_the_field(uow, admin):
    tractor(uow, admin, "RAB 123 A", vin="YV2RT40A8KA123456")
    with pytest.raises(ValidationError) as err:
        tractor(uow, admin, "rab123a", vin="yv2rt40a8ka123456")
    assert set(err.value.errors) == {"plate", "vin"}


def test_bad_fields_are_refused_and_nothing_is_saved(uow, admin):
    with pytest.raises(ValidationError) as err:
        fleet.create_unit(
            uow(admin),
            admin,
            UnitInput(unit_type="truck", plate="R!", vin="123", payload_kg=-5, required_licence="Z", year=1800),
        )
    assert set(err.value.errors) == {"plate", "vin", "payload_kg", "required_licence", "year"}
    assert fleet.list_units(uow(admin), admin, "vehicle", ListQuery()).total == 0


def test_trailers_and_vehicles_are_separate_lists(uow, admin):
    tractor(uow, admin)
    trailer(uow, admin)
    assert [r["plate"] for r in fleet.list_units(uow(admin), admin, "vehicle", ListQuery()).rows] == ["RAB 123 A"]
    assert [r["plate"] for r in fleet.list_units(uow(admin), admin, "trailer", ListQuery()).rows] == ["RL 4567"]


def test_odometer_never_goes_backwards_and_back_dated_readings_must_fit(uow, admin):
    unit = tractor(uow, admin)
    now = dt.datetime.now(dt.UTC)
    fleet.add_reading(uow(admin), admin, unit, 100_000, now - dt.timedelta(days=10))
    fleet.add_reading(uow(admin), admin, unit, 101_000, now - dt.timedelta(days=2))
    with pytest.raises(ValidationError) as err:
        fleet.add_reading(uow(admin), admin, unit, 99_000, now)
    assert "below" in err.value.errors["km"][0]
    with pytest.raises(ValidationError):
        fleet.add_reading(uow(admin), admin, unit, 102_000, now - dt.timedelta(days=5))
    fleet.add_reading(uow(admin), admin, unit, 100_500, now - dt.timedelta(days=5))
    assert fleet.get_unit(uow(admin), admin, unit)["odometer_km"] == 101_000


def test_coupling_moves_a_trailer_and_keeps_the_history(uow, admin):
    t1, t2 = tractor(uow, admin, "RAB 001 A"), tractor(uow, admin, "RAB 002 A")
    tr = trailer(uow, admin)
    fleet.couple(uow(admin), admin, t1, tr)
    fleet.couple(uow(admin), admin, t2, tr)
    assert fleet.current_partner(uow(admin), admin, tr) == t2
    assert fleet.current_partner(uow(admin), admin, t1) is None
    history = fleet.list_couplings(uow(admin), admin, tr)
    assert [h["tractor"] for h in history] == ["RAB 002 A", "RAB 001 A"]
    assert history[1]["uncoupled_at"] is not None


def test_a_repair_on_a_plan_logs_the_odometer_and_restarts_the_plan(uow, admin):
    unit = tractor(uow, admin, km=100_000)
    plan = fleet.add_plan(uow(admin), admin, unit, "Oil change", 15000, 6, TODAY - dt.timedelta(days=200), 85_000)
    assert fleet.list_plans(uow(admin), admin, unit)[0]["state"] == "overdue"
    fleet.add_repair(
        uow(admin),
        admin,
        unit,
        RepairInput(
            work_date=TODAY,
            work_done="Oil and filters",
            odometer_km=100_200,
            labour_cost="20000",
            plan_id=plan,
            parts=[PartLine("Engine oil 15W-40", "38", "4500"), PartLine("Oil filter", "2", "15000")],
        ),
    )
    repair = fleet.list_repairs(uow(admin), admin, unit)[0]
    assert repair["parts_cost"] == 38 * 4500 + 2 * 15000 and repair["total_cost"] == repair["parts_cost"] + 20000
    plans = fleet.list_plans(uow(admin), admin, unit)
    assert plans[0]["state"] == "ok" and plans[0]["next_km"] == 115_200
    assert fleet.get_unit(uow(admin), admin, unit)["odometer_km"] == 100_200


def test_valid_to_before_valid_from_is_refused(uow, admin, session_factory):
    unit = tractor(uow, admin)
    insurance = doc_type(session_factory, "Insurance", "vehicle")
    with pytest.raises(ValidationError) as err:
        fleet.save_document(
            uow(admin),
            admin,
            DocumentInput(type_id=insurance, valid_from=TODAY, valid_to=TODAY - dt.timedelta(days=1)),
            vehicle_id=unit,
        )
    assert "valid_to" in err.value.errors


def test_a_driver_document_type_cannot_go_on_a_vehicle(uow, admin, session_factory):
    unit = tractor(uow, admin)
    medical = doc_type(session_factory, "Medical certificate", "driver")
    with pytest.raises(ValidationError) as err:
        fleet.save_document(uow(admin), admin, DocumentInput(type_id=medical, valid_to=TODAY), vehicle_id=unit)
    assert "type_id" in err.value.errors


def test_unknown_licence_category_and_duplicate_licence_are_refused(uow, admin):
    make_driver(uow, admin)
    other = create_employee(uow(admin), admin, EmployeeInput(full_name="Jean Claude Mugisha"))
    with pytest.raises(ValidationError) as err:
        fleet.save_driver(
            uow(admin),
            admin,
            other,
            DriverInput(licence_number="rw 123456", licence_categories="B, Q", licence_valid_to=TODAY),
        )
    assert set(err.value.errors) == {"licence_number", "licence_categories"}


def test_compliance_check_refuses_a_driver_whose_licence_expired(uow, admin, session_factory):
    unit = tractor(uow, admin)
    tr = trailer(uow, admin)
    until = TODAY + dt.timedelta(days=200)
    give_required_docs(uow, admin, session_factory, unit, "vehicle", until)
    give_required_docs(uow, admin, session_factory, tr, "trailer", until)
    good = make_driver(uow, admin)
    medical = doc_type(session_factory, "Medical certificate", "driver")
    fleet.save_document(uow(admin), admin, DocumentInput(type_id=medical, valid_to=until), employee_id=good)
    assert fleet.check_dispatch(uow(admin), admin, unit, tr, good, TODAY, TODAY + dt.timedelta(days=2)) == []
    expired = make_driver(uow, admin, "Patrick Nshimiyimana", number="RW999", valid_to=TODAY - dt.timedelta(days=3))
    fleet.save_document(uow(admin), admin, DocumentInput(type_id=medical, valid_to=until), employee_id=expired)
    problems = fleet.check_dispatch(uow(admin), admin, unit, tr, expired, TODAY, TODAY + dt.timedelta(days=2))
    assert [p.code for p in problems] == ["licence_expired"]
    assert problems[0].params["name"] == "Patrick Nshimiyimana"


def test_documents_due_lists_only_the_newest_document_of_each_type(uow, admin, session_factory):
    unit = tractor(uow, admin)
    insurance = doc_type(session_factory, "Insurance", "vehicle")
    fleet.save_document(
        uow(admin), admin, DocumentInput(type_id=insurance, valid_to=TODAY - dt.timedelta(days=5)), vehicle_id=unit
    )
    page = fleet.documents_due(uow(admin), admin, 30, ListQuery())
    assert [(r["owner"], r["type"], r["status"]) for r in page.rows] == [("RAB 123 A", "Insurance", "expired")]
    fleet.save_document(
        uow(admin), admin, DocumentInput(type_id=insurance, valid_to=TODAY + dt.timedelta(days=365)), vehicle_id=unit
    )
    assert fleet.documents_due(uow(admin), admin, 30, ListQuery()).total == 0


def test_the_expiry_scan_notifies_once_per_threshold_and_escalates_expired(uow, admin, session_factory):
    dispatcher = make_user(uow, admin, "disp", "dispatcher", email="disp@example.rw")
    director = make_user(uow, admin, "boss", "director")
    unit = tractor(uow, admin)
    insurance = doc_type(session_factory, "Insurance", "vehicle")
    fleet.save_document(
        uow(admin), admin, DocumentInput(type_id=insurance, valid_to=TODAY + dt.timedelta(days=10)), vehicle_id=unit
    )

    def scan(day):
        return fleet.expiry_scan(uow(), day)

    first = scan(TODAY)
    assert (first.notices, first.emails) == (1, 1)  # the dispatcher, threshold 14
    assert scan(TODAY).notices == 0  # a second run (or a second worker) sends nothing
    assert scan(TODAY + dt.timedelta(days=4)).notices == 1  # 6 days left: threshold 7
    expired = scan(TODAY + dt.timedelta(days=11))
    assert expired.notices == 2  # dispatcher and, for a required document, the director
    end = TODAY + dt.timedelta(days=10)
    (notice,) = fleet_inbox(uow, director)
    assert notice["title"] == f"Insurance of RAB 123 A expired on {format_date(end, 'en')}"
    assert (notice["entity_type"], notice["entity_id"]) == ("vehicle", unit)  # the record a click opens
    rw = fleet_inbox(uow, replace(director, lang="rw"))[0]
    assert rw["title"].endswith(format_date(end, "rw")) and "expired" not in rw["title"]
    # one open notice per reader and document: each threshold updated the dispatcher's
    (kept,) = fleet_inbox(uow, dispatcher)
    assert kept["times"] == 3 and kept["kind"] == "document_expired" and kept["resolved_at"] is None
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(EmailOutbox)) == 3  # each threshold is e-mailed
    # renewed: the next scan resolves the notices on the old one, and reminds of nothing
    fleet.save_document(
        uow(admin), admin, DocumentInput(type_id=insurance, valid_to=TODAY + dt.timedelta(days=400)), vehicle_id=unit
    )
    assert scan(TODAY + dt.timedelta(days=12)).notices == 0
    assert [n["resolved_at"] is not None for n in fleet_inbox(uow, dispatcher) + fleet_inbox(uow, director)] == [
        True,
        True,
    ]


def fleet_inbox(uow, actor):
    from core.services.notifications import list_inbox

    return list_inbox(uow(actor), actor, ListQuery()).rows


def test_only_fleet_roles_may_edit_the_fleet(uow, admin):
    seller = make_user(uow, admin, "seller", "sales_manager")
    accountant = make_user(uow, admin, "acc", "accountant")
    with pytest.raises(PermissionDenied):
        fleet.list_units(uow(seller), seller, "vehicle", ListQuery())
    fleet.list_units(uow(accountant), accountant, "vehicle", ListQuery())
    with pytest.raises(PermissionDenied):
        tractor(uow, accountant)


def test_the_documents_due_list_and_the_status_rule_agree_around_today_and_the_horizon(uow, admin, session_factory):
    """documents_due selects in SQL (for paging); what it lists, and the status it shows, is
    what `document_status` says with the list's horizon as the warning."""
    insurance = doc_type(session_factory, "Insurance", "vehicle")
    ends = {}
    for offset in range(-3, 34):
        unit = tractor(uow, admin, f"RAB {500 + offset} C")
        ends[f"RAB {500 + offset} C"] = TODAY + dt.timedelta(days=offset)
        fleet.save_document(
            uow(admin), admin, DocumentInput(type_id=insurance, valid_to=ends[f"RAB {500 + offset} C"]), vehicle_id=unit
        )
    for within in (0, 1, 7, 14, 30):
        page = fleet.documents_due(uow(admin), admin, within, ListQuery(page_size=500), today=TODAY)
        listed = {r["owner"]: r["status"] for r in page.rows if r["kind"] == "vehicle"}
        expected = {
            plate: document_status(end, TODAY, within)
            for plate, end in ends.items()
            if document_status(end, TODAY, within) != "valid"
        }
        assert listed == expected, within


def test_the_unit_list_and_a_units_card_agree_on_its_documents_state(uow, admin, session_factory):
    """The unit list works the documents' state out in SQL (to page and sort); a unit's card
    works it out in Python from its documents; both are `worst_document_status`."""
    warn = fleet.warn_days(uow(admin), admin)
    with session_factory() as s:
        today = company_today(s)
    insurance = doc_type(session_factory, "Insurance", "vehicle")
    inspection = doc_type(session_factory, "Technical inspection", "vehicle")
    cases: dict[str, list[tuple[int, int]]] = {"RAB 700 D": []}  # no documents at all
    for i, offset in enumerate([-2, -1, 0, 1, warn - 1, warn, warn + 1, warn + 2]):
        cases[f"RAB {710 + i} D"] = [(insurance, offset)]
        cases[f"RAB {730 + i} D"] = [(insurance, offset - 400), (insurance, offset), (inspection, warn + 5)]
        cases[f"RAB {750 + i} D"] = [(insurance, offset), (inspection, offset + 1)]
    for plate, docs in cases.items():
        unit = tractor(uow, admin, plate)
        for type_id, offset in docs:
            fleet.save_document(
                uow(admin),
                admin,
                DocumentInput(type_id=type_id, valid_to=today + dt.timedelta(days=offset)),
                vehicle_id=unit,
            )
    rows = fleet.list_units(uow(admin), admin, "vehicle", ListQuery(page_size=500)).rows
    assert len(rows) == len(cases)
    for row in rows:
        pairs = [(t, today + dt.timedelta(days=o)) for t, o in cases[row["plate"]]]
        expected = worst_document_status(pairs, today, warn)
        assert row["documents_state"] == expected, row["plate"]
        assert fleet.documents_state(uow(admin), admin, vehicle_id=row["id"]) == expected, row["plate"]


def test_the_expiry_scan_and_the_threshold_rule_agree_around_the_reminder_leads(uow, admin, session_factory):
    """The scan decides in one SQL statement; the thresholds it notifies are `expiry_threshold`'s
    (-1 exactly when `document_status` says expired)."""
    dispatcher = make_user(uow, admin, "disp", "dispatcher")
    insurance = doc_type(session_factory, "Insurance", "vehicle")
    ends = {}
    for offset in range(-3, 34):
        unit = tractor(uow, admin, f"RAB {600 + offset} E")
        ends[unit] = TODAY + dt.timedelta(days=offset)
        fleet.save_document(uow(admin), admin, DocumentInput(type_id=insurance, valid_to=ends[unit]), vehicle_id=unit)
    fleet.expiry_scan(uow(), TODAY)
    with session_factory() as s:
        leads = get_param(s, "reminders.lead_days")
        keys = s.scalars(select(Notification.dedupe_key).where(Notification.user_id == dispatcher.user_id)).all()
        owners = dict(s.execute(select(Document.id, Document.vehicle_id)).tuples().all())
    assert isinstance(leads, tuple)
    notified = {owners[int(k.split(":")[1])]: int(k.split(":")[3]) for k in keys}
    expected = {u: expiry_threshold(end, TODAY, leads) for u, end in ends.items()}
    assert notified == {u: th for u, th in expected.items() if th is not None}
    assert all((th == -1) == (document_status(ends[u], TODAY, 0) == "expired") for u, th in notified.items())
