"""Services compose: a use case called inside another's unit of work joins its transaction."""

from __future__ import annotations

from sqlalchemy import select

from core.services.employees import EmployeeInput, create_employee
from db.models.hr import Employee


def _names(session_factory) -> list[str]:  # type: ignore[no-untyped-def]
    with session_factory() as s:
        return list(s.scalars(select(Employee.full_name).order_by(Employee.id)))


def test_a_use_case_inside_another_commits_only_with_the_outer_one(uow, admin, session_factory):
    outer = uow(admin)
    with outer:
        create_employee(outer, admin, EmployeeInput(full_name="Inner Only"))  # its commit only flushes
        assert outer.session.scalar(select(Employee.id).where(Employee.full_name == "Inner Only"))
        # the outer use case fails before its own commit
    assert "Inner Only" not in _names(session_factory)

    with outer:
        create_employee(outer, admin, EmployeeInput(full_name="Both Saved"))
        create_employee(outer, admin, EmployeeInput(full_name="Second Saved"))
        outer.commit()
    assert _names(session_factory)[-2:] == ["Both Saved", "Second Saved"]


def test_an_inner_use_case_that_fails_leaves_the_outer_transaction_to_roll_back(uow, admin, session_factory):
    outer = uow(admin)
    try:
        with outer:
            create_employee(outer, admin, EmployeeInput(full_name="Before The Error"))
            create_employee(outer, admin, EmployeeInput(full_name=""))  # refused: no name
            outer.commit()
    except Exception as exc:
        assert "name" in str(getattr(exc, "errors", exc)).lower()
    else:
        raise AssertionError("the empty name was accepted")
    assert "Before The Error" not in _names(session_factory)
