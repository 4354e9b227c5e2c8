"""Posting with fewer row locks: the invoice and each issued balance are locked by the
UPDATE that changes them, not by a SELECT ... FOR UPDATE before it. An issue or write-off
line is one statement (the update takes the moving-average cost only when enough is there,
PostgreSQL 18's RETURNING OLD gives the balance before); an invoice posts in one
round trip as before. Two keepers issuing the last litres still meet at the balance row:
the second waits for the first, then finds too little and gets TW003.

`p_alone`: the call is a transaction of its own (the keeper's Post button, in autocommit).
A posting that needs more than the database can do (the odometer reading of a fuel issue,
low-stock notices) then raises TW010 and changes nothing; the service posts it again in a
whole unit of work.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 02:00:00
"""

from collections.abc import Sequence
from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

POST = r"""
CREATE FUNCTION stock_post_invoice(p_invoice bigint, p_now timestamptz, p_user_id bigint, p_username text,
                                   p_alone boolean DEFAULT false)
RETURNS TABLE (low bigint[], kind text, vehicle_id bigint, odometer_km bigint, posted_at timestamptz)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    inv stock_invoice%ROWTYPE;
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
    -- the update locks the invoice: a second click waits, then finds it posted
    UPDATE stock_invoice AS s
       SET status = 'posted',
           posted_at = CASE WHEN s.doc_date >= (p_now AT TIME ZONE 'UTC')::date THEN p_now
                            ELSE (s.doc_date + time '12:00') AT TIME ZONE 'UTC' END
     WHERE s.id = p_invoice AND s.status = 'draft'
    RETURNING s.* INTO inv;
    IF NOT FOUND THEN
        SELECT * INTO inv FROM stock_invoice WHERE id = p_invoice;
        IF NOT FOUND THEN
            RAISE EXCEPTION USING ERRCODE = 'TW001', MESSAGE = 'no such invoice';
        END IF;
        RAISE EXCEPTION USING ERRCODE = 'TW002', MESSAGE = 'not a draft',
            DETAIL = json_build_object('number', inv.number, 'status', inv.status)::text;
    END IF;
    at := inv.posted_at;
    IF p_alone AND inv.kind = 'issue' AND inv.vehicle_id IS NOT NULL AND inv.odometer_km IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'TW010', MESSAGE = 'the odometer needs the unit of work';
    END IF;
    FOR ln IN
        SELECT l.item_id, sum(l.quantity) AS qty,
               sum(round(l.quantity * coalesce(l.unit_price, 0), 2)) AS value,
               i.reorder_level
          FROM stock_invoice_line l JOIN item i ON i.id = l.item_id
         WHERE l.invoice_id = p_invoice
         GROUP BY l.item_id, i.reorder_level
         ORDER BY l.item_id
    LOOP
        IF inv.kind IN ('issue', 'writeoff') THEN
            -- the common case in one statement: the update locks the balance (items in id order)
            -- and takes the moving-average cost only when enough is there
            UPDATE stock_balance AS b
               SET qty = b.qty - ln.qty,
                   value = b.value - CASE WHEN ln.qty = b.qty THEN b.value
                                          ELSE least(b.value, round(b.value * ln.qty / b.qty, 2)) END
             WHERE b.item_id = ln.item_id AND b.warehouse_id = inv.warehouse_id AND b.qty >= ln.qty
            RETURNING old.qty, old.value - new.value INTO before, v;
            IF FOUND THEN
                out_items := out_items || ln.item_id;
                out_qty := out_qty || -ln.qty;
                out_value := out_value || -v;
            ELSE  -- not enough: stock_take explains (or takes, if a receipt came in meanwhile)
                SELECT coalesce(max(b.qty), 0) INTO before FROM stock_balance b
                 WHERE b.item_id = ln.item_id AND b.warehouse_id = inv.warehouse_id;
                PERFORM stock_take(p_invoice, ln.item_id, inv.warehouse_id, ln.qty, at);
            END IF;
            after := before - ln.qty;
        ELSE
            IF inv.kind = 'transfer' THEN  -- both stores' rows, in store order
                INSERT INTO stock_balance (item_id, warehouse_id) VALUES (ln.item_id, inv.to_warehouse_id)
                ON CONFLICT DO NOTHING;
                PERFORM 1 FROM stock_balance WHERE item_id = ln.item_id
                   AND warehouse_id IN (inv.warehouse_id, inv.to_warehouse_id) ORDER BY warehouse_id FOR UPDATE;
            END IF;
            SELECT * INTO bal FROM stock_balance WHERE item_id = ln.item_id AND warehouse_id = inv.warehouse_id
               FOR UPDATE;
            before := coalesce(bal.qty, 0);
            IF inv.kind = 'receipt' THEN
                PERFORM stock_put(p_invoice, ln.item_id, inv.warehouse_id, ln.qty, ln.value, at);
            ELSIF inv.kind = 'transfer' THEN
                v := stock_take(p_invoice, ln.item_id, inv.warehouse_id, ln.qty, at);
                PERFORM stock_put(p_invoice, ln.item_id, inv.to_warehouse_id, ln.qty, v, at);
            ELSIF inv.kind = 'count' THEN
                delta := ln.qty - before;
                IF delta < 0 THEN
                    PERFORM stock_take(p_invoice, ln.item_id, inv.warehouse_id, -delta, at);
                ELSIF delta > 0 THEN
                    v := CASE WHEN before > 0 THEN round(delta * (bal.value / before), 2) ELSE 0 END;
                    PERFORM stock_put(p_invoice, ln.item_id, inv.warehouse_id, delta, v, at);
                END IF;
            END IF;
            after := CASE WHEN inv.kind = 'receipt' THEN before + ln.qty
                          WHEN inv.kind = 'count' THEN ln.qty
                          ELSE before - ln.qty END;
        END IF;
        IF ln.reorder_level > 0 AND before >= ln.reorder_level AND after < ln.reorder_level THEN
            low := low || ln.item_id;
        END IF;
    END LOOP;
    IF out_items <> '{}' THEN  -- the common case's movements in one statement
        INSERT INTO stock_move (item_id, warehouse_id, invoice_id, moved_at, qty, value)
        SELECT m.item_id, inv.warehouse_id, p_invoice, at, m.qty, m.value
          FROM unnest(out_items, out_qty, out_value) AS m (item_id, qty, value);
    END IF;
    IF p_alone AND low <> '{}' THEN
        RAISE EXCEPTION USING ERRCODE = 'TW010', MESSAGE = 'low-stock notices need the unit of work';
    END IF;
    INSERT INTO activity_log (user_id, username, action, entity_type, entity_id, changes)
    VALUES (p_user_id, p_username, 'update', 'stock_invoice', p_invoice::text,
            jsonb_build_object('status', jsonb_build_object('before', 'draft', 'after', 'posted'),
                               'posted_at', jsonb_build_object('before', NULL, 'after', at)));
    RETURN QUERY SELECT low, inv.kind::text, inv.vehicle_id, inv.odometer_km::bigint, at;
END $$;
"""


def upgrade() -> None:
    op.execute("DROP FUNCTION stock_post_invoice(bigint, timestamptz, bigint, text)")
    op.execute(POST)


def downgrade() -> None:
    spec = spec_from_file_location("posting_0004", Path(__file__).with_name("0004_stock_posting_function.py"))
    assert spec is not None and spec.loader is not None
    previous = module_from_spec(spec)
    spec.loader.exec_module(previous)
    op.execute("DROP FUNCTION stock_post_invoice(bigint, timestamptz, bigint, text, boolean)")
    op.execute(previous.POST)
