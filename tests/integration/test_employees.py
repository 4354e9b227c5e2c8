from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from common.errors import PermissionDenied, ValidationError
from core.services import attachments, employees, staff_catalogs
from core.services.activity import history, list_activity
from core.services.employees import EmployeeInput
from core.services.listing import ListQuery
from db.models.audit import ActivityLog
from db.models.hr import Employee
from tests.integration.conftest import make_user

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def entry(uow, actor, kind: str, name: str) -> int:
    """The catalog entry of this name, added the first time it is asked for."""
    found = [e["id"] for e in staff_catalogs.list_entries(uow(actor), actor, kind) if e["name"] == name]
    return found[0] if found else staff_catalogs.save_entry(uow(actor), actor, kind, name)


def make_employee(uow, actor, name="Jean Bosco Habimana", **kw):
    position = entry(uow, actor, "position", kw.pop("position", "Driver"))
    department = entry(uow, actor, "department", kw.pop("department", "Transport"))
    data = EmployeeInput(full_name=name, position_id=position, department_id=department, **kw)
    return employees.create_employee(uow(actor), actor, data)


def test_new_employee_gets_a_code_and_a_normalised_phone(uow, admin):
    eid = make_employee(uow, admin, phone="0788123456", email="JB@Example.RW")
    e = employees.get_employee(uow(admin), admin, eid)
    assert e["code"].startswith("E") and e["phone"] == "+250 788 123 456"
    assert e["email"] == "JB@example.rw"


def test_invalid_fields_are_reported_per_field_and_nothing_is_saved(uow, admin, session_factory):
    with pytest.raises(ValidationError) as err:
        employees.create_employee(uow(admin), admin, EmployeeInput(full_name="  ", phone="12", email="x@"))
    assert set(err.value.errors) == {"full_name", "phone", "email"}
    with session_factory() as s:
        assert s.scalar(select(Employee.id)) is None


def test_creating_and_editing_an_employee_is_logged_with_before_and_after(uow, admin):
    eid = make_employee(uow, admin)
    driver, senior = entry(uow, admin, "position", "Driver"), entry(uow, admin, "position", "Senior driver")
    transport = entry(uow, admin, "department", "Transport")
    employees.update_employee(
        uow(admin),
        admin,
        eid,
        EmployeeInput(full_name="Jean Bosco Habimana", position_id=senior, department_id=transport),
    )
    rows = history(uow(admin), admin, "employee", eid)
    assert [r["action"] for r in rows] == ["update", "create"]
    assert rows[0]["changes"]["position_id"] == {"before": driver, "after": senior}
    assert rows[0]["username"] == "admin"
    assert rows[1]["changes"]["after"]["full_name"] == "Jean Bosco Habimana"


def test_archiving_hides_from_the_list_and_is_logged_as_archive(uow, admin):
    eid = make_employee(uow, admin)
    employees.set_archived(uow(admin), admin, eid, True)
    page = employees.list_employees(uow(admin), admin, ListQuery())
    assert eid not in [r["id"] for r in page.rows]
    page = employees.list_employees(uow(admin), admin, ListQuery(include_archived=True))
    assert eid in [r["id"] for r in page.rows]
    actions = list_activity(uow(admin), admin, ListQuery(filters=(("entity_type", "employee"),))).rows
    assert "archive" in [r["action"] for r in actions]


def test_search_filter_sort_and_paging_happen_in_sql(uow, admin):
    for i in range(25):
        make_employee(uow, admin, name=f"Person {i:02d} Mugisha", department="Garage" if i % 2 else "Office")
    make_employee(uow, admin, name="Claudine Uwimana", department="Office")
    page = employees.list_employees(uow(admin), admin, ListQuery(search="uwiman"))
    assert [r["full_name"] for r in page.rows] == ["Claudine Uwimana"]
    garage = entry(uow, admin, "department", "Garage")
    q = ListQuery(filters=(("department", str(garage)),), sort="full_name", descending=True, page=2, page_size=5)
    page = employees.list_employees(uow(admin), admin, q)
    assert page.total == 12 and page.pages == 3 and len(page.rows) == 5
    assert page.rows[0]["full_name"] == "Person 13 Mugisha"
    assert all(r["department"] == "Garage" for r in page.rows)


def test_search_treats_percent_and_underscore_literally(uow, admin):
    make_employee(uow, admin, name="Alpha Beta")
    assert employees.list_employees(uow(admin), admin, ListQuery(search="%")).total == 0
    assert employees.list_employees(uow(admin), admin, ListQuery(search="_")).total == 0


def test_a_sales_manager_cannot_see_employees(uow, admin):
    sales = make_user(uow, admin, "seller", "sales_manager")
    with pytest.raises(PermissionDenied):
        employees.list_employees(uow(sales), sales, ListQuery())


def test_dispatcher_sees_but_cannot_edit_employees(uow, admin):
    eid = make_employee(uow, admin)
    disp = make_user(uow, admin, "disp", "dispatcher")
    assert employees.get_employee(uow(disp), disp, eid)["id"] == eid
    with pytest.raises(PermissionDenied):
        employees.update_employee(uow(disp), disp, eid, EmployeeInput(full_name="X Y"))


def test_photo_is_stored_with_a_thumbnail_and_becomes_the_employee_photo(uow, admin):
    eid = make_employee(uow, admin)
    content = (FIXTURES / "photo.jpg").read_bytes()
    att_id = attachments.add_attachment(uow(admin), admin, "employee", eid, "me.jpg", content, kind="photo")
    assert employees.get_employee(uow(admin), admin, eid)["photo_id"] == att_id
    files = attachments.list_attachments(uow(admin), admin, "employee", eid)
    assert files[0]["mime_type"] == "image/jpeg" and files[0]["thumbnail"][:2] == b"\xff\xd8"
    name, _mime, data = attachments.get_content(uow(admin), admin, att_id)
    assert data == content and name == "me.jpg"


def test_disguised_file_is_refused_and_nothing_is_stored(uow, admin):
    eid = make_employee(uow, admin)
    with pytest.raises(ValidationError) as err:
        attachments.add_attachment(uow(admin), admin, "employee", eid, "cv.jpg", (FIXTURES / "fake.jpg").read_bytes())
    assert "file" in err.value.errors
    assert attachments.list_attachments(uow(admin), admin, "employee", eid) == []


def test_oversize_file_is_refused(uow, admin):
    from core.services.settings import set_param

    set_param(uow(admin), admin, "attachments.max_size_mb", "0.1")  # the least the setting allows
    eid = make_employee(uow, admin)
    big = b"a,b\n" * 30000
    with pytest.raises(ValidationError) as err:
        attachments.add_attachment(uow(admin), admin, "employee", eid, "list.csv", big)
    assert "larger" in err.value.errors["file"][0]


def test_archived_attachment_disappears_but_stays_in_the_log(uow, admin, session_factory):
    eid = make_employee(uow, admin)
    att_id = attachments.add_attachment(uow(admin), admin, "employee", eid, "note.txt", b"hello")
    attachments.archive_attachment(uow(admin), admin, att_id)
    assert attachments.list_attachments(uow(admin), admin, "employee", eid) == []
    with session_factory() as s:
        actions = s.scalars(
            select(ActivityLog.action).where(
                ActivityLog.entity_type == "attachment", ActivityLog.entity_id == str(att_id)
            )
        ).all()
    assert sorted(actions) == ["archive", "create"]
