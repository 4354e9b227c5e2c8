from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column

from db.base import Audited, Base, CreatedAt, IntPK


class Attachment(Audited, Base):
    """A file of any record (SPEC C3, F6), kept in PostgreSQL with the rest of the data."""

    __tablename__ = "attachment"
    __audit_type__ = "attachment"
    __audit_exclude__ = frozenset({"content", "thumbnail"})
    __table_args__ = (
        CheckConstraint("size_bytes > 0", name="size_positive"),
        CheckConstraint("kind IN ('document', 'photo')", name="kind_known"),
        Index("ix_attachment_owner", "entity_type", "entity_id"),
    )

    id: Mapped[IntPK]
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(20), server_default="document")
    filename: Mapped[str] = mapped_column(String(255))
    mime_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    description: Mapped[str | None] = mapped_column(String(300))
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    thumbnail: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    uploaded_by: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("app_user.id", ondelete="SET NULL"))
    archived_at: Mapped[dt.datetime | None]
    created_at: Mapped[CreatedAt]
