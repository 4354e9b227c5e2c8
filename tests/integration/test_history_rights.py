"""Who may read a record's history is decided by the service, not by the caller."""

from __future__ import annotations

import pytest

from common.errors import PermissionDenied
from common.roles import RECORD_VIEWERS, ROLES, may_view_records
from core.services.activity import history
from core.services.employees import EmployeeInput, create_employee
from db.base import Audited
from tests.integration.conftest import make_user


def _audited_kinds() -> set[str]:
    import db.models  # noqa: F401  (every model registered)

    kinds: set[str] = set()
    stack = list(Audited.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        kind = getattr(cls, "__audit_type__", None)
        if isinstance(kind, str):
            kinds.add(kind)
    return kinds


def test_every_kind_of_record_says_who_may_read_its_history():
    assert _audited_kinds() <= set(RECORD_VIEWERS)


def test_history_is_refused_to_roles_that_may_not_see_the_record(uow, admin):
    eid = create_employee(uow(admin), admin, EmployeeInput(full_name="Jeanne Mukamana"))
    sales = make_user(uow, admin, "sales1", "sales_manager")
    keeper = make_user(uow, admin, "keeper1", "warehouse_keeper")
    dispatcher = make_user(uow, admin, "disp1", "dispatcher")
    assert history(uow(dispatcher), dispatcher, "employee", eid)  # dispatchers see staff and drivers
    for actor in (sales, keeper):
        with pytest.raises(PermissionDenied):
            history(uow(actor), actor, "employee", eid)
    with pytest.raises(PermissionDenied):  # user accounts are the administrator's only
        history(uow(dispatcher), dispatcher, "user", admin.user_id)
    with pytest.raises(PermissionDenied):  # a kind nobody declared is for readers of the whole log
        history(uow(dispatcher), dispatcher, "something_new", 1)


@pytest.mark.parametrize("role", ROLES)
def test_the_rule_matches_the_declared_viewers(role):
    for kind, roles in RECORD_VIEWERS.items():
        assert may_view_records(role, kind) == (role == "administrator" or role in roles)
