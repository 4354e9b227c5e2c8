"""No lost update: two people open one record, the first saves, the second's save is refused
with who changed it and when, and nothing of it is written (issue 11, item 4)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from common.errors import RecordChanged
from core.services import crm, employees, fleet
from core.services.crm import ClientInput
from core.services.employees import EmployeeInput
from core.services.fleet import UnitInput
from db.models.audit import ActivityLog
from db.models.auth import User
from db.models.hr import Employee
from tests.integration.conftest import make_user

KIGALI = ZoneInfo("Africa/Kigali")


def log_rows(session_factory, entity_type: str, entity_id: int) -> list[ActivityLog]:
    with session_factory() as s:
        return list(
            s.scalars(
                select(ActivityLog)
                .where(ActivityLog.entity_type == entity_type, ActivityLog.entity_id == str(entity_id))
                .order_by(ActivityLog.id)
            )
        )


def refusal_names(exc: RecordChanged, who: str, row: ActivityLog) -> None:
    assert exc.message == RecordChanged.CHANGED_BY
    assert exc.params["who"] == who
    assert exc.params["when"] == row.at.astimezone(KIGALI).strftime("%H:%M")


@pytest.fixture
def clerk(uow, admin):
    return make_user(uow, admin, "clerk", "administrator")


def test_the_second_of_two_employee_saves_is_refused_and_the_first_change_stays(uow, admin, clerk, session_factory):
    eid = employees.create_employee(uow(admin), admin, EmployeeInput(full_name="Jean Bosco Habimana"))
    first = employees.get_employee(uow(admin), admin, eid)  # Alice opens the card
    second = employees.get_employee(uow(clerk), clerk, eid)  # and so does the clerk
    assert first["version"] == second["version"] == 1

    employees.update_employee(
        uow(admin), admin, eid, EmployeeInput(full_name="Jean Bosco Habimana", phone="0788123456"), expected_version=1
    )
    with pytest.raises(RecordChanged) as refused:
        employees.update_employee(
            uow(clerk), clerk, eid, EmployeeInput(full_name="J. B. Habimana"), expected_version=second["version"]
        )

    now = employees.get_employee(uow(admin), admin, eid)
    assert (now["full_name"], now["phone"], now["version"]) == ("Jean Bosco Habimana", "+250 788 123 456", 2)
    rows = log_rows(session_factory, "employee", eid)
    assert [(r.action, r.username) for r in rows] == [("create", "admin"), ("update", "admin")]
    assert set(rows[1].changes) == {"phone"}  # the counter is bookkeeping, not a change anybody made
    refusal_names(refused.value, "Alice Uwase", rows[1])
    assert "Alice Uwase" in str(refused.value) and "nothing was saved" in str(refused.value)


def test_a_save_with_the_current_version_works_and_raises_the_version(uow, admin):
    eid = employees.create_employee(uow(admin), admin, EmployeeInput(full_name="Aline Mukamana"))
    for version in (1, 2, 3):
        employees.update_employee(
            uow(admin), admin, eid, EmployeeInput(full_name=f"Aline Mukamana {version}"), expected_version=version
        )
        assert employees.get_employee(uow(admin), admin, eid)["version"] == version + 1


def test_a_save_that_changes_nothing_keeps_the_version(uow, admin):
    eid = employees.create_employee(uow(admin), admin, EmployeeInput(full_name="Aline Mukamana"))
    assert not employees.update_employee(uow(admin), admin, eid, EmployeeInput(full_name="Aline Mukamana"), None, 1)
    assert employees.get_employee(uow(admin), admin, eid)["version"] == 1


def test_code_that_is_not_a_form_passes_no_version_and_is_not_checked(uow, admin):
    eid = employees.create_employee(uow(admin), admin, EmployeeInput(full_name="Aline Mukamana"))
    employees.update_employee(uow(admin), admin, eid, EmployeeInput(full_name="Aline M."))
    employees.update_employee(uow(admin), admin, eid, EmployeeInput(full_name="Aline Mukamana"))
    assert employees.get_employee(uow(admin), admin, eid)["version"] == 3


def test_the_second_of_two_client_saves_is_refused_and_the_first_change_stays(uow, admin, clerk, session_factory):
    cid = crm.create_client(uow(admin), admin, ClientInput(name="Inyange Industries", region="Kigali"))
    opened = crm.get_client(uow(clerk), clerk, cid)["version"]
    crm.update_client(
        uow(admin), admin, cid, ClientInput(name="Inyange Industries", region="Musanze"), expected_version=opened
    )
    with pytest.raises(RecordChanged) as refused:
        crm.update_client(
            uow(clerk), clerk, cid, ClientInput(name="Inyange Industries Ltd", region="Kigali"), expected_version=opened
        )
    now = crm.get_client(uow(admin), admin, cid)
    assert (now["name"], now["region"], now["version"]) == ("Inyange Industries", "Musanze", opened + 1)
    rows = log_rows(session_factory, "client", cid)
    assert [(r.action, r.username) for r in rows] == [("create", "admin"), ("update", "admin")]
    refusal_names(refused.value, "Alice Uwase", rows[-1])
    crm.update_client(uow(clerk), clerk, cid, ClientInput(name="Inyange Industries Ltd"), expected_version=opened + 1)
    assert crm.get_client(uow(admin), admin, cid)["version"] == opened + 2


def test_the_second_of_two_vehicle_saves_is_refused_and_the_first_change_stays(uow, admin, clerk, session_factory):
    vid = fleet.create_unit(uow(admin), admin, UnitInput(unit_type="truck", plate="RAB 123 A", make="Volvo"))
    opened = fleet.get_unit(uow(clerk), clerk, vid)["version"]
    fleet.update_unit(
        uow(clerk), clerk, vid, UnitInput(unit_type="truck", plate="RAB 123 A", make="Scania"), expected_version=opened
    )
    with pytest.raises(RecordChanged) as refused:
        fleet.update_unit(
            uow(admin), admin, vid, UnitInput(unit_type="truck", plate="RAB 123 A", model="FH16"), None, opened
        )
    now = fleet.get_unit(uow(admin), admin, vid)
    assert (now["make"], now["model"], now["version"]) == ("Scania", None, opened + 1)
    rows = log_rows(session_factory, "vehicle", vid)
    assert [(r.action, r.username) for r in rows] == [("create", "admin"), ("update", "clerk")]
    refusal_names(refused.value, "Clerk Test", rows[-1])


def test_two_flushes_of_one_row_at_once_are_caught_by_the_version_column(uow, admin, clerk):
    """Without a form's version (or a lock), the ORM's version_id_col still refuses the later
    of two writers that loaded the same version: the UPDATE finds no row at that version."""
    eid = employees.create_employee(uow(admin), admin, EmployeeInput(full_name="Aline Mukamana"))
    late = uow(clerk)
    with pytest.raises(RecordChanged) as refused, late:
        stale = late.session.get(Employee, eid)  # loaded at version 1, no lock
        assert stale is not None
        employees.update_employee(uow(admin), admin, eid, EmployeeInput(full_name="Aline M."))
        stale.notes = "late change"
        late.commit()
    assert refused.value.message == RecordChanged.AT_ONCE
    # (in these tests every unit of work is a savepoint of one connection, so the late one's
    # rollback takes the other's save with it; on a server each keeps its own transaction)
    assert employees.get_employee(uow(admin), admin, eid)["notes"] == ""


def test_a_login_time_is_bookkeeping_and_does_not_change_the_version(uow, admin):
    with uow(admin) as work:
        user = work.session.get(User, admin.user_id)
        assert user is not None
        before = user.version
        user.last_login_at = user.created_at
        work.commit()
    with uow(admin) as work:
        user = work.session.get(User, admin.user_id)
        assert user is not None and user.version == before
