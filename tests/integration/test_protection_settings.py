"""Settings cannot switch protection off, and passwords are not easy to guess."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from common.errors import ValidationError
from core.services.settings import set_param
from core.services.users import UserInput, create_user
from db.models.settings import Parameter


def test_every_number_list_and_text_parameter_has_bounds(session_factory):
    with session_factory() as s:
        unbounded = s.scalars(
            select(Parameter.key).where(Parameter.kind != "bool", Parameter.max_value.is_(None))
        ).all()
    assert unbounded == []


@pytest.mark.parametrize(
    "key, raw",
    [
        ("auth.lockout_minutes", "5000000000"),
        ("auth.lockout_minutes", "0"),
        ("auth.min_password_length", "0"),
        ("auth.max_failed_logins", "1000"),
        ("reminders.lead_days", "30,14,9999"),
        ("attachments.max_size_mb", "100000"),
    ],
)
def test_a_value_out_of_bounds_is_refused_at_the_field(uow, admin, key, raw):
    with pytest.raises(ValidationError) as err:
        set_param(uow(admin), admin, key, raw)
    assert key in err.value.errors


def test_a_value_within_bounds_is_saved(uow, admin):
    assert set_param(uow(admin), admin, "auth.lockout_minutes", "30") == 30


@pytest.mark.parametrize("password", ["passwordpassword!", "Qwerty123456", "alice-uwase-1", "Password2026!"])
def test_a_password_that_is_easy_to_guess_is_refused(uow, admin, password):
    data = UserInput(username="alice2", full_name="Alice Uwase", role="dispatcher")
    with pytest.raises(ValidationError) as err:
        create_user(uow(admin), admin, data, password)
    assert "password" in err.value.errors
