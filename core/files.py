"""What may be attached: checked by content, not by the name the file came with.

A picture is measured before it is decoded (a small file can hold a huge image); an
Office file is opened as the zip it is and its parts looked at (what it holds, how much it
unpacks to); a PDF must have a PDF's shape; a text file must be text, not markup.
"""

from __future__ import annotations

import hashlib
import io
import warnings
import zipfile
from dataclasses import dataclass
from decimal import Decimal

import filetype
from PIL import Image, UnidentifiedImageError

from common.i18n import N_

IMAGE_TYPES = {"image/jpeg": {".jpg", ".jpeg"}, "image/png": {".png"}, "image/webp": {".webp"}}
DOCUMENT_TYPES = {
    "application/pdf": {".pdf"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {".docx"},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {".xlsx"},
}
TEXT_TYPES = {"text/plain": {".txt"}, "text/csv": {".csv"}}
ALLOWED = {**IMAGE_TYPES, **DOCUMENT_TYPES, **TEXT_TYPES}
THUMB_SIZE = (240, 240)
MAX_PIXELS = 40_000_000  # a 40-megapixel photo is more than any phone takes
MAX_UNPACK_RATIO = 100  # an Office file unpacks to a few times its size, never a hundred
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_PARTS = 10_000
OFFICE_ROOTS = {".docx": "word/", ".xlsx": "xl/"}
OFFICE_MAIN_PART = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}
OFFICE_COMMON = ("[Content_Types].xml", "_rels/", "docProps/", "customXml/")
EXECUTABLE = (
    ".exe", ".dll", ".com", ".bat", ".cmd", ".ps1", ".vbs", ".vbe", ".js", ".jse", ".wsf", ".msi",
    ".scr", ".jar", ".sh", ".lnk", ".hta", ".cpl",
)  # fmt: skip
MARKUP_START = (b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml", b"<iframe", b"<body", b"<head")


class FileRejected(ValueError):
    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    mime_type: str
    size_bytes: int
    sha256: str
    is_image: bool


def _extension(filename: str) -> str:
    dot = filename.rfind(".")
    return filename[dot:].lower() if dot >= 0 else ""


def _sniff(content: bytes, ext: str) -> str | None:
    kind = filetype.guess(content)
    if kind is not None:
        mime = kind.mime
        if ext in OFFICE_ROOTS and (mime == "application/zip" or mime in DOCUMENT_TYPES):
            _check_office(content, ext)  # Office files are zip archives: look inside
            return next(m for m, exts in DOCUMENT_TYPES.items() if ext in exts)
        if mime == "application/pdf" and not _looks_like_pdf(content):
            return None
        return mime
    if ext in (".txt", ".csv"):
        return ("text/csv" if ext == ".csv" else "text/plain") if _is_plain_text(content) else None
    return None


def _is_plain_text(content: bytes) -> bool:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    if "\x00" in text:
        return False
    head = text[:4096].lstrip().lower().encode()
    return not head.startswith(MARKUP_START) and b"<script" not in content[:65536].lower()


def _looks_like_pdf(content: bytes) -> bool:
    """A PDF starts with its version, has objects, and ends with %%EOF (maybe a blank after)."""
    return (
        content[:8].startswith((b"%PDF-1.", b"%PDF-2."))
        and b"%%EOF" in content[-2048:]
        and b" obj" in content
        and b"<html" not in content[:4096].lower()
    )


def _check_office(content: bytes, ext: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise FileRejected(N_("The content of the file does not match its name ({ext})."), ext=ext) from exc
    names = [p.filename for p in parts]
    root = OFFICE_ROOTS[ext]
    if OFFICE_MAIN_PART[ext] not in names or "[Content_Types].xml" not in names or len(parts) > MAX_PARTS:
        raise FileRejected(N_("The content of the file does not match its name ({ext})."), ext=ext)
    for name in names:
        lower = name.lower()
        if lower.endswith(EXECUTABLE) or lower.endswith("vbaproject.bin"):
            raise FileRejected(N_("The file holds a program or macros ({name}); it is refused."), name=name[-80:])
        if name.startswith(("/", "\\")) or ".." in name.split("/") or not name.startswith((root, *OFFICE_COMMON)):
            raise FileRejected(N_("The content of the file does not match its name ({ext})."), ext=ext)
    unpacked = sum(p.file_size for p in parts)
    if unpacked > MAX_UNPACKED_BYTES or unpacked > MAX_UNPACK_RATIO * len(content):
        raise FileRejected(N_("The file unpacks to far more than it holds; it is refused."))


def check_file(filename: str, content: bytes, max_size_mb: Decimal) -> CheckedFile:
    """Accept a file only if its content is an allowed type that matches its name."""
    size = len(content)
    if size == 0:
        raise FileRejected(N_("The file is empty."))
    limit = int(max_size_mb * 1024 * 1024)
    if size > limit:
        raise FileRejected(N_("The file is larger than the limit of {limit} MB."), limit=max_size_mb)
    ext = _extension(filename)
    if not any(ext in exts for exts in ALLOWED.values()):
        raise FileRejected(
            N_("Files of this type cannot be attached. Allowed: {allowed}."),
            allowed=", ".join(sorted({e for exts in ALLOWED.values() for e in exts})),
        )
    mime = _sniff(content, ext)
    if mime is None or mime not in ALLOWED or ext not in ALLOWED[mime]:
        raise FileRejected(N_("The content of the file does not match its name ({ext})."), ext=ext)
    if mime in IMAGE_TYPES:
        _check_picture(content)
    return CheckedFile(
        filename=filename.strip()[-255:] or "file" + ext,
        mime_type=mime,
        size_bytes=size,
        sha256=hashlib.sha256(content).hexdigest(),
        is_image=mime in IMAGE_TYPES,
    )


def _check_picture(content: bytes) -> None:
    """Measure the picture from its header (nothing decoded yet), then check it whole."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # measured below
            with Image.open(io.BytesIO(content)) as img:
                width, height = img.size
                if width * height > MAX_PIXELS:
                    raise FileRejected(
                        N_("The picture is {width} × {height} pixels; at most {mp} megapixels are accepted."),
                        width=width,
                        height=height,
                        mp=MAX_PIXELS // 1_000_000,
                    )
                img.verify()
    except FileRejected:
        raise
    except Image.DecompressionBombError as exc:  # so large that Pillow will not even open it
        raise FileRejected(
            N_("The picture has far more than {mp} megapixels; it is refused."), mp=MAX_PIXELS // 1_000_000
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise FileRejected(N_("The picture is damaged and cannot be read.")) from exc


def thumbnail(content: bytes) -> bytes:
    """A small JPEG of a picture that `check_file` accepted (JPEGs are decoded at a reduced
    scale straight away)."""
    with Image.open(io.BytesIO(content)) as img:
        if img.width * img.height > MAX_PIXELS:
            raise FileRejected(N_("The picture is too large to open."))
        img.draft("RGB", THUMB_SIZE)
        rgb = img.convert("RGB")
        rgb.thumbnail(THUMB_SIZE)
        out = io.BytesIO()
        rgb.save(out, format="JPEG", quality=82)
        return out.getvalue()
