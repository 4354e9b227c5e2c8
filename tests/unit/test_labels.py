"""Every code the database keeps has a label, in every language (ui.labels, common.records):
the record types and actions the log can hold, the columns it can record, the values a
CHECK constraint allows; and the label function itself."""

from __future__ import annotations

import ast
import logging
import re

import pytest
from sqlalchemy import CheckConstraint

import db.models  # noqa: F401  (every model registered)
import ui.context
from common.i18n import LANGUAGES, translate
from common.records import ACTION_LABELS, FIELD_LABELS, FIELD_LABELS_BY_RECORD, HIDDEN_FIELDS, RECORD_LABELS
from common.roles import PAGE_ACCESS, RECORD_VIEWERS, ROLES
from db.base import Audited, Base
from db.models.notify import EmailOutbox
from tests.conftest import ROOT
from ui.labels import OPEN, REGISTRY, UNTRANSLATED, VALUE_KINDS, field_label, label, path_label, value_kind
from ui.links import SCREENS
from ui.navigation import PAGE_PATHS

IN_LIST = re.compile(r"^\s*(\w+) IN \(([^)]*)\)\s*$")


def _audited() -> dict[str, type]:
    return {
        m.class_.__audit_type__: m.class_
        for m in Base.registry.mappers
        if issubclass(m.class_, Audited) and hasattr(m.class_, "__audit_type__")
    }


def _calls(name: str) -> list[ast.Call]:
    """Every call of `name` in the services and the database layer."""
    found = []
    for path in [*(ROOT / "core").rglob("*.py"), *(ROOT / "db").glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == name:
                found.append(node)
    return found


def _constants(calls: list[ast.Call], index: int) -> set[str]:
    return {c.args[index].value for c in calls if len(c.args) > index and isinstance(c.args[index], ast.Constant)}


@pytest.fixture
def reader(monkeypatch):  # type: ignore[no-untyped-def]
    """The reader's language, as the screens find it (ui.context.language)."""

    def speak(lang: str) -> None:
        monkeypatch.setattr(ui.context, "language", lambda: lang)

    return speak


def test_every_kind_of_record_the_log_can_name_has_a_label():
    logged = _constants(_calls("log_event"), 2)  # log_event(session, action, entity_type, ...)
    assert logged, "no log_event call found: the reading of the code is broken"
    kinds = set(_audited()) | set(RECORD_VIEWERS) | logged
    assert kinds - set(RECORD_LABELS) == set()


def test_every_action_the_log_can_hold_has_a_label():
    written_by_the_unit_of_work = {"create", "update", "archive", "restore", "delete"}
    actions = written_by_the_unit_of_work | _constants(_calls("log_event"), 1)
    assert actions - set(ACTION_LABELS) == set()


def test_every_column_the_log_records_has_a_label():
    missing = []
    for kind, cls in _audited().items():
        for attr in cls.__mapper__.column_attrs:
            key = attr.key
            if key in HIDDEN_FIELDS:
                continue
            if key not in FIELD_LABELS and key not in FIELD_LABELS_BY_RECORD.get(kind, {}):
                missing.append(f"{kind}.{key}")
    assert missing == []


def test_every_value_a_check_constraint_allows_is_labelled():
    """A coded column (`status IN ('active', 'in_repair', ...)`) is shown through a label
    kind that knows each of its values."""
    unlabelled = []
    for kind, cls in _audited().items():
        for constraint in cls.__table__.constraints:
            if not isinstance(constraint, CheckConstraint):
                continue
            match = IN_LIST.match(str(constraint.sqltext))
            if match is None:
                continue
            column, values = match.group(1), re.findall(r"'([^']*)'", match.group(2))
            codes = value_kind(kind, column)
            if codes is None:
                unlabelled.append(f"{kind}.{column}: no label kind")
            elif codes not in OPEN:
                unlabelled += [f"{kind}.{column}={v}" for v in values if v not in REGISTRY[codes]]
    assert unlabelled == []


def test_codes_outside_the_audited_records_are_labelled_too():
    outbox = next(c for c in EmailOutbox.__table__.constraints if c.name and "status_known" in str(c.name))
    assert set(re.findall(r"'([^']*)'", str(outbox.sqltext))) <= set(REGISTRY["outbox_status"])
    assert set(ROLES) == set(REGISTRY["role"])
    assert set(LANGUAGES) == set(REGISTRY["language"])
    odometer_sources = {"manual"} | _keyword_constants("source", "fleet")
    assert odometer_sources <= set(REGISTRY["odometer_source"])


def _keyword_constants(keyword: str, area: str) -> set[str]:
    found = set()
    for path in (ROOT / "core" / "services" / area).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == keyword and isinstance(node.value, ast.Constant):
                found.add(node.value.value)
    return found


def test_every_value_kind_is_a_kind_of_the_registry():
    assert {k for k in VALUE_KINDS.values() if k != "name"} <= set(REGISTRY)


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_every_label_is_translated(lang):
    messages = {m for kind, known in REGISTRY.items() if kind not in UNTRANSLATED for m in known.values()}
    messages |= set(FIELD_LABELS.values()) | {m for fields in FIELD_LABELS_BY_RECORD.values() for m in fields.values()}
    from common.i18n import catalog

    assert sorted(m for m in messages if m not in catalog(lang)) == []


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_fields_of_one_record_read_differently_in_every_language(lang):
    """A row of the log names several fields of one record side by side."""
    clashes = []
    for kind, cls in _audited().items():
        shown: dict[str, str] = {}
        for attr in cls.__mapper__.column_attrs:
            if attr.key in HIDDEN_FIELDS:
                continue
            message = FIELD_LABELS_BY_RECORD.get(kind, {}).get(attr.key) or FIELD_LABELS[attr.key]
            text = translate(message, lang).casefold()
            if text in shown:
                clashes.append(f"{kind}: {shown[text]} and {attr.key} both read {text!r}")
            shown[text] = attr.key
    assert clashes == []


def test_a_code_is_shown_in_the_readers_language(reader):
    reader("en")
    assert label("role", "sales_manager") == "Sales manager"
    assert label("record", "stock_document_line") == "Invoice line"
    assert label("odometer_source", "fuel") == "At a fuel issue"
    assert label("author", "system") == "Twara (automatic)"
    assert label("author", "jmugisha") == "jmugisha"  # a person's name is shown as it is
    assert label("language", "rw") == "Ikinyarwanda"
    assert label("role", None) == label("role", "") == ""
    reader("rw")
    assert label("role", "sales_manager") == translate("Sales manager", "rw") != "Sales manager"
    assert label("name", "Long-haul tractor") == translate("Long-haul tractor", "rw") != "Long-haul tractor"
    assert label("name", "Kigali depot") == "Kigali depot"  # a name a user typed
    assert label("language", "en") == "English"  # each language by its own name
    assert path_label("Kigali depot / Long-haul tractor") == "Kigali depot / " + translate("Long-haul tractor", "rw")
    assert field_label("client", "name") == translate("Legal name or full name", "rw")
    assert field_label("vehicle", "name") == translate("Name", "rw")


def test_an_unknown_code_is_shown_as_it_is_and_logged(reader, caplog):
    reader("en")
    with caplog.at_level(logging.WARNING, logger="twara.labels"):
        assert label("vehicle_status", "scrapped") == "scrapped"
        assert field_label("vehicle", "colour") == "colour"
    assert "scrapped" in caplog.text and "colour" in caplog.text
    with pytest.raises(KeyError):  # a kind that does not exist is a mistake in the code
        label("no_such_kind", "x")


def test_every_screen_a_record_opens_is_a_page():
    for kind, (page, _) in SCREENS.items():
        assert kind in RECORD_LABELS or kind == "trailer"
        assert page in PAGE_PATHS and page in PAGE_ACCESS
