"""Barcode labels (SPEC W2): the items and counts to print, on the company's label stock.

From a receipt, one label per received unit of what is counted in pieces and one for the
rest (`receipt_labels`); from an item, the count the keeper asks for. `print_labels` checks
the counts and the start position on a partly used sheet and makes the sheet (PDF).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from common.actor import Actor
from common.errors import DomainError, FieldErrors, NotFound
from common.i18n import N_
from common.roles import CAN_VIEW_STOCK
from core.printing import LABEL_STOCK_KEY, LABEL_STOCKS, MAX_LABELS, Label, LabelStock, default_label_count, labels_pdf
from core.services.settings import get_param
from core.services.stock.documents import get_document
from db.models.stock import Item
from db.session import UnitOfWork


class UnknownLabelStock(DomainError):
    """The label stock setting names a stock Twara does not know."""


@dataclass(frozen=True)
class LabelCount:
    """How many labels of an item to print (as typed: checked by `print_labels`)."""

    item_id: int
    count: str


def _stock(uow: UnitOfWork) -> LabelStock:
    code = str(get_param(uow.session, LABEL_STOCK_KEY)).strip()
    if code not in LABEL_STOCKS:
        raise UnknownLabelStock(
            N_("The label stock {code} is not known: an administrator chooses one in Settings."), code=code
        )
    return LABEL_STOCKS[code]


def label_stock(uow: UnitOfWork, actor: Actor) -> LabelStock:
    """The label sheets the company prints on (the setting `stock.label_stock`)."""
    actor.require(CAN_VIEW_STOCK)
    with uow:
        return _stock(uow)


def receipt_labels(uow: UnitOfWork, actor: Actor, document_id: int) -> list[dict[str, Any]]:
    """A receipt's items with the labels to print by default: one per received unit of
    what is counted in pieces, one for the rest (a tank of diesel); an item on two lines
    once, with its quantities added."""
    doc = get_document(uow, actor, document_id)
    items: dict[int, dict[str, Any]] = {}
    for line in doc["lines"]:
        row = items.setdefault(
            line["item_id"],
            {k: line[k] for k in ("item_id", "name", "article", "barcode", "unit")} | {"quantity": 0},
        )
        row["quantity"] += line["quantity"]
    for row in items.values():
        row["count"] = default_label_count(row["quantity"], row["unit"])
    return list(items.values())


def _whole(raw: str, errors: FieldErrors, field: str, low: int, high: int) -> int:
    text = str(raw).strip().replace(",", "")
    if not text.isdigit() or not low <= int(text) <= high:
        errors.add(field, N_("Enter a whole number from {low} to {high}."), low=low, high=high)
        return 0
    return int(text)


def print_labels(uow: UnitOfWork, actor: Actor, counts: list[LabelCount], start: str = "1") -> bytes:
    """The label sheet (PDF) of the items and counts asked for, in that order, on the
    company's label stock, the first label at position `start` of the first sheet (1 = top
    left, row by row). Each wrong count gets its message at `count_<item id>`, a wrong start
    at `start`, and nothing at all (or more than MAX_LABELS) at `labels`."""
    actor.require(CAN_VIEW_STOCK)
    errors = FieldErrors()
    wanted = [(c.item_id, _whole(c.count, errors, f"count_{c.item_id}", 0, MAX_LABELS)) for c in counts]
    total = sum(n for _, n in wanted)
    if not errors and total == 0:
        errors.add("labels", N_("Ask for at least one label."))
    if total > MAX_LABELS:
        errors.add("labels", N_("At most {n} labels at a time."), n=MAX_LABELS)
    with uow:
        stock = _stock(uow)
        first = _whole(start, errors, "start", 1, stock.per_sheet)
        errors.raise_if_any()
        ids = {item_id for item_id, n in wanted if n}
        items = {i.id: i for i in uow.session.scalars(select(Item).where(Item.id.in_(ids)))}
        if len(items) < len(ids):
            raise NotFound(N_("This item does not exist."))
        labels = [
            Label(items[item_id].name, items[item_id].article, items[item_id].barcode)
            for item_id, n in wanted
            for _ in range(n)
        ]
    return labels_pdf(labels, stock, first)
