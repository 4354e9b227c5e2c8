"""An expired or expiring document is renewed, not only archived (issue 12, item 8): a new
document of its type for the same unit or driver, with the dates that follow the old one;
the old one stays as history, marked replaced, and no longer counts."""

from __future__ import annotations

import datetime as dt

import pytest

from common.errors import NotFound, ValidationError
from core.services import fleet
from core.services.fleet import DocumentInput
from tests.clock import TODAY
from tests.integration.test_fleet import doc_type, make_driver, tractor


def documents(uow, actor, **owner):
    return fleet.list_documents(uow(actor), actor, today=TODAY, **owner)


def test_an_expired_document_is_renewed_with_the_dates_that_follow_it_and_stays_as_history(uow, admin, session_factory):
    unit = tractor(uow, admin)
    insurance = doc_type(session_factory, "Insurance", "vehicle")
    ends = TODAY - dt.timedelta(days=3)
    starts = ends.replace(year=ends.year - 1) + dt.timedelta(days=1)
    old = fleet.save_document(
        uow(admin),
        admin,
        DocumentInput(type_id=insurance, valid_from=starts, valid_to=ends, number="SON-1", issuer="SONARWA"),
        vehicle_id=unit,
    )
    [shown] = documents(uow, admin, vehicle_id=unit)
    assert shown["status"] == "expired" and not shown["replaced"]
    # the renewal is offered from the day after the old one ends, for the same length
    assert shown["renew_from"] == ends + dt.timedelta(days=1)
    assert shown["renew_to"] == ends.replace(year=ends.year + 1)
    assert fleet.documents_state(uow(admin), admin, vehicle_id=unit, today=TODAY) == "expired"

    new = fleet.renew_document(
        uow(admin),
        admin,
        old,
        DocumentInput(
            type_id=None,  # the type is the old one's
            valid_from=shown["renew_from"],
            valid_to=shown["renew_to"],
            number="SON-2",
            issuer="SONARWA",
        ),
    )
    by_id = {d["id"]: d for d in documents(uow, admin, vehicle_id=unit)}
    assert set(by_id) == {old, new}  # the old one stays
    assert by_id[old]["replaced"] and by_id[old]["number"] == "SON-1"
    assert not by_id[new]["replaced"] and by_id[new]["type_id"] == insurance and by_id[new]["number"] == "SON-2"
    assert by_id[new]["status"] == "valid"
    assert fleet.documents_state(uow(admin), admin, vehicle_id=unit, today=TODAY) == "valid"


def test_a_renewal_must_end_after_the_document_it_renews(uow, admin, session_factory):
    unit = tractor(uow, admin)
    inspection = doc_type(session_factory, "Technical inspection", "vehicle")
    ends = TODAY + dt.timedelta(days=5)  # expiring
    old = fleet.save_document(uow(admin), admin, DocumentInput(type_id=inspection, valid_to=ends), vehicle_id=unit)
    with pytest.raises(ValidationError) as err:
        fleet.renew_document(uow(admin), admin, old, DocumentInput(type_id=inspection, valid_to=ends))
    assert set(err.value.errors) == {"valid_to"}
    with pytest.raises(ValidationError) as err:
        fleet.renew_document(uow(admin), admin, old, DocumentInput(type_id=inspection, valid_to=None, valid_from=TODAY))
    assert set(err.value.errors) == {"valid_to"}
    assert len(documents(uow, admin, vehicle_id=unit)) == 1  # nothing saved


def test_a_drivers_document_is_renewed_for_the_driver(uow, admin, session_factory):
    driver = make_driver(uow, admin)
    medical = doc_type(session_factory, "Medical certificate", "driver")
    old = fleet.save_document(
        uow(admin), admin, DocumentInput(type_id=medical, valid_to=TODAY - dt.timedelta(days=1)), employee_id=driver
    )
    [shown] = documents(uow, admin, employee_id=driver)
    assert shown["renew_from"] == TODAY  # no start known: a year from the day after it ended
    assert shown["renew_to"] == TODAY.replace(year=TODAY.year + 1) - dt.timedelta(days=1)
    fleet.renew_document(uow(admin), admin, old, DocumentInput(type_id=medical, valid_to=shown["renew_to"]))
    assert [d["replaced"] for d in documents(uow, admin, employee_id=driver)] == [False, True]


def test_an_archived_document_cannot_be_renewed(uow, admin, session_factory):
    unit = tractor(uow, admin)
    insurance = doc_type(session_factory, "Insurance", "vehicle")
    old = fleet.save_document(uow(admin), admin, DocumentInput(type_id=insurance, valid_to=TODAY), vehicle_id=unit)
    fleet.archive_document(uow(admin), admin, old)
    with pytest.raises(NotFound):
        fleet.renew_document(
            uow(admin), admin, old, DocumentInput(type_id=insurance, valid_to=TODAY + dt.timedelta(days=365))
        )
