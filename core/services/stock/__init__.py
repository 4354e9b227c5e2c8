"""The warehouse's use cases (SPEC W1-W5), by job:

- items: nomenclature, stores, item categories;
- documents: the stock documents ("invoices" on screen) as drafts, their list and details;
- posting: the Post button (`create_and_post`), posting a saved draft, cancelling, a
  repair's parts, all through the database's posting function;
- balances: balances now or in the past, the ledger, what to reorder, fuel per vehicle;
- notices: low stock after a posting, the keepers' daily digest;
- labels: the barcode labels to print (from a receipt or an item) on the company's stock;
- imports: the nomenclature and opening balances from CSV or Excel.

Code outside this package imports `core.services.stock` only.
"""

from __future__ import annotations

from core.services.stock.balances import (
    balance,
    balance_at,
    fuel_issued,
    item_ledger,
    ledger_mismatches,
    store_balances,
    to_reorder,
)
from core.services.stock.documents import (
    DocumentInput,
    DraftValues,
    LineInput,
    create_document,
    draft_values,
    export_documents,
    fuel_vehicle_choices,
    get_document,
    list_documents,
)
from core.services.stock.imports import BALANCE_FIELDS, ITEM_FIELDS, import_items, import_opening_balances
from core.services.stock.items import (
    STORE_KINDS,
    ItemInput,
    create_category,
    create_item,
    create_warehouse,
    export_items,
    find_by_barcode,
    get_item,
    item_choices,
    list_categories,
    list_items,
    list_warehouses,
)
from core.services.stock.labels import LabelCount, UnknownLabelStock, label_stock, print_labels, receipt_labels
from core.services.stock.notices import low_stock_digest
from core.services.stock.posting import (
    AlreadyPosted,
    InsufficientStock,
    cancel_document,
    create_and_post,
    issue_for_repair,
    post_document,
)
from db.models.stock import DOCUMENT_KINDS, DOCUMENT_STATUSES, UNITS

__all__ = [
    "BALANCE_FIELDS",
    "DOCUMENT_KINDS",
    "DOCUMENT_STATUSES",
    "ITEM_FIELDS",
    "STORE_KINDS",
    "UNITS",
    "AlreadyPosted",
    "DocumentInput",
    "DraftValues",
    "InsufficientStock",
    "ItemInput",
    "LabelCount",
    "LineInput",
    "UnknownLabelStock",
    "balance",
    "balance_at",
    "cancel_document",
    "create_and_post",
    "create_category",
    "create_document",
    "create_item",
    "create_warehouse",
    "draft_values",
    "export_documents",
    "export_items",
    "find_by_barcode",
    "fuel_issued",
    "fuel_vehicle_choices",
    "get_document",
    "get_item",
    "import_items",
    "import_opening_balances",
    "issue_for_repair",
    "item_choices",
    "item_ledger",
    "label_stock",
    "ledger_mismatches",
    "list_categories",
    "list_documents",
    "list_items",
    "list_warehouses",
    "low_stock_digest",
    "post_document",
    "print_labels",
    "receipt_labels",
    "store_balances",
    "to_reorder",
]
