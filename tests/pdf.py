"""Reading a printed PDF as a person would: its pages rendered to PNG (poppler's pdftoppm),
its text and the box of every word on each page (pdftotext, pdftotext -bbox)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest

PT = 25.4 / 72  # one PDF point in mm


def require_poppler() -> None:
    if shutil.which("pdftoppm") and shutil.which("pdftotext"):
        return
    if os.environ.get("CI"):
        pytest.fail("poppler-utils is missing: .ci/run installs Debian's poppler-utils package")
    pytest.skip("poppler-utils is not installed (apt-get install -y poppler-utils)")


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=120).stdout


def pdf_text(pdf: bytes, layout: bool = True) -> list[str]:
    """The text of each page: laid out as printed (a table's row on one line), or in reading
    order (a wrapped cell's lines one after the other)."""
    require_poppler()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        pages = _run("pdftotext", *(["-layout"] if layout else []), str(path), "-").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    x0: float  # mm from the page's left edge
    y0: float  # mm from the page's top edge
    x1: float
    y1: float

    def overlaps(self, other: Word) -> bool:
        return (
            self.page == other.page
            and self.x0 < other.x1 - 0.05
            and other.x0 < self.x1 - 0.05
            and self.y0 < other.y1 - 0.05
            and other.y0 < self.y1 - 0.05
        )


def pdf_words(pdf: bytes) -> list[Word]:
    """Every word with its box in mm, page by page (pdftotext -bbox)."""
    require_poppler()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        xhtml = _run("pdftotext", "-bbox", str(path), "-")
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    words = []
    for n, page in enumerate(ElementTree.fromstring(xhtml).iterfind(".//h:page", ns), start=1):
        for w in page.iterfind("h:word", ns):
            box = [float(w.get(k, "0")) * PT for k in ("xMin", "yMin", "xMax", "yMax")]
            words.append(Word(n, w.text or "", *box))
    return words


def pdf_pngs(pdf: bytes, folder: Path, dpi: int = 100) -> list[Path]:
    """Each page rendered to a PNG in `folder` (to look at, and to check that it drew)."""
    require_poppler()
    path = folder / "doc.pdf"
    path.write_bytes(pdf)
    _run("pdftoppm", "-r", str(dpi), "-png", str(path), str(folder / "page"))
    return sorted(folder.glob("page-*.png"))


def ink(png: Path) -> float:
    """The share of a page's pixels that are not white."""
    from PIL import Image  # heavy: only the tests that render pages need it

    with Image.open(png) as image:
        grey = image.convert("L")
        dark = sum(1 for v in grey.getdata() if v < 200)
        return dark / (grey.width * grey.height)
