"""Import of the nomenclature and of opening balances from CSV or Excel (per-row report).

Items: each valid row is saved in its own savepoint. Opening balances: the valid rows
become one posted receipt per store, named "Opening balances" (posted by the Post
button's own use case, joined to the import's unit of work); invalid rows are
listed. An article or barcode met before (an earlier row, a saved item) is listed among
the likely duplicates and refused (both are unique); an opening balance whose article and
store are on an earlier row is skipped unless the person chose to import such rows.
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
from core.imports import SAME_ARTICLE, SAME_BARCODE, SAME_ITEM_AND_STORE, Duplicate, Fields, ImportReport, InFile
from core.services.settings import company_today
from core.services.stock.documents import DocumentInput, LineInput
from core.services.stock.posting import create_and_post
from core.stock import StockRuleError, make_ean13, normalize_barcode
from db.models.stock import UNITS, Item, Warehouse
from db.session import UnitOfWork

ITEM_FIELDS = Fields(
    known=("name", "article", "unit", "barcode", "classification", "reorder_level", "reorder_qty", "is_fuel"),
    synonyms={
        "item": "name",
        "item_name": "name",
        "description": "name",
        "product": "name",
        "article_number": "article",
        "article_no": "article",
        "part_number": "article",
        "part_no": "article",
        "sku": "article",
        "code": "article",
        "item_code": "article",
        "uom": "unit",
        "unit_of_measure": "unit",
        "ean": "barcode",
        "ean13": "barcode",
        "bar_code": "barcode",
        "category": "classification",
        "group": "classification",
        "min_stock": "reorder_level",
        "minimum": "reorder_level",
        "reorder_point": "reorder_level",
        "reorder_quantity": "reorder_qty",
        "fuel": "is_fuel",
    },
)
BALANCE_FIELDS = Fields(
    known=("article", "store", "quantity", "unit_price"),
    synonyms={
        "article_number": "article",
        "part_number": "article",
        "sku": "article",
        "code": "article",
        "item_code": "article",
        "warehouse": "store",
        "location": "store",
        "qty": "quantity",
        "stock": "quantity",
        "on_hand": "quantity",
        "price": "unit_price",
        "cost": "unit_price",
        "unit_cost": "unit_price",
    },
)


def import_items(
    uow: UnitOfWork, actor: Actor, rows: list[dict[str, str]], duplicates: str = "skip", dry_run: bool = False
) -> ImportReport:
    """Columns: ITEM_FIELDS.known. `dry_run`: check everything, save nothing. (An item met
    before is refused whatever `duplicates` says: articles and barcodes are unique.)"""
    actor.require(CAN_EDIT_STOCK)
    report = ImportReport(dry_run=dry_run)
    with uow:
        session = uow.session
        seen: dict[str, int] = {}
        seen_codes: dict[str, int] = {}
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
                report.clash(Duplicate(number, [SAME_ARTICLE], of_row=seen[article]))
            elif saved := session.scalar(select(Item.name).where(func.upper(Item.article) == article)):
                errors.add("article", N_("The article {article} exists already."), article=article)
                report.clash(Duplicate(number, [SAME_ARTICLE], record=f"{article} {saved}"))
            seen.setdefault(article, number)
            if unit not in UNITS:
                errors.add("unit", N_("Choose the unit of measure."))
            barcode = None
            if row.get("barcode"):
                try:
                    barcode = normalize_barcode(row["barcode"])
                except StockRuleError as exc:
                    errors.add("barcode", exc.message, **exc.params)
                if barcode and barcode in seen_codes:
                    errors.add("barcode", N_("The same barcode is on row {n} of this file."), n=seen_codes[barcode])
                    report.clash(Duplicate(number, [SAME_BARCODE], of_row=seen_codes[barcode]))
                elif barcode and (other := session.scalar(select(Item.name).where(Item.barcode == barcode))):
                    errors.add("barcode", N_("This barcode is on another item."))
                    report.clash(Duplicate(number, [SAME_BARCODE], record=other))
                if barcode:
                    seen_codes.setdefault(barcode, number)
            levels = {}
            for key in ("reorder_level", "reorder_qty"):
                try:
                    levels[key] = Decimal((row.get(key) or "0").replace(",", ""))
                    if levels[key] < 0:
                        raise InvalidOperation
                except InvalidOperation:
                    errors.add(key, N_("Enter a number that is zero or more."))
            if errors:
                report.refuse(number, errors.errors)
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
        if not dry_run:
            uow.commit()
    return report


def import_opening_balances(
    uow: UnitOfWork,
    actor: Actor,
    rows: list[dict[str, str]],
    on: dt.date | None = None,
    duplicates: str = "skip",
    dry_run: bool = False,
) -> ImportReport:
    """Rows of article, store, quantity, unit_price (BALANCE_FIELDS). An article and store
    on an earlier row is a likely duplicate: skipped (the default) or imported as
    `duplicates` says. A dry run posts the receipts and rolls them back: checked, not saved."""
    actor.require(CAN_EDIT_STOCK)
    report = ImportReport(dry_run=dry_run)
    per_store: dict[int, list[LineInput]] = defaultdict(list)
    in_file = InFile()
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
                report.refuse(number, errors.errors)
                continue
            assert store_id is not None and item_id is not None
            keys = {SAME_ITEM_AND_STORE: f"{item_id}/{store_id}"}
            found = in_file.check(number, keys)
            if found is not None and report.duplicate(found, duplicates):
                continue
            in_file.add(number, keys)
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
        if not dry_run:
            uow.commit()
    return report
