"""What may be attached: bombs, disguised programs and markup are refused at once, with a
message a person understands; ordinary files still pass."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from decimal import Decimal
from pathlib import Path

import pytest

from core.files import FileRejected, check_file, thumbnail

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
LIMIT = Decimal(20)


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims a size (the pixels need not exist to be refused)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\0" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _office(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


DOCX = {
    "[Content_Types].xml": b"<?xml version='1.0'?><Types/>",
    "_rels/.rels": b"<?xml version='1.0'?><Relationships/>",
    "word/document.xml": b"<?xml version='1.0'?><w:document/>",
}


@pytest.mark.parametrize("size", [12_000, 20_000])
def test_a_picture_of_too_many_pixels_is_refused_before_it_is_decoded(size):
    with pytest.raises(FileRejected) as err:
        check_file("photo.png", _png_header_only(size, size), LIMIT)
    assert "megapixels" in err.value.message and err.value.params.get("width", size) == size


def test_an_ordinary_photo_passes_and_gets_a_thumbnail():
    content = (FIXTURES / "photo.jpg").read_bytes()
    assert check_file("photo.jpg", content, LIMIT).is_image
    assert thumbnail(content)[:2] == b"\xff\xd8"


def test_a_real_office_file_passes():
    assert check_file("letter.docx", _office(DOCX), LIMIT).mime_type.endswith("wordprocessingml.document")


def test_an_office_file_holding_a_program_is_refused():
    with pytest.raises(FileRejected) as err:
        check_file("letter.docx", _office({**DOCX, "word/evil.exe": b"MZ" + b"\0" * 100}), LIMIT)
    assert "program" in err.value.message


def test_a_zip_that_only_mentions_word_is_not_a_document():
    with pytest.raises(FileRejected):
        check_file("letter.docx", _office({"notes/word/readme.txt": b"word/"}), LIMIT)


def test_an_office_zip_bomb_is_refused():
    bomb = _office({**DOCX, "word/document.xml": b"<w:document/>" + b" " * (60 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    with pytest.raises(FileRejected) as err:
        check_file("letter.docx", bomb, LIMIT)
    assert "unpacks" in err.value.message


def test_markup_in_a_text_file_is_refused():
    with pytest.raises(FileRejected):
        check_file("notes.txt", b"<html><script>alert(1)</script></html>", LIMIT)
    assert check_file("notes.txt", b"Imodoka RAB 123A: amavuta 40 l", LIMIT).mime_type == "text/plain"


def test_markup_that_starts_like_a_pdf_is_refused_and_a_real_pdf_passes():
    with pytest.raises(FileRejected):
        check_file("invoice.pdf", b"%PDF-1.7\n<html><body><script>alert(1)</script></body></html>", LIMIT)
    assert check_file("insurance.pdf", (FIXTURES / "insurance.pdf").read_bytes(), LIMIT).mime_type == "application/pdf"
