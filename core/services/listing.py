"""Search, filter, sort and page a catalog in SQL: the grid only ever gets one page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class ListQuery:
    search: str = ""
    filters: tuple[tuple[str, str], ...] = ()
    sort: str | None = None
    descending: bool = False
    page: int = 1
    page_size: int = 50
    include_archived: bool = False

    def filter_value(self, key: str) -> str | None:
        return dict(self.filters).get(key)


@dataclass
class PageResult:
    rows: list[dict[str, Any]]
    total: int
    page: int
    page_size: int
    columns: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


MAX_PAGE_SIZE = 500


def run_page(
    session: Session,
    base: Select[Any],
    query: ListQuery,
    sortable: Mapping[str, Any],
    default_sort: str,
    tiebreak: Any,
) -> PageResult:
    """Count and fetch one page of `base` (already searched and filtered)."""
    size = min(max(1, query.page_size), MAX_PAGE_SIZE)
    total = session.execute(select(func.count()).select_from(base.order_by(None).subquery())).scalar_one()
    pages = max(1, -(-total // size))
    page = min(max(1, query.page), pages)
    sort_col = sortable.get(query.sort or default_sort, sortable[default_sort])
    ordered = base.order_by(sort_col.desc().nulls_last() if query.descending else sort_col.asc().nulls_last(), tiebreak)
    result = session.execute(ordered.limit(size).offset((page - 1) * size))
    columns = list(result.keys())
    rows = [dict(zip(columns, r, strict=True)) for r in result]
    return PageResult(rows=rows, total=total, page=page, page_size=size, columns=columns)


def like_pattern(text: str) -> str:
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
