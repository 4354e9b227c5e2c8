"""Nomenclature, stores and item categories (SPEC W1, W2): add, find by barcode, list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from common.actor import Actor
from common.errors import FieldErrors, NotFound
from common.i18n import N_
from common.roles import ADMIN, CAN_EDIT_STOCK, CAN_VIEW_STOCK
from core.services.listing import ListQuery, PageResult, like_pattern, run_page
from core.services.stock.fields import quantity
from core.stock import StockRuleError, make_ean13, normalize_barcode
from db.models.stock import UNITS, Item, ItemCategory, StockBalance, Warehouse
from db.session import UnitOfWork

STORE_KINDS = ("store", "tank", "workshop")


@dataclass(frozen=True)
class ItemInput:
    name: str
    article: str
    unit: str
    barcode: str = ""
    classification: str = ""
    category_id: int | None = None
    reorder_level: str = "0"
    reorder_qty: str = "0"
    is_fuel: bool = False
    fuel_type: str = ""


def create_item(uow: UnitOfWork, actor: Actor, data: ItemInput) -> int:
    actor.require(CAN_EDIT_STOCK)
    errors = FieldErrors()
    name = " ".join(data.name.split())
    if not name:
        errors.add("name", N_("Enter a name."))
    article = data.article.strip().upper()
    if not article:
        errors.add("article", N_("Enter the article number."))
    if data.unit not in UNITS:
        errors.add("unit", N_("Choose the unit of measure."))
    barcode = None
    if data.barcode.strip():
        try:
            barcode = normalize_barcode(data.barcode)
        except StockRuleError as exc:
            errors.add("barcode", exc.message, **exc.params)
    level = quantity(data.reorder_level or "0", errors, "reorder_level", allow_zero=True)
    reorder = quantity(data.reorder_qty or "0", errors, "reorder_qty", allow_zero=True)
    with uow:
        if article and uow.session.scalar(select(Item.name).where(func.upper(Item.article) == article)):
            errors.add("article", N_("The article {article} exists already."), article=article)
        if barcode and uow.session.scalar(select(Item.name).where(Item.barcode == barcode)):
            errors.add("barcode", N_("This barcode is on another item."))
        errors.raise_if_any()
        item = Item(
            name=name,
            article=article,
            unit=data.unit,
            barcode=barcode or f"TMP-{article}"[:40],
            classification=data.classification.strip() or None,
            category_id=data.category_id,
            reorder_level=level,
            reorder_qty=reorder,
            is_fuel=data.is_fuel,
            fuel_type=data.fuel_type or None,
        )
        uow.session.add(item)
        try:
            uow.session.flush()
        except IntegrityError as exc:
            uow.session.rollback()
            errors.add("article", N_("The article or barcode was just registered by someone else."))
            errors.raise_if_any()
            raise AssertionError from exc
        if barcode is None:  # the supplier gave none: an in-store EAN-13
            item.barcode = make_ean13(item.id)
        uow.commit()
        return item.id


def find_by_barcode(uow: UnitOfWork, actor: Actor, code: str) -> dict[str, Any]:
    """The item a scanner read; a clear error for an unknown code."""
    actor.require(CAN_VIEW_STOCK)
    clean = code.strip()
    with uow:
        item = uow.session.scalar(select(Item).where(Item.barcode == clean, Item.archived_at.is_(None)))
        if item is None:
            raise NotFound(N_("No item has the barcode {code}."), code=clean)
        return {"id": item.id, "name": item.name, "article": item.article, "unit": item.unit}


def create_warehouse(
    uow: UnitOfWork, actor: Actor, name: str, kind: str = "store", keeper_user_id: int | None = None
) -> int:
    actor.require(frozenset({ADMIN}))
    errors = FieldErrors()
    clean = " ".join(name.split())
    if not clean:
        errors.add("name", N_("Enter a name."))
    if kind not in STORE_KINDS:
        errors.add("kind", N_("Unknown kind."))
    errors.raise_if_any()
    with uow:
        if uow.session.scalar(select(Warehouse.id).where(func.lower(Warehouse.name) == clean.lower())):
            errors.add("name", N_("A store with this name exists already."))
            errors.raise_if_any()
        store = Warehouse(name=clean, kind=kind, keeper_user_id=keeper_user_id)
        uow.session.add(store)
        uow.session.flush()
        uow.commit()
        return store.id


ITEM_COLUMNS: dict[str, Any] = {
    "id": Item.id,
    "article": Item.article,
    "name": Item.name,
    "barcode": Item.barcode,
    "unit": Item.unit,
    "classification": Item.classification,
    "reorder_level": Item.reorder_level,
    "on_hand": select(func.coalesce(func.sum(StockBalance.qty), 0))
    .where(StockBalance.item_id == Item.id)
    .correlate(Item)
    .scalar_subquery(),
    "archived": Item.archived_at.is_not(None),
}


def _item_select(q: ListQuery) -> Any:
    stmt = select(*[c.label(k) for k, c in ITEM_COLUMNS.items()])
    if q.search.strip():
        code = q.search.strip()
        stmt = stmt.where(Item.search_text.like(like_pattern(code)) | (Item.barcode == code))
    if q.filter_value("fuel") == "1":
        stmt = stmt.where(Item.is_fuel)
    if not q.include_archived:
        stmt = stmt.where(Item.archived_at.is_(None))
    return stmt


def list_items(uow: UnitOfWork, actor: Actor, q: ListQuery) -> PageResult:
    actor.require(CAN_VIEW_STOCK)
    with uow:
        return run_page(uow.session, _item_select(q), q, ITEM_COLUMNS, "name", Item.id)


def export_items(uow: UnitOfWork, actor: Actor, q: ListQuery) -> list[dict[str, Any]]:
    actor.require(CAN_VIEW_STOCK)
    with uow:
        return [dict(r._mapping) for r in uow.session.execute(_item_select(q).order_by(Item.name))]


def get_item(uow: UnitOfWork, actor: Actor, item_id: int) -> dict[str, Any]:
    actor.require(CAN_VIEW_STOCK)
    with uow:
        item = uow.session.get(Item, item_id)
        if item is None:
            raise NotFound(N_("This item does not exist."))
        return {c.key: getattr(item, c.key) for c in Item.__mapper__.column_attrs if c.key != "search_text"}


def item_choices(uow: UnitOfWork, actor: Actor) -> list[tuple[int, str]]:
    actor.require(CAN_VIEW_STOCK)
    with uow:
        return [
            (r.id, f"{r.name} · {r.article}")
            for r in uow.session.execute(
                select(Item.id, Item.name, Item.article)
                .where(Item.archived_at.is_(None))
                .order_by(Item.name)
                .limit(5000)
            )
        ]


def list_warehouses(uow: UnitOfWork, actor: Actor) -> list[dict[str, Any]]:
    actor.require(CAN_VIEW_STOCK)
    with uow:
        return [
            {"id": w.id, "name": w.name, "kind": w.kind}
            for w in uow.session.scalars(
                select(Warehouse).where(Warehouse.archived_at.is_(None)).order_by(Warehouse.name)
            )
        ]


def list_categories(uow: UnitOfWork, actor: Actor) -> list[dict[str, Any]]:
    """The category tree, flattened in display order with each category's path."""
    actor.require(CAN_VIEW_STOCK)
    with uow:
        rows = list(uow.session.scalars(select(ItemCategory).where(ItemCategory.archived_at.is_(None))))
    by_parent: dict[int | None, list[Any]] = {}
    for c in rows:
        by_parent.setdefault(c.parent_id, []).append(c)
    out: list[dict[str, Any]] = []

    def walk(parent: int | None, path: str, depth: int) -> None:
        for c in sorted(by_parent.get(parent, []), key=lambda x: x.name.lower()):
            full = f"{path} / {c.name}" if path else c.name
            out.append({"id": c.id, "name": c.name, "path": full, "depth": depth})
            if depth < 10:
                walk(c.id, full, depth + 1)

    walk(None, "", 0)
    return out


def create_category(uow: UnitOfWork, actor: Actor, name: str, parent_id: int | None = None) -> int:
    actor.require(CAN_EDIT_STOCK)
    clean = " ".join(name.split())
    errors = FieldErrors()
    if not clean:
        errors.add("name", N_("Enter a name."))
    errors.raise_if_any()
    with uow:
        clash = uow.session.scalar(
            select(ItemCategory.id).where(
                func.lower(ItemCategory.name) == clean.lower(),
                ItemCategory.parent_id.is_(None) if parent_id is None else ItemCategory.parent_id == parent_id,
            )
        )
        if clash:
            errors.add("name", N_("This category exists already."))
            errors.raise_if_any()
        category = ItemCategory(name=clean, parent_id=parent_id)
        uow.session.add(category)
        uow.session.flush()
        uow.commit()
        return category.id
