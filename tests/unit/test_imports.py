"""Reading a sheet for import: bounded before it costs anything, and tolerant of how
offices save their files."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from common.errors import DomainError
from core.imports import (
    IGNORE,
    MAX_IMPORT_BYTES,
    MAX_ROWS,
    Fields,
    InFile,
    apply_columns,
    map_columns,
    read_sheet,
    read_table,
)


def test_a_sheet_over_the_row_limit_is_refused_without_reading_the_rest():
    good = "".join(f"Client {i},0788{i:06d}\n" for i in range(MAX_ROWS + 5))
    # what comes after would break any parser that read it: an unterminated quote to the end
    rest = '"never read\n' + "x,y\n" * 80_000
    content = ("name,phone\n" + good + rest).encode()
    with pytest.raises(DomainError) as err:
        read_table("clients.csv", content)
    assert "At most" in err.value.message


def test_a_workbook_over_the_row_limit_is_refused():
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["name"])
    for i in range(MAX_ROWS + 2):
        sheet.append([f"Client {i}"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(DomainError) as err:
        read_table("clients.xlsx", out.getvalue())
    assert "At most" in err.value.message


def test_a_file_over_the_size_limit_is_refused_before_parsing():
    with pytest.raises(DomainError) as err:
        read_table("clients.csv", b"name\n" + b"a" * MAX_IMPORT_BYTES)
    assert "larger than" in err.value.message


def test_a_zip_bomb_named_xlsx_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (300 * 1024 * 1024))
    assert len(out.getvalue()) < 1024 * 1024
    with pytest.raises(DomainError) as err:
        read_table("clients.xlsx", out.getvalue())
    assert "unpacks" in err.value.message


@pytest.mark.parametrize("separator", [",", ";", "\t", "|"])
def test_the_separator_is_found_by_itself(separator):
    content = separator.join(["name", "phone", "city"]) + "\n" + separator.join(["Inyange", "0788100001", "Huye"])
    rows = read_table("clients.csv", content.encode())
    assert rows == [{"name": "Inyange", "phone": "0788100001", "city": "Huye"}]


def test_a_windows_1252_file_is_read():
    rows = read_table("clients.csv", "name;city\nCafé Nyamirambo;Kigali\n".encode("cp1252"))
    assert rows == [{"name": "Café Nyamirambo", "city": "Kigali"}]


CLIENTS = Fields(("name", "phone", "region"), {"city": "region", "mobile": "phone", "tel": "phone"})


def test_usual_column_names_are_read_as_their_field_and_every_other_column_is_named_as_ignored():
    sheet = read_sheet("c.csv", "Name;CITY;Mobile;Fax\nKivu Café;Rubavu;0788100200;x\n".encode("cp1252"))
    assert (sheet.separator, sheet.encoding) == (";", "Windows-1252")
    uses = map_columns(sheet.columns, CLIENTS)
    assert [(u.column, u.field, u.how) for u in uses] == [
        ("name", "name", "known"),
        ("city", "region", "synonym"),
        ("mobile", "phone", "synonym"),
        ("fax", None, "ignored"),
    ]
    assert apply_columns(sheet.rows, uses) == [{"name": "Kivu Café", "region": "Rubavu", "phone": "0788100200"}]


def test_the_persons_choice_comes_first_and_a_field_takes_one_column():
    uses = map_columns(["phone", "mobile", "tel", "fax"], CLIENTS, {"Fax": "region", "tel": IGNORE})
    assert [(u.column, u.field, u.how, u.taken_by) for u in uses] == [
        ("phone", "phone", "known", ""),
        ("mobile", None, "taken", "phone"),
        ("tel", None, "chosen", ""),
        ("fax", "region", "chosen", ""),
    ]
    with pytest.raises(DomainError):
        map_columns(["fax"], CLIENTS, {"fax": "colour"})
    with pytest.raises(DomainError):
        map_columns(["fax"], CLIENTS, {"telex": "phone"})


def test_a_likely_duplicate_names_the_first_row_it_repeats():
    seen = InFile()
    seen.add(2, {"same name": "kivu beer", "same phone": "+250 788 100 200"})
    seen.add(3, {"same name": "inyange", "same phone": None})
    found = seen.check(4, {"same name": "kivu beer", "same phone": "+250 788 100 200"})
    assert found is not None and (found.of_row, found.reasons) == (2, ["same name", "same phone"])
    assert seen.check(5, {"same name": "other", "same phone": None}) is None
