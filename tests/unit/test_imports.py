"""Reading a sheet for import: bounded before it costs anything, and tolerant of how
offices save their files."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from common.errors import DomainError
from core.imports import MAX_IMPORT_BYTES, MAX_ROWS, read_table


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
