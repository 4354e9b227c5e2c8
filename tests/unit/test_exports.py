"""Exports never run what is in a cell: a client named like a formula stays a name."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from core.exports import csv_bytes, csv_cell, is_formula_like, xlsx_bytes

HOSTILE = [
    '=HYPERLINK("https://evil.example/pay","Pay here")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
]


def test_an_excel_export_holds_no_formula_and_shows_the_value_as_typed():
    book = load_workbook(io.BytesIO(xlsx_bytes(["Name", "Phone"], [[v, "+250788123456"] for v in HOSTILE])))
    sheet = book.active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert [r[0].value for r in sheet.iter_rows(min_row=2)] == HOSTILE
    assert sheet.cell(2, 2).value == "+250788123456"


def test_a_csv_export_marks_formula_like_cells_as_text():
    rows = list(csv.reader(io.StringIO(csv_bytes(["Name"], [[v] for v in HOSTILE]).decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["'" + v for v in HOSTILE]


def test_plain_numbers_and_ordinary_text_are_left_alone():
    assert csv_cell("-12.50") == "-12.50"
    assert csv_cell("+250788123456") == "+250788123456"
    assert csv_cell("Kigali Cement") == "Kigali Cement"
    assert csv_cell(None) == ""


@given(st.text(min_size=1))
def test_no_csv_cell_starts_like_a_formula_unless_it_is_a_number(value):
    cell = csv_cell(value)
    assert not is_formula_like(cell)


def test_dates_and_moments_are_written_in_iso_8601():
    import datetime as dt

    from core.exports import iso_text

    assert iso_text(dt.date(2017, 2, 18), "Africa/Kigali") == "2017-02-18"
    moment = dt.datetime(2017, 2, 18, 22, 30, 5, 999, tzinfo=dt.UTC)
    assert iso_text(moment, "Africa/Kigali") == "2017-02-19T00:30:05+02:00"  # the company's day, its offset
    assert iso_text(moment, "UTC") == "2017-02-18T22:30:05+00:00"
    assert iso_text(dt.datetime(2017, 2, 18, 8, 0), "Africa/Kigali") == "2017-02-18T10:00:00+02:00"  # naive: UTC
    assert iso_text("18 Feb 2017", "UTC") is None and iso_text(None, "UTC") is None
