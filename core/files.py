"""What may be attached: checked by content, not by the name the file came with."""

from __future__ import annotations

import hashlib
import io
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
        if mime == "application/zip" and ext in (".docx", ".xlsx"):
            # Office files are zip archives; look for the part that names them
            marker = b"word/" if ext == ".docx" else b"xl/"
            if marker in content[:65536] or marker in content:
                return next(m for m, exts in DOCUMENT_TYPES.items() if ext in exts)
        return mime
    if ext in (".txt", ".csv"):
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            return None
        if b"\x00" in content:
            return None
        return "text/csv" if ext == ".csv" else "text/plain"
    return None


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
        try:
            with Image.open(io.BytesIO(content)) as img:
                img.verify()
        except (UnidentifiedImageError, OSError, SyntaxError) as exc:
            raise FileRejected(N_("The picture is damaged and cannot be read.")) from exc
    return CheckedFile(
        filename=filename.strip()[-255:] or "file" + ext,
        mime_type=mime,
        size_bytes=size,
        sha256=hashlib.sha256(content).hexdigest(),
        is_image=mime in IMAGE_TYPES,
    )


def thumbnail(content: bytes) -> bytes:
    with Image.open(io.BytesIO(content)) as img:
        rgb = img.convert("RGB")
        rgb.thumbnail(THUMB_SIZE)
        out = io.BytesIO()
        rgb.save(out, format="JPEG", quality=82)
        return out.getvalue()
