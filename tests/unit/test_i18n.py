import re

from common.i18n import catalog, format_date, format_money, plural_catalog, translate, translate_n
from tools.messages import extract

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_every_message_in_the_code_has_a_kinyarwanda_translation():
    rw = catalog("rw")
    missing = sorted(m for m in extract() if isinstance(m, str) and not rw.get(m))
    assert missing == [], f"untranslated: {missing[:10]}"


def test_every_message_with_a_count_has_each_kinyarwanda_plural_form():
    plurals = [m for m in extract() if isinstance(m, tuple)]
    assert len(plurals) >= 15  # every "{n} ..." count message of the screens goes through plural forms
    rw = plural_catalog("rw")
    missing = sorted(singular for singular, _ in plurals if len(rw.get(singular, ())) != 2 or not all(rw[singular]))
    assert missing == [], f"plural forms missing: {missing[:10]}"


def test_translations_keep_the_same_placeholders():
    for msgid, text in catalog("rw").items():
        assert set(PLACEHOLDER.findall(msgid)) == set(PLACEHOLDER.findall(text)), msgid


def test_plural_translations_keep_the_placeholders_of_their_forms():
    """The plural form keeps every placeholder of the English plural; the singular (n = 1)
    may leave out `{n}`, as "every month" does, but adds none."""
    english = {singular: plural for singular, plural in (m for m in extract() if isinstance(m, tuple))}
    for singular, (one, other) in plural_catalog("rw").items():
        wanted = set(PLACEHOLDER.findall(english[singular]))
        assert set(PLACEHOLDER.findall(other)) == wanted, singular
        assert set(PLACEHOLDER.findall(one)) <= wanted, singular
        assert set(PLACEHOLDER.findall(singular)) <= wanted, singular


def test_counts_take_the_plural_form_of_each_language():
    def reasons(n, lang):
        return translate_n("Not allowed: {n} reason.", "Not allowed: {n} reasons.", n, lang)

    assert [reasons(n, "en") for n in (0, 1, 2)] == [
        "Not allowed: 0 reasons.",
        "Not allowed: 1 reason.",
        "Not allowed: 2 reasons.",
    ]

    def rows(n, lang):
        return translate_n("{n} row was not imported:", "{n} rows were not imported:", n, lang)

    assert [rows(n, "en") for n in (1, 1500)] == ["1 row was not imported:", "1,500 rows were not imported:"]
    assert [rows(n, "rw") for n in (0, 1, 1500)] == [
        "Imirongo 0 ntiyinjijwe:",
        "Umurongo 1 ntiwinjijwe:",
        "Imirongo 1.500 ntiyinjijwe:",
    ]
    months = [translate_n("every month", "every {n} months", n, "rw") for n in (1, 6)]
    assert months == ["buri kwezi", "buri mezi 6"]
    # a message the catalog does not know falls back to the English forms
    assert translate_n("{n} thing", "{n} things", 1, "rw") == "1 thing"
    assert translate_n("{n} thing", "{n} things", 3, "rw") == "3 things"


def test_quantities_are_whole_for_pieces_and_trimmed_for_measures():
    from decimal import Decimal

    from common.i18n import format_quantity

    assert format_quantity(Decimal("3.000"), "pcs", "en") == "3"
    assert format_quantity(Decimal("1200.000"), "pair", "rw") == "1.200"
    assert format_quantity(Decimal("10742.000"), "l", "en") == "10,742"
    assert format_quantity(Decimal("10742.000"), "l", "rw") == "10.742"
    assert format_quantity(Decimal("10742.500"), "l", "en") == "10,742.5"
    assert format_quantity(Decimal("0.125"), "kg", "rw") == "0,125"
    assert format_quantity(Decimal("2.5"), "pcs", "en") == "2.5"  # a fraction of a piece is shown, not rounded away
    assert format_quantity(12, "set", "en") == "12"


def test_a_quantity_in_a_message_is_formatted_for_its_reader():
    from decimal import Decimal

    from common.i18n import Qty

    message = "Only {left} {unit} of {item} left in this store."
    left = Qty(Decimal("10742.000"), "l")
    assert translate(message, "en", left=left, unit="l", item="Diesel") == "Only 10,742 l of Diesel left in this store."
    assert "10.742 l" in translate(message, "rw", left=left, unit="l", item="Diesel")
    assert str(Qty(Decimal("3.000"), "pcs")) == "3"  # a domain error's English text


def test_stored_parameters_are_worded_per_reader_when_read():
    import datetime as dt
    from decimal import Decimal

    from common.i18n import Msg, Qty, encode_params, render_message

    stored = encode_params(
        {
            "doc": Msg("Driving licence"),
            "owner": "Aline",
            "date": dt.date(2026, 11, 29),
            "n": 1,
            "left": Qty(Decimal("3.000"), "pcs"),
            "at": dt.datetime(2026, 11, 29, 12, 30, tzinfo=dt.UTC),
        }
    )
    assert stored["date"] == {"date": "2026-11-29"} and stored["left"] == {"qty": "3.000", "unit": "pcs"}
    title = "{doc} of {owner} ends on {date}"
    assert render_message(title, None, stored, "en") == "Driving licence of Aline ends on 29 Nov 2026"
    assert render_message(title, None, stored, "rw").endswith("2026 ugu. 29")
    assert render_message("Renew it in time: {n} day left.", "Renew it in time: {n} days left.", stored, "en") == (
        "Renew it in time: 1 day left."
    )
    assert render_message("{left} at {at}", None, stored, "en", "Africa/Kigali") == "3 at 29 Nov 2026, 14:30:00"
    # a value it cannot read is shown as stored, never a failure
    assert render_message("on {date}", None, {"date": {"date": "not a date"}}, "en") == "on {'date': 'not a date'}"


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
