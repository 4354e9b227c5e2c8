"""Import of the nomenclature and of opening balances from CSV or Excel (per-row report).

Items: each valid row is saved in its own savepoint. Opening balances: the valid rows
become one posted receipt per store, named "Opening balances" (posted by the Post
button's own use case, joined to the import's unit of work); invalid rows are
listed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select

from common.actor import Actor
from common.errors import FieldErrors
from common.i18n import N_
from common.roles import CAN_EDIT_STOCK
from core.imports import ImportReport, RowError
from core.services.settings import company_today
from core.services.stock.documents import DocumentInput, LineInput
from core.services.stock.posting import create_and_post
from core.stock import StockRuleError, make_ean13, normalize_barcode
from db.models.stock import UNITS, Item, Warehouse
from db.session import UnitOfWork


def import_items(uow: UnitOfWork, actor: Actor, rows: list[dict[str, str]]) -> ImportReport:
    actor.require(CAN_EDIT_STOCK)
    report = ImportReport()
    with uow:
        session = uow.session
        seen: dict[str, int] = {}
        for number, row in enumerate(rows, start=2):
            errors = FieldErrors()
            name = " ".join(row.get("name", "").split())
            article = row.get("article", "").strip().upper()
            unit = (row.get("unit") or "pcs").strip().lower()
            if not name:
                errors.add("name", N_("Enter a name."))
            if not article:
                errors.add("article", N_("Enter the article number."))
            elif article in seen:
                errors.add("article", N_("The same article is on row {n} of this file."), n=seen[article])
            elif session.scalar(select(Item.id).where(func.upper(Item.article) == article)):
                errors.add("article", N_("The article {article} exists already."), article=article)
            seen.setdefault(article, number)
            if unit not in UNITS:
                errors.add("unit", N_("Choose the unit of measure."))
            barcode = None
            if row.get("barcode"):
                try:
                    barcode = normalize_barcode(row["barcode"])
                except StockRuleError as exc:
                    errors.add("barcode", exc.message, **exc.params)
                if barcode and session.scalar(select(Item.id).where(Item.barcode == barcode)):
                    errors.add("barcode", N_("This barcode is on another item."))
            levels = {}
            for key in ("reorder_level", "reorder_qty"):
                try:
                    levels[key] = Decimal((row.get(key) or "0").replace(",", ""))
                    if levels[key] < 0:
                        raise InvalidOperation
                except InvalidOperation:
                    errors.add(key, N_("Enter a number that is zero or more."))
            if errors:
                report.errors += [RowError(number, f, m, p) for f, (m, p) in errors.errors.items()]
                continue
            with session.begin_nested():
                item = Item(
                    name=name,
                    article=article,
                    unit=unit,
                    barcode=barcode or f"TMP-{article}"[:40],
                    classification=row.get("classification") or None,
                    **levels,
                    is_fuel=(row.get("is_fuel") or "").lower() in ("1", "yes", "true"),
                )
                session.add(item)
                session.flush()
                if barcode is None:
                    item.barcode = make_ean13(item.id)
            report.imported += 1
        uow.commit()
    return report


def import_opening_balances(
    uow: UnitOfWork, actor: Actor, rows: list[dict[str, str]], on: dt.date | None = None
) -> ImportReport:
    """Rows of article, store, quantity, unit_price."""
    actor.require(CAN_EDIT_STOCK)
    report = ImportReport()
    per_store: dict[int, list[LineInput]] = defaultdict(list)
    with uow:
        session = uow.session
        for number, row in enumerate(rows, start=2):
            errors = FieldErrors()
            item_id = session.scalar(
                select(Item.id).where(func.upper(Item.article) == row.get("article", "").strip().upper())
            )
            if item_id is None:
                errors.add("article", N_("Unknown article {article}."), article=row.get("article", ""))
            store_id = session.scalar(
                select(Warehouse.id).where(func.lower(Warehouse.name) == row.get("store", "").strip().lower())
            )
            if store_id is None:
                errors.add("store", N_("Unknown store {name}."), name=row.get("store", ""))
            for key in ("quantity", "unit_price"):
                try:
                    value = Decimal((row.get(key) or "").replace(",", ""))
                    if value < 0 or (key == "quantity" and value == 0):
                        raise InvalidOperation
                except InvalidOperation:
                    errors.add(
                        key,
                        N_("Enter a number that is zero or more.")
                        if key == "unit_price"
                        else N_("The quantity must be more than zero."),
                    )
            if errors:
                report.errors += [RowError(number, f, m, p) for f, (m, p) in errors.errors.items()]
                continue
            assert store_id is not None and item_id is not None
            per_store[store_id].append(
                LineInput(item_id, row["quantity"].replace(",", ""), row["unit_price"].replace(",", ""))
            )
            report.imported += 1
        for store_id, lines in per_store.items():
            create_and_post(  # joins this unit of work: the import commits once
                uow,
                actor,
                DocumentInput(
                    kind="receipt",
                    warehouse_id=store_id,
                    doc_date=on or company_today(session),
                    lines=lines,
                    basis="Opening balances",
                ),
            )
        uow.commit()
    return report
