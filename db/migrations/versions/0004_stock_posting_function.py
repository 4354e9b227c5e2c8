"""Posting of a stock invoice as one server-side function: one round trip per posting,
its activity-log row included.

The rules are those of core/stock.py (moving-average cost, the last unit takes what is
left, an inventory count adjusts book to counted); an integration test checks the two
agree on random cases. Errors carry a SQLSTATE of class TW so the service can translate:
TW001 no such invoice, TW002 not a draft (DETAIL = JSON with number and status), TW003 not enough stock
(DETAIL = JSON with item, unit and what is left).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 23:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TAKE = r"""
CREATE FUNCTION stock_take(p_invoice bigint, p_item bigint, p_store bigint, p_qty numeric, p_at timestamptz)
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
    INSERT INTO stock_move (item_id, warehouse_id, invoice_id, moved_at, qty, value)
    VALUES (p_item, p_store, p_invoice, p_at, -p_qty, -v);
    RETURN v;
END $$;
"""

PUT = r"""
CREATE FUNCTION stock_put(p_invoice bigint, p_item bigint, p_store bigint, p_qty numeric, p_value numeric,
                          p_at timestamptz)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stock_balance AS b (item_id, warehouse_id, qty, value)
    VALUES (p_item, p_store, p_qty, p_value)
    ON CONFLICT (item_id, warehouse_id) DO UPDATE SET qty = b.qty + EXCLUDED.qty, value = b.value + EXCLUDED.value;
    INSERT INTO stock_move (item_id, warehouse_id, invoice_id, moved_at, qty, value)
    VALUES (p_item, p_store, p_invoice, p_at, p_qty, p_value);
END $$;
"""

POST = r"""
CREATE FUNCTION stock_post_invoice(p_invoice bigint, p_now timestamptz, p_user_id bigint, p_username text)
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
    SELECT * INTO inv FROM stock_invoice WHERE id = p_invoice FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'TW001', MESSAGE = 'no such invoice';
    END IF;
    IF inv.status <> 'draft' THEN
        RAISE EXCEPTION USING ERRCODE = 'TW002', MESSAGE = 'not a draft',
            DETAIL = json_build_object('number', inv.number, 'status', inv.status)::text;
    END IF;
    -- goods move on the invoice's date: now for today's invoices, midday (UTC) for earlier ones
    at := CASE WHEN inv.doc_date >= (p_now AT TIME ZONE 'UTC')::date THEN p_now
               ELSE (inv.doc_date + time '12:00') AT TIME ZONE 'UTC' END;
    -- lines of one item are taken together, items in id order: postings lock balances in one order
    FOR ln IN
        SELECT l.item_id, sum(l.quantity) AS qty,
               sum(round(l.quantity * coalesce(l.unit_price, 0), 2)) AS value,
               i.reorder_level
          FROM stock_invoice_line l JOIN item i ON i.id = l.item_id
         WHERE l.invoice_id = p_invoice
         GROUP BY l.item_id, i.reorder_level
         ORDER BY l.item_id
    LOOP
        IF inv.kind = 'transfer' THEN  -- both stores' rows, in store order
            INSERT INTO stock_balance (item_id, warehouse_id) VALUES (ln.item_id, inv.to_warehouse_id)
            ON CONFLICT DO NOTHING;
            PERFORM 1 FROM stock_balance WHERE item_id = ln.item_id
               AND warehouse_id IN (inv.warehouse_id, inv.to_warehouse_id) ORDER BY warehouse_id FOR UPDATE;
        END IF;
        SELECT * INTO bal FROM stock_balance WHERE item_id = ln.item_id AND warehouse_id = inv.warehouse_id
           FOR UPDATE;
        before := coalesce(bal.qty, 0);
        IF inv.kind IN ('issue', 'writeoff') AND bal.qty >= ln.qty THEN  -- the common case, inline
            v := CASE WHEN ln.qty = bal.qty THEN bal.value
                      ELSE least(bal.value, round(bal.value * ln.qty / bal.qty, 2)) END;
            UPDATE stock_balance SET qty = qty - ln.qty, value = value - v
             WHERE item_id = ln.item_id AND warehouse_id = inv.warehouse_id;
            out_items := out_items || ln.item_id;
            out_qty := out_qty || -ln.qty;
            out_value := out_value || -v;
        ELSIF inv.kind = 'receipt' THEN
            PERFORM stock_put(p_invoice, ln.item_id, inv.warehouse_id, ln.qty, ln.value, at);
        ELSIF inv.kind IN ('issue', 'writeoff') THEN  -- not enough: stock_take explains
            PERFORM stock_take(p_invoice, ln.item_id, inv.warehouse_id, ln.qty, at);
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
        after := before + CASE WHEN inv.kind = 'receipt' THEN ln.qty
                               WHEN inv.kind = 'count' THEN ln.qty - before
                               ELSE -ln.qty END;
        IF ln.reorder_level > 0 AND before >= ln.reorder_level AND after < ln.reorder_level THEN
            low := low || ln.item_id;
        END IF;
    END LOOP;
    IF out_items <> '{}' THEN  -- the common case's movements in one statement
        INSERT INTO stock_move (item_id, warehouse_id, invoice_id, moved_at, qty, value)
        SELECT m.item_id, inv.warehouse_id, p_invoice, at, m.qty, m.value
          FROM unnest(out_items, out_qty, out_value) AS m (item_id, qty, value);
    END IF;
    UPDATE stock_invoice SET status = 'posted', posted_at = at WHERE id = p_invoice;
    INSERT INTO activity_log (user_id, username, action, entity_type, entity_id, changes)
    VALUES (p_user_id, p_username, 'update', 'stock_invoice', p_invoice::text,
            jsonb_build_object('status', jsonb_build_object('before', 'draft', 'after', 'posted'),
                               'posted_at', jsonb_build_object('before', NULL, 'after', at)));
    RETURN QUERY SELECT low, inv.kind::text, inv.vehicle_id, inv.odometer_km::bigint, at;
END $$;
"""


def upgrade() -> None:
    op.execute(TAKE)
    op.execute(PUT)
    op.execute(POST)


def downgrade() -> None:
    op.execute("DROP FUNCTION stock_post_invoice(bigint, timestamptz, bigint, text)")
    op.execute("DROP FUNCTION stock_put(bigint, bigint, bigint, numeric, numeric, timestamptz)")
    op.execute("DROP FUNCTION stock_take(bigint, bigint, bigint, numeric, timestamptz)")
