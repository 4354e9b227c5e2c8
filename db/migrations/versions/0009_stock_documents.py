"""The warehouse's "invoices" are stock documents in the schema too (the screen still says
"Invoice"): tables, columns, constraints, indexes and sequences renamed; the posting
functions re-created under their new names over the new tables (bodies as in 0004 and 0007,
identifiers changed); the low-stock rule as one SQL function, `stock_is_low`, which the
posting function and the services' queries use (core.stock.is_low is its specification,
held by a test); stored references (activity log, attachments, notifications) renamed.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 12:00:00
"""

from collections.abc import Sequence
from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path
from types import ModuleType

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (old, new) per kind of object; constraint and index names are those 0003 gave them
TABLES = [("stock_invoice", "stock_document"), ("stock_invoice_line", "stock_document_line")]
SEQUENCES = [
    ("stock_invoice_id_seq", "stock_document_id_seq"),
    ("stock_invoice_line_id_seq", "stock_document_line_id_seq"),
]
COLUMNS = [("stock_document_line", "invoice_id", "document_id"), ("stock_move", "invoice_id", "document_id")]
CONSTRAINTS = [
    ("stock_document", "pk_stock_invoice", "pk_stock_document"),
    ("stock_document", "ck_stock_invoice_kind_known", "ck_stock_document_kind_known"),
    ("stock_document", "ck_stock_invoice_status_known", "ck_stock_document_status_known"),
    ("stock_document", "ck_stock_invoice_transfer_between_stores", "ck_stock_document_transfer_between_stores"),
    ("stock_document", "fk_stock_invoice_created_by_app_user", "fk_stock_document_created_by_app_user"),
    ("stock_document", "fk_stock_invoice_employee_id_employee", "fk_stock_document_employee_id_employee"),
    ("stock_document", "fk_stock_invoice_repair_id_repair", "fk_stock_document_repair_id_repair"),
    ("stock_document", "fk_stock_invoice_to_warehouse_id_warehouse", "fk_stock_document_to_warehouse_id_warehouse"),
    ("stock_document", "fk_stock_invoice_vehicle_id_vehicle", "fk_stock_document_vehicle_id_vehicle"),
    ("stock_document", "fk_stock_invoice_warehouse_id_warehouse", "fk_stock_document_warehouse_id_warehouse"),
    ("stock_document_line", "pk_stock_invoice_line", "pk_stock_document_line"),
    (
        "stock_document_line",
        "ck_stock_invoice_line_quantity_not_negative",
        "ck_stock_document_line_quantity_not_negative",
    ),
    ("stock_document_line", "ck_stock_invoice_line_price_not_negative", "ck_stock_document_line_price_not_negative"),
    (
        "stock_document_line",
        "fk_stock_invoice_line_invoice_id_stock_invoice",
        "fk_stock_document_line_document_id_stock_document",
    ),
    ("stock_document_line", "fk_stock_invoice_line_item_id_item", "fk_stock_document_line_item_id_item"),
    ("stock_move", "fk_stock_move_invoice_id_stock_invoice", "fk_stock_move_document_id_stock_document"),
]
INDEXES = [
    ("ix_stock_invoice_date", "ix_stock_document_date"),
    ("uq_stock_invoice_number", "uq_stock_document_number"),
    ("ix_stock_invoice_line_invoice", "ix_stock_document_line_document"),
    ("ix_stock_move_invoice", "ix_stock_move_document"),
]
ENTITY_TYPES = [("stock_invoice", "stock_document"), ("stock_invoice_line", "stock_document_line")]
REFERRING = ["activity_log", "attachment", "notification"]

IS_LOW = r"""
CREATE FUNCTION stock_is_low(p_qty numeric, p_level numeric) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT p_level > 0 AND p_qty < p_level $$;
"""

TAKE = r"""
CREATE FUNCTION stock_take(p_document bigint, p_item bigint, p_store bigint, p_qty numeric, p_at timestamptz)
RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE
    b stock_balance%ROWTYPE;
    v numeric;
BEGIN
    SELECT * INTO b FROM stock_balance WHERE item_id = p_item AND warehouse_id = p_store FOR UPDATE;
    IF NOT FOUND OR b.qty < p_qty THEN
        RAISE EXCEPTION USING ERRCODE = 'TW003', MESSAGE = 'not enough stock',
            DETAIL = json_build_object('item', (SELECT name FROM item WHERE id = p_item),
                                       'unit', (SELECT unit FROM item WHERE id = p_item),
                                       'left', coalesce(b.qty, 0))::text;
    END IF;
    v := CASE WHEN p_qty = b.qty THEN b.value ELSE least(b.value, round(b.value * p_qty / b.qty, 2)) END;
    UPDATE stock_balance SET qty = qty - p_qty, value = value - v
     WHERE item_id = p_item AND warehouse_id = p_store;
    INSERT INTO stock_move (item_id, warehouse_id, document_id, moved_at, qty, value)
    VALUES (p_item, p_store, p_document, p_at, -p_qty, -v);
    RETURN v;
END $$;
"""

PUT = r"""
CREATE FUNCTION stock_put(p_document bigint, p_item bigint, p_store bigint, p_qty numeric, p_value numeric,
                          p_at timestamptz)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stock_balance AS b (item_id, warehouse_id, qty, value)
    VALUES (p_item, p_store, p_qty, p_value)
    ON CONFLICT (item_id, warehouse_id) DO UPDATE SET qty = b.qty + EXCLUDED.qty, value = b.value + EXCLUDED.value;
    INSERT INTO stock_move (item_id, warehouse_id, document_id, moved_at, qty, value)
    VALUES (p_item, p_store, p_document, p_at, p_qty, p_value);
END $$;
"""

POST = r"""
CREATE FUNCTION stock_post_document(p_document bigint, p_now timestamptz, p_user_id bigint, p_username text,
                                    p_alone boolean DEFAULT false)
RETURNS TABLE (low bigint[], kind text, vehicle_id bigint, odometer_km bigint, posted_at timestamptz)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    doc stock_document%ROWTYPE;
    ln record;
    at timestamptz;
    before numeric;
    after numeric;
    bal stock_balance%ROWTYPE;
    delta numeric;
    v numeric;
    low bigint[] := '{}';
    out_items bigint[] := '{}';
    out_qty numeric[] := '{}';
    out_value numeric[] := '{}';
BEGIN
    -- the update locks the document: a second click waits, then finds it posted
    UPDATE stock_document AS s
       SET status = 'posted',
           posted_at = CASE WHEN s.doc_date >= (p_now AT TIME ZONE 'UTC')::date THEN p_now
                            ELSE (s.doc_date + time '12:00') AT TIME ZONE 'UTC' END
     WHERE s.id = p_document AND s.status = 'draft'
    RETURNING s.* INTO doc;
    IF NOT FOUND THEN
        SELECT * INTO doc FROM stock_document WHERE id = p_document;
        IF NOT FOUND THEN
            RAISE EXCEPTION USING ERRCODE = 'TW001', MESSAGE = 'no such document';
        END IF;
        RAISE EXCEPTION USING ERRCODE = 'TW002', MESSAGE = 'not a draft',
            DETAIL = json_build_object('number', doc.number, 'status', doc.status)::text;
    END IF;
    at := doc.posted_at;
    IF p_alone AND doc.kind = 'issue' AND doc.vehicle_id IS NOT NULL AND doc.odometer_km IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'TW010', MESSAGE = 'the odometer needs the unit of work';
    END IF;
    FOR ln IN
        SELECT l.item_id, sum(l.quantity) AS qty,
               sum(round(l.quantity * coalesce(l.unit_price, 0), 2)) AS value,
               i.reorder_level
          FROM stock_document_line l JOIN item i ON i.id = l.item_id
         WHERE l.document_id = p_document
         GROUP BY l.item_id, i.reorder_level
         ORDER BY l.item_id
    LOOP
        IF doc.kind IN ('issue', 'writeoff') THEN
            -- the common case in one statement: the update locks the balance (items in id order)
            -- and takes the moving-average cost only when enough is there
            UPDATE stock_balance AS b
               SET qty = b.qty - ln.qty,
                   value = b.value - CASE WHEN ln.qty = b.qty THEN b.value
                                          ELSE least(b.value, round(b.value * ln.qty / b.qty, 2)) END
             WHERE b.item_id = ln.item_id AND b.warehouse_id = doc.warehouse_id AND b.qty >= ln.qty
            RETURNING old.qty, old.value - new.value INTO before, v;
            IF FOUND THEN
                out_items := out_items || ln.item_id;
                out_qty := out_qty || -ln.qty;
                out_value := out_value || -v;
            ELSE  -- not enough: stock_take explains (or takes, if a receipt came in meanwhile)
                SELECT coalesce(max(b.qty), 0) INTO before FROM stock_balance b
                 WHERE b.item_id = ln.item_id AND b.warehouse_id = doc.warehouse_id;
                PERFORM stock_take(p_document, ln.item_id, doc.warehouse_id, ln.qty, at);
            END IF;
            after := before - ln.qty;
        ELSE
            IF doc.kind = 'transfer' THEN  -- both stores' rows, in store order
                INSERT INTO stock_balance (item_id, warehouse_id) VALUES (ln.item_id, doc.to_warehouse_id)
                ON CONFLICT DO NOTHING;
                PERFORM 1 FROM stock_balance WHERE item_id = ln.item_id
                   AND warehouse_id IN (doc.warehouse_id, doc.to_warehouse_id) ORDER BY warehouse_id FOR UPDATE;
            END IF;
            SELECT * INTO bal FROM stock_balance WHERE item_id = ln.item_id AND warehouse_id = doc.warehouse_id
               FOR UPDATE;
            before := coalesce(bal.qty, 0);
            IF doc.kind = 'receipt' THEN
                PERFORM stock_put(p_document, ln.item_id, doc.warehouse_id, ln.qty, ln.value, at);
            ELSIF doc.kind = 'transfer' THEN
                v := stock_take(p_document, ln.item_id, doc.warehouse_id, ln.qty, at);
                PERFORM stock_put(p_document, ln.item_id, doc.to_warehouse_id, ln.qty, v, at);
            ELSIF doc.kind = 'count' THEN
                delta := ln.qty - before;
                IF delta < 0 THEN
                    PERFORM stock_take(p_document, ln.item_id, doc.warehouse_id, -delta, at);
                ELSIF delta > 0 THEN
                    v := CASE WHEN before > 0 THEN round(delta * (bal.value / before), 2) ELSE 0 END;
                    PERFORM stock_put(p_document, ln.item_id, doc.warehouse_id, delta, v, at);
                END IF;
            END IF;
            after := CASE WHEN doc.kind = 'receipt' THEN before + ln.qty
                          WHEN doc.kind = 'count' THEN ln.qty
                          ELSE before - ln.qty END;
        END IF;
        -- falls below its reorder level with this posting (the one rule: stock_is_low)
        IF NOT stock_is_low(before, ln.reorder_level) AND stock_is_low(after, ln.reorder_level) THEN
            low := low || ln.item_id;
        END IF;
    END LOOP;
    IF out_items <> '{}' THEN  -- the common case's movements in one statement
        INSERT INTO stock_move (item_id, warehouse_id, document_id, moved_at, qty, value)
        SELECT m.item_id, doc.warehouse_id, p_document, at, m.qty, m.value
          FROM unnest(out_items, out_qty, out_value) AS m (item_id, qty, value);
    END IF;
    IF p_alone AND low <> '{}' THEN
        RAISE EXCEPTION USING ERRCODE = 'TW010', MESSAGE = 'low-stock notices need the unit of work';
    END IF;
    INSERT INTO activity_log (user_id, username, action, entity_type, entity_id, changes)
    VALUES (p_user_id, p_username, 'update', 'stock_document', p_document::text,
            jsonb_build_object('status', jsonb_build_object('before', 'draft', 'after', 'posted'),
                               'posted_at', jsonb_build_object('before', NULL, 'after', at)));
    RETURN QUERY SELECT low, doc.kind::text, doc.vehicle_id, doc.odometer_km::bigint, at;
END $$;
"""

OLD_FUNCTIONS = [
    "stock_post_invoice(bigint, timestamptz, bigint, text, boolean)",
    "stock_put(bigint, bigint, bigint, numeric, numeric, timestamptz)",
    "stock_take(bigint, bigint, bigint, numeric, timestamptz)",
]
NEW_FUNCTIONS = [
    "stock_post_document(bigint, timestamptz, bigint, text, boolean)",
    "stock_put(bigint, bigint, bigint, numeric, numeric, timestamptz)",
    "stock_take(bigint, bigint, bigint, numeric, timestamptz)",
    "stock_is_low(numeric, numeric)",
]


def _rename(forward: bool) -> None:
    def pick(old: str, new: str) -> tuple[str, str]:
        return (old, new) if forward else (new, old)

    tables = TABLES if forward else TABLES[::-1]
    for old, new in tables:
        a, b = pick(old, new)
        op.rename_table(a, b)
    for old, new in SEQUENCES:
        a, b = pick(old, new)
        op.execute(f"ALTER SEQUENCE {a} RENAME TO {b}")
    for table, old, new in COLUMNS:
        a, b = pick(old, new)
        op.alter_column(_table(table, forward), a, new_column_name=b)
    for table, old, new in CONSTRAINTS:
        a, b = pick(old, new)
        op.execute(f"ALTER TABLE {_table(table, forward)} RENAME CONSTRAINT {a} TO {b}")
    for old, new in INDEXES:
        a, b = pick(old, new)
        op.execute(f"ALTER INDEX {a} RENAME TO {b}")
    for old, new in ENTITY_TYPES:
        a, b = pick(old, new)
        for table in REFERRING:
            op.execute(f"UPDATE {table} SET entity_type = '{b}' WHERE entity_type = '{a}'")
    # a line's logged values name the column it had then
    a, b = pick("invoice_id", "document_id")
    line = pick("stock_invoice_line", "stock_document_line")[1]
    op.execute(
        f"UPDATE activity_log SET changes = jsonb_set(changes #- '{{after,{a}}}', '{{after,{b}}}', "
        f"changes -> 'after' -> '{a}') WHERE entity_type = '{line}' AND changes -> 'after' ? '{a}'"
    )


def _table(new_name: str, forward: bool) -> str:
    """The name a table has at the moment its columns and constraints are renamed: the new
    one going up (tables are renamed first), the old one going down."""
    if forward:
        return new_name
    return dict((new, old) for old, new in TABLES).get(new_name, new_name)


def _previous(filename: str) -> ModuleType:
    spec = spec_from_file_location(filename.removesuffix(".py"), Path(__file__).with_name(filename))
    assert spec is not None and spec.loader is not None
    module = module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade() -> None:
    for signature in OLD_FUNCTIONS:
        op.execute(f"DROP FUNCTION {signature}")
    _rename(forward=True)
    op.execute(IS_LOW)
    op.execute(TAKE)
    op.execute(PUT)
    op.execute(POST)


def downgrade() -> None:
    for signature in NEW_FUNCTIONS:
        op.execute(f"DROP FUNCTION {signature}")
    _rename(forward=False)
    first = _previous("0004_stock_posting_function.py")
    op.execute(first.TAKE)
    op.execute(first.PUT)
    op.execute(_previous("0007_stock_posting_locks.py").POST)
