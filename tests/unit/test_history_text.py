"""A row of the activity log as a reader reads it: field labels, values formatted for the
reader, codes labelled, ids shown as the records they point to (issue 12, item 4)."""

from __future__ import annotations

import pytest

import ui.context
import ui.formatting
from common.i18n import translate
from core.services.records import RecordRef
from ui.history import describe_changes, log_row, record_text, row_link

REFS = {
    ("warehouse", "3"): RecordRef("Main store", None, ("warehouse", 3)),
    ("user", "7"): RecordRef("Aline Umutoni", "aline", ("user", 7)),
    ("vehicle", "12"): RecordRef("RAB 123 A", None, ("vehicle", 12)),
    ("vehicle_category", "2"): RecordRef("Long-haul tractor", None, ("vehicle_category", 2)),
    ("stock_document_line", "40"): RecordRef("Engine oil", "WH-0000009", ("stock_document", 9)),
}


@pytest.fixture
def reader(monkeypatch):  # type: ignore[no-untyped-def]
    def speak(lang: str) -> None:
        monkeypatch.setattr(ui.context, "language", lambda: lang)
        monkeypatch.setattr(ui.formatting, "language", lambda: lang)
        monkeypatch.setattr(ui.formatting, "company_locale", lambda: (lang, "Africa/Kigali"))

    speak("en")
    return speak


def test_a_new_record_shows_its_fields_by_label_and_its_ids_by_name(reader):
    after = {
        "id": 9,
        "kind": "issue",
        "status": "draft",
        "doc_date": "2026-11-25",
        "warehouse_id": 3,
        "vehicle_id": 12,
        "created_by": 7,
        "odometer_km": 120500,
        "basis": None,
    }
    text = describe_changes("stock_document", "create", {"after": after}, REFS)
    assert text == (
        "Kind: Issue; Status: Draft; Date: 25 Nov 2026; Store: Main store; Vehicle: RAB 123 A; "
        "Created by: Aline Umutoni (aline); Odometer at issue (km): 120,500"
    )


def test_a_change_shows_before_and_after_and_hides_what_is_never_logged(reader):
    changes = {
        "status": {"before": "active", "after": "in_repair"},
        "category_id": {"before": None, "after": 2},
        "purchase_price": {"before": "1000000.00", "after": "1250000.50"},
        "search_text": {"before": "a", "after": "b"},
    }
    assert describe_changes("vehicle", "update", changes, REFS) == (
        "Status: Active → In repair; Category: — → Long-haul tractor; Purchase price: 1,000,000.00 → 1,250,000.50"
    )
    secret = {
        "password_hash": {"before": "***", "after": "*** (changed)"},
        "is_active": {"before": True, "after": False},
    }
    assert describe_changes("user", "update", secret, REFS) == "Password: changed; Active: Yes → No"


def test_an_id_nobody_may_see_or_that_is_gone_shows_as_a_number(reader):
    assert describe_changes("stock_document", "update", {"warehouse_id": {"before": 3, "after": 99}}, REFS) == (
        "Store: Main store → #99"
    )


def test_lists_and_coded_lists_read_as_words(reader):
    after = {"employee_id": 5, "licence_categories": ["C", "CE"], "qualifications": ["dangerous_goods"]}
    text = describe_changes("driver", "create", {"after": after}, {})
    assert text == "Employee: #5; Licence categories: C, CE; Qualifications: Dangerous goods (ADR)"


def test_an_event_shows_its_details(reader):
    assert describe_changes("user", "login", {"source": "10.0.0.8"}, {}) == "Source: 10.0.0.8"
    merged = describe_changes("client", "merge", {"merged": "C000012", "moved": {"client_contact": [4, 5]}}, {})
    assert merged == "Merged client: C000012; Moved: Contact person: 2"


def test_a_row_reads_in_kinyarwanda(reader):
    reader("rw")
    row = {
        "at": None,
        "username": "system",
        "action": "create",
        "entity_type": "stock_document_line",
        "entity_id": "40",
        "changes": {"after": {"id": 40, "quantity": "20.000", "document_id": 9}},
    }
    cells = log_row(row, REFS)
    assert cells["who"] == translate("Twara (automatic)", "rw")
    assert cells["action"] == translate("Created", "rw")
    assert cells["kind"] == translate("Invoice line", "rw")
    assert cells["record"] == "Engine oil (WH-0000009)"
    assert cells["changes"].startswith(translate("Quantity", "rw") + ": 20,00")
    assert row_link(row, REFS) == ("stock_document", 9)  # a line opens its invoice
    assert record_text(REFS, "vehicle_category", 2) == translate("Long-haul tractor", "rw")
