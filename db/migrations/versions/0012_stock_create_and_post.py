"""The keeper's Post button in one statement: `stock_create_and_post` creates a stock
document from one JSON argument (the keeper's checked input) and posts it with
`stock_post_document`, writing the activity-log rows the unit of work would write (the
document and each line created, in db/audit.py's shape, then the posting's own row); the
stores and items are checked in it (TW004, worded by the service as new_document words them).

Numbers come from a counter row per prefix (`stock_document_counter`, taken by
`stock_next_number`, which the unit-of-work path uses too) instead of an advisory lock over
max(id) + 1: the counter's row lock, held to the commit, keeps the numbers of a prefix
without gaps, and a rolled-back document gives its number back (max(id) + 1 skipped the ids
a rollback had used). The function takes the number last, after the posting and just before
the log rows, so keepers wait for each other's number only for those statements and the
commit; alone (autocommit) it is one statement, its transaction. `stock_post_document` is
re-created with one more argument, `p_log` (default true), so that the posting's log row
follows the document's own.

`p_alone` as for `stock_post_document`: a fuel issue with an odometer reading or a posting
that takes an item below its reorder level raises TW010 and leaves nothing (the statement is
its transaction); the service then runs the same function inside a whole unit of work.

The counters start from the documents already numbered: per prefix, the largest number.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 00:30:00
"""

from collections.abc import Sequence
from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEXT_NUMBER = r"""
CREATE FUNCTION stock_next_number() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    p text;
    n bigint;
BEGIN
    SELECT btrim(value, E' \t\r\n') INTO p FROM parameter WHERE key = 'stock.invoice_prefix';
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'TW005', MESSAGE = 'no such setting', DETAIL = 'stock.invoice_prefix';
    END IF;
    -- the row lock is held to the commit: the next keeper's number waits for this one's fate
    INSERT INTO stock_document_counter AS c (prefix, last_number) VALUES (p, 1)
    ON CONFLICT (prefix) DO UPDATE SET last_number = c.last_number + 1
    RETURNING c.last_number INTO n;
    RETURN p || '-' || lpad(n::text, greatest(7, length(n::text)), '0');
END $$;
"""

CREATE_AND_POST = r"""
CREATE FUNCTION stock_create_and_post(p_input jsonb, p_now timestamptz, p_user_id bigint, p_username text,
                                      p_alone boolean DEFAULT false)
RETURNS TABLE (document_id bigint, number text, low bigint[], kind text, vehicle_id bigint, odometer_km bigint,
               posted_at timestamptz)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    d stock_document%ROWTYPE;
    bad_store boolean;
    unknown bigint[];
    line_ids bigint[];
    line_items bigint[];
    line_qty jsonb[];
    line_price jsonb[];
    r record;
BEGIN
    d := jsonb_populate_record(NULL::stock_document, p_input - 'lines');
    -- the checks new_document makes with the database: active stores, existing items
    SELECT EXISTS (SELECT 1 FROM unnest(ARRAY[d.warehouse_id, d.to_warehouse_id]) AS s (id)
                    WHERE s.id IS NOT NULL
                      AND NOT EXISTS (SELECT 1 FROM warehouse w WHERE w.id = s.id AND w.archived_at IS NULL)),
           ARRAY(SELECT e.n FROM jsonb_array_elements(p_input -> 'lines') WITH ORDINALITY AS e (line, n)
                  WHERE NOT EXISTS (SELECT 1 FROM item i WHERE i.id = (e.line ->> 'item_id')::bigint)
                  ORDER BY e.n)
      INTO bad_store, unknown;
    IF bad_store OR unknown <> '{}' THEN
        RAISE EXCEPTION USING ERRCODE = 'TW004', MESSAGE = 'unknown store or item',
            DETAIL = json_build_object('store', bad_store, 'lines', unknown)::text;
    END IF;
    IF p_alone AND d.kind = 'issue' AND d.vehicle_id IS NOT NULL AND d.odometer_km IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'TW010', MESSAGE = 'the odometer needs the unit of work';
    END IF;
    -- the draft under a provisional number ('#' and its id: no one sees it before the commit)
    d.id := nextval('stock_document_id_seq'::regclass);
    INSERT INTO stock_document (id, number, kind, doc_date, warehouse_id, to_warehouse_id, supplier, basis,
                                vehicle_id, employee_id, repair_id, odometer_km, created_by, created_at)
    VALUES (d.id, '#' || d.id, d.kind, d.doc_date, d.warehouse_id, d.to_warehouse_id, d.supplier, d.basis,
            d.vehicle_id, d.employee_id, d.repair_id, d.odometer_km, d.created_by, p_now)
    RETURNING * INTO d;
    -- the lines in the keeper's order; their values logged as the keeper's input gave them
    SELECT array_agg(nextval('stock_document_line_id_seq'::regclass) ORDER BY e.n),
           array_agg((e.line ->> 'item_id')::bigint ORDER BY e.n),
           array_agg(e.line -> 'quantity' ORDER BY e.n),
           array_agg(coalesce(e.line -> 'unit_price', 'null') ORDER BY e.n)
      INTO line_ids, line_items, line_qty, line_price
      FROM jsonb_array_elements(p_input -> 'lines') WITH ORDINALITY AS e (line, n);
    INSERT INTO stock_document_line (id, document_id, item_id, quantity, unit_price)
    SELECT l.id, d.id, l.item_id, (l.qty #>> '{}')::numeric, (l.price #>> '{}')::numeric
      FROM unnest(line_ids, line_items, line_qty, line_price) WITH ORDINALITY AS l (id, item_id, qty, price, n)
     ORDER BY l.n;
    -- the posting (it logs nothing here: the log rows follow, in the order things happened)
    SELECT * INTO r FROM stock_post_document(d.id, p_now, p_user_id, p_username, p_alone, false);
    -- the number last: its counter row stays locked from here to the commit only
    d.number := stock_next_number();
    UPDATE stock_document SET number = d.number WHERE id = d.id;
    -- what db/audit.py writes for a new document and its lines (the columns set on creation),
    -- then the posting's row as stock_post_document writes it
    INSERT INTO activity_log (user_id, username, action, entity_type, entity_id, changes)
    SELECT p_user_id, p_username, x.action, x.entity_type, x.entity_id, x.changes
      FROM (SELECT 0::bigint AS n, 'create' AS action, 'stock_document' AS entity_type, d.id::text AS entity_id,
                   jsonb_build_object('after', to_jsonb(d) - 'posted_at' - 'cancelled_at' - 'version') AS changes
            UNION ALL
            SELECT l.n, 'create', 'stock_document_line', l.id::text,
                   jsonb_build_object('after', jsonb_build_object('id', l.id, 'document_id', d.id,
                                                                  'item_id', l.item_id, 'quantity', l.qty,
                                                                  'unit_price', l.price))
              FROM unnest(line_ids, line_items, line_qty, line_price) WITH ORDINALITY AS l (id, item_id, qty, price, n)
            UNION ALL
            SELECT 1000000, 'update', 'stock_document', d.id::text,
                   jsonb_build_object('status', jsonb_build_object('before', 'draft', 'after', 'posted'),
                                      'posted_at', jsonb_build_object('before', NULL, 'after', r.posted_at))
           ) AS x
     ORDER BY x.n;
    RETURN QUERY SELECT d.id, d.number::text, r.low, r.kind, r.vehicle_id, r.odometer_km, r.posted_at;
END $$;
"""


def _previous(filename: str) -> ModuleType:
    spec = spec_from_file_location(filename.removesuffix(".py"), Path(__file__).with_name(filename))
    assert spec is not None and spec.loader is not None
    module = module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_POSTING_0009 = "stock_post_document(bigint, timestamptz, bigint, text, boolean)"
_POSTING = "stock_post_document(bigint, timestamptz, bigint, text, boolean, boolean)"
_LOG_0009 = """    INSERT INTO activity_log (user_id, username, action, entity_type, entity_id, changes)
    VALUES (p_user_id, p_username, 'update', 'stock_document', p_document::text,
            jsonb_build_object('status', jsonb_build_object('before', 'draft', 'after', 'posted'),
                               'posted_at', jsonb_build_object('before', NULL, 'after', at)));
"""


def posting_function() -> str:
    """0009's stock_post_document with one more argument, `p_log` (default true): false when
    stock_create_and_post writes the posting's log row itself, after the document's. The body
    is 0009's otherwise, word for word."""
    body = _previous("0009_stock_documents.py").POST
    signature = "p_alone boolean DEFAULT false)"
    assert body.count(_LOG_0009) == 1 and body.count(signature) == 1
    body = body.replace(signature, "p_alone boolean DEFAULT false,\n" + " " * 36 + "p_log boolean DEFAULT true)")
    logged = "    IF p_log THEN\n" + "".join(f"    {line}\n" for line in _LOG_0009.splitlines()) + "    END IF;\n"
    return body.replace(_LOG_0009, logged)


def upgrade() -> None:
    op.create_table(
        "stock_document_counter",
        sa.Column("prefix", sa.String(length=20), nullable=False),
        sa.Column("last_number", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("last_number > 0", name=op.f("ck_stock_document_counter_last_number_positive")),
        sa.PrimaryKeyConstraint("prefix", name=op.f("pk_stock_document_counter")),
    )
    op.execute(
        r"""
        INSERT INTO stock_document_counter (prefix, last_number)
        SELECT substring(number FROM '^(.*)-[0-9]+$'), max(substring(number FROM '-([0-9]+)$')::bigint)
          FROM stock_document WHERE number ~ '^.+-[0-9]+$'
         GROUP BY 1
        """
    )
    op.execute(f"DROP FUNCTION {_POSTING_0009}")
    op.execute(posting_function())
    op.execute(NEXT_NUMBER)
    op.execute(CREATE_AND_POST)


def downgrade() -> None:
    op.execute("DROP FUNCTION stock_create_and_post(jsonb, timestamptz, bigint, text, boolean)")
    op.execute("DROP FUNCTION stock_next_number()")
    op.execute(f"DROP FUNCTION {_POSTING}")
    op.execute(_previous("0009_stock_documents.py").POST)
    op.drop_table("stock_document_counter")
