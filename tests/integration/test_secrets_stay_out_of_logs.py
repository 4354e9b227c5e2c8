"""A failed save never writes a password hash (or any value) to the log."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text

from common.errors import ValidationError
from core.services.users import UserInput, create_user


def test_a_name_longer_than_its_column_is_a_field_error_not_a_database_error(uow, admin, caplog):
    caplog.set_level(logging.DEBUG)
    data = UserInput(username="long", full_name="N" * 300, role="dispatcher")
    with pytest.raises(ValidationError) as err:
        create_user(uow(admin), admin, data, "Good-pass-123")
    assert "full_name" in err.value.errors
    assert err.value.errors["full_name"][1] == {"n": 200} or "Too long" in err.value.errors["full_name"][0]
    assert "$argon2" not in caplog.text


def test_a_database_error_does_not_carry_the_values_it_was_given(engine):
    with engine.connect() as conn, pytest.raises(Exception) as err:
        conn.execute(text("SELECT 1 / :zero, :secret"), {"zero": 0, "secret": "$argon2id$v=19$secret-hash"})
    assert "secret-hash" not in str(err.value)
