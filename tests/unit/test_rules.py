"""The pure rules: passwords, lockout, contacts, files, parameters, roles."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from common.roles import PAGE_ACCESS, ROLES, can_open
from core.auth_rules import (
    ThrottlePolicy,
    ThrottleState,
    after_failure,
    hash_password,
    is_blocked,
    password_problem,
    session_end_reason,
    username_problem,
    verify_password,
)
from core.contacts import ContactInvalid, normalize_email, normalize_phone
from core.files import FileRejected, check_file, thumbnail
from core.params import ParamInvalid, parse_value, to_storage

NOW = dt.datetime(2026, 11, 29, 9, 0, tzinfo=dt.UTC)
POLICY = ThrottlePolicy(limit=5, longest=dt.timedelta(minutes=15))


def _png(size=(50, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(out, "PNG")
    return out.getvalue()


def test_password_hash_verifies_only_the_right_password():
    h = hash_password("Kigali-2026!")
    assert verify_password(h, "Kigali-2026!")
    assert not verify_password(h, "kigali-2026!")
    assert not verify_password("not-a-hash", "x")


@pytest.mark.parametrize(
    "password, problem",
    [("short1", "at least"), ("onlyletterslong", "mix"), ("1234567890123", "mix"), (" spaced-pass-1 ", "space")],
)
def test_weak_passwords_are_refused_with_the_reason(password, problem):
    assert problem in password_problem(password, 10)


def test_a_good_password_passes():
    assert password_problem("Nyabugogo-42", 10) is None


@pytest.mark.parametrize("name", ["", "ab", "-dash", "has space", "x" * 61, "émile"])
def test_bad_user_names_are_refused(name):
    assert username_problem(name) is not None


def test_from_the_limit_on_each_failure_waits_twice_as_long_up_to_the_longest():
    state = None
    waits = []
    for i in range(10):
        state = after_failure(state, NOW + dt.timedelta(seconds=i), POLICY)
        waits.append(None if state.blocked_until is None else state.blocked_until - (NOW + dt.timedelta(seconds=i)))
    assert waits[:4] == [None] * 4
    assert waits[4:8] == [dt.timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert waits[8:] == [dt.timedelta(minutes=15)] * 2
    assert is_blocked(state, NOW + dt.timedelta(minutes=14)) and not is_blocked(state, NOW + dt.timedelta(minutes=16))


def test_a_key_quiet_for_a_day_starts_afresh():
    old = ThrottleState(failures=9, last_failure_at=NOW - dt.timedelta(days=2), blocked_until=None)
    assert after_failure(old, NOW, POLICY).failures == 1


@given(st.lists(st.integers(min_value=0, max_value=100_000), max_size=40))
def test_a_wait_is_never_longer_than_the_longest(gaps):
    state, moment = None, NOW
    for gap in gaps:
        moment += dt.timedelta(seconds=gap)
        state = after_failure(state, moment, POLICY)
        assert state.blocked_until is None or state.blocked_until - moment <= POLICY.longest


IDLE, LIFETIME = dt.timedelta(minutes=120), dt.timedelta(hours=12)


@pytest.mark.parametrize(
    "started, seen, active, reason",
    [
        (0, 0, True, None),
        (-11 * 60, -119, True, None),  # busy and within its lifetime
        (-60, -121, True, "idle"),
        (-12 * 60 - 1, -1, True, "expired"),  # busy all along, but older than its lifetime
        (-12 * 60, 0, True, None),  # exactly its lifetime: still open
        (-60, -1, False, "disabled"),
        (-12 * 60 - 1, -200, False, "idle"),  # idle is said first
    ],
)
def test_a_session_ends_when_idle_too_long_too_old_or_its_account_is_disabled(started, seen, active, reason):
    started_at, seen_at = NOW + dt.timedelta(minutes=started), NOW + dt.timedelta(minutes=seen)
    assert session_end_reason(started_at, seen_at, active, NOW, IDLE, LIFETIME) == reason


@pytest.mark.parametrize("raw", ["0788123456", "+250788123456", "250 788 123 456", "+250 788-123-456"])
def test_rwandan_phone_numbers_are_written_one_way(raw):
    assert normalize_phone(raw) == "+250 788 123 456"


@pytest.mark.parametrize("raw", ["12", "hello", "+250 12"])
def test_impossible_phone_numbers_are_refused(raw):
    with pytest.raises(ContactInvalid):
        normalize_phone(raw)


def test_email_is_checked_and_domain_lower_cased():
    assert normalize_email(" Aline@Twara.RW ") == "Aline@twara.rw"
    with pytest.raises(ContactInvalid):
        normalize_email("aline@")


def test_a_real_picture_is_accepted_and_gets_a_small_jpeg_thumbnail():
    checked = check_file("photo.png", _png((800, 600)), Decimal(10))
    assert checked.is_image and checked.mime_type == "image/png"
    thumb = Image.open(io.BytesIO(thumbnail(_png((800, 600)))))
    assert thumb.format == "JPEG" and max(thumb.size) <= 240


def test_an_executable_named_like_a_picture_is_refused():
    with pytest.raises(FileRejected, match="does not match"):
        check_file("photo.jpg", b"MZ\x90\x00" + bytes(100), Decimal(10))


def test_a_picture_named_like_a_pdf_is_refused():
    with pytest.raises(FileRejected, match="does not match"):
        check_file("contract.pdf", _png(), Decimal(10))


def test_a_type_outside_the_allow_list_is_refused_whatever_its_content():
    with pytest.raises(FileRejected, match="cannot be attached"):
        check_file("run.sh", b"#!/bin/sh\necho hi\n", Decimal(10))


def test_the_size_limit_counts_bytes():
    limit = Decimal("0.001")  # 1048 bytes
    check_file("a.txt", b"a" * 1048, limit)
    with pytest.raises(FileRejected, match="larger"):
        check_file("a.txt", b"a" * 1049, limit)


def test_an_empty_or_binary_text_file_is_refused():
    with pytest.raises(FileRejected):
        check_file("a.txt", b"", Decimal(1))
    with pytest.raises(FileRejected):
        check_file("a.csv", b"\x00\x01\x02", Decimal(1))


@pytest.mark.parametrize(
    "kind, raw, value",
    [
        ("decimal", "1,639.50", Decimal("1639.50")),
        ("int", "15", 15),
        ("bool", "Yes", True),
        ("int_list", "7, 30,1,14,7", (30, 14, 7, 1)),
        ("text", "  RWF ", "RWF"),
    ],
)
def test_parameters_are_parsed_to_their_type(kind, raw, value):
    assert parse_value(kind, raw) == value


@pytest.mark.parametrize(
    "kind, raw", [("decimal", "abc"), ("decimal", "-1"), ("int", "1.5"), ("bool", "maybe"), ("int_list", "30,x")]
)
def test_bad_parameter_values_are_refused(kind, raw):
    with pytest.raises(ParamInvalid):
        parse_value(kind, raw)


@given(st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=8))
def test_an_int_list_survives_storage(values):
    parsed = parse_value("int_list", ",".join(map(str, values)))
    assert parse_value("int_list", to_storage("int_list", parsed)) == parsed


def test_every_role_can_open_home_and_only_administrators_manage_users():
    assert all(can_open(r, "home") for r in ROLES)
    assert [r for r in ROLES if can_open(r, "users")] == ["administrator"]
    assert not can_open("administrator", "no-such-page")


def test_every_page_of_the_shell_has_an_access_rule_and_a_script():
    from pathlib import Path

    from ui.navigation import PAGES

    root = Path(__file__).resolve().parents[2]
    keys = [p.key for p in PAGES]
    assert len(keys) == len(set(keys)) and set(keys) == set(PAGE_ACCESS)
    assert all((root / p.path).is_file() for p in PAGES)
    # every screen under pages/ is reachable from the navigation (none forgotten in a folder)
    scripts = {str(f.relative_to(root)) for f in (root / "pages").rglob("*.py") if f.name != "__init__.py"}
    assert scripts == {p.path for p in PAGES}


@pytest.mark.parametrize("raw", ["102345678", "102 345 678", " 10 2345 678 "])
def test_a_rwandan_tin_is_nine_digits_kept_as_digits(raw):
    from core.contacts import normalize_tax_id

    assert normalize_tax_id(raw, "RW") == "102345678"


@pytest.mark.parametrize("raw", ["ABC", "10234567", "1023456789", "102-345-678", "１０２３４５６７８", "10234567A"])
def test_anything_else_is_not_a_rwandan_tin(raw):
    from core.contacts import normalize_tax_id

    with pytest.raises(ContactInvalid):
        normalize_tax_id(raw, "RW")


def test_a_foreign_tax_number_keeps_its_format_within_the_bounds():
    from core.contacts import normalize_tax_id

    assert normalize_tax_id(" p051234567x ", "KE") == "P051234567X"
    assert normalize_tax_id("FR  40 303 265 045", "FR") == "FR 40 303 265 045"
    assert normalize_tax_id("12/34-5", "UG") == "12/34-5"
    for wrong in ("ABC", "ABCD", "1" * 21, "12;34", "-1234", "ÉÉ12"):
        with pytest.raises(ContactInvalid):
            normalize_tax_id(wrong, "KE")


@given(st.text(min_size=1, max_size=30))
def test_a_tax_id_once_accepted_is_accepted_again_as_it_is(raw):
    from core.contacts import normalize_tax_id

    for country in ("RW", "KE"):
        try:
            stored = normalize_tax_id(raw, country)
        except ContactInvalid:
            continue
        assert normalize_tax_id(stored, country) == stored and 4 <= len(stored) <= 20


def test_a_country_is_read_by_code_or_by_name():
    from core.contacts import country_code

    assert country_code("rw") == "RW" and country_code(" Kenya ") == "KE" and country_code("U Rwanda") == "RW"
    assert country_code("") is None
    with pytest.raises(ContactInvalid):
        country_code("Atlantis")
