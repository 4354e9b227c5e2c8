import re

from common.i18n import catalog, format_date, format_money, translate
from tools.messages import extract

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_every_message_in_the_code_has_a_kinyarwanda_translation():
    rw = catalog("rw")
    missing = sorted(m for m in extract() if not rw.get(m))
    assert missing == [], f"untranslated: {missing[:10]}"


def test_translations_keep_the_same_placeholders():
    for msgid, text in catalog("rw").items():
        assert set(PLACEHOLDER.findall(msgid)) == set(PLACEHOLDER.findall(text)), msgid


def test_translate_fills_parameters_in_both_languages():
    assert translate("Good day, {name}", "en", name="Aline") == "Good day, Aline"
    assert translate("Good day, {name}", "rw", name="Aline") == "Umunsi mwiza, Aline"


def test_unknown_message_falls_back_to_english():
    assert translate("Not in any catalog", "rw") == "Not in any catalog"


def test_money_numbers_and_dates_are_formatted_for_the_reader():
    import datetime as dt
    from decimal import Decimal

    from common.i18n import format_decimal

    assert format_money(Decimal("1639"), "RWF", "en") == "RF1,639"
    assert format_money(Decimal("1639"), "RWF", "rw") == "RF\xa01.639"
    assert format_decimal(Decimal("1234567.891"), "en", 2) == "1,234,567.89"
    assert format_decimal(Decimal("1234567.891"), "rw", 2) == "1.234.567,89"
    assert format_date(dt.date(2026, 11, 29), "en") == "29 Nov 2026"
    assert format_date(dt.date(2026, 11, 29), "rw") == "2026 ugu. 29"


def test_user_values_are_only_ever_parameters_of_a_message():
    from common.i18n import translate

    probe = "Probe {n.__class__.__mro__}"
    assert translate("{item} is running low in {store}", "en", item=probe, store="Kigali") == (
        "Probe {n.__class__.__mro__} is running low in Kigali"
    )
    # text that is not a template of ours (an item name in a digest) passes through untouched
    assert translate("Oil filter {large}", "en", n=3) == "Oil filter {large}"
    assert translate("Bracket {", "en", n=3) == "Bracket {"
    assert translate("{n.__class__.__mro__}", "en", n=3) == "{n.__class__.__mro__}"
    assert "object" not in translate("{n} items to reorder", "rw", n=probe)
