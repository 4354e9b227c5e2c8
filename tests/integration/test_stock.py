from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from common.errors import NotFound, PermissionDenied, ValidationError
from common.i18n import translate
from core.services import stock
from core.services.listing import ListQuery
from core.services.notifications import unread_count
from core.services.stock import AlreadyPosted, DocumentInput, InsufficientStock, ItemInput, LineInput
from core.stock import make_ean13
from tests.clock import TODAY
from tests.integration.conftest import make_user

_SERIAL = itertools.count(1)


@pytest.fixture
def keeper(uow, admin):
    return make_user(uow, admin, "keeper", "warehouse_keeper")


@pytest.fixture
def setup(uow, admin, keeper):
    tank = stock.create_warehouse(uow(admin), admin, "Diesel tank 1", "tank", keeper.user_id)
    store = stock.create_warehouse(uow(admin), admin, "Main store")
    diesel = stock.create_item(
        uow(keeper),
        keeper,
        ItemInput(
            name="Diesel",
            article="FUEL-D",
            unit="l",
            reorder_level="500",
            reorder_qty="10000",
            is_fuel=True,
            fuel_type="diesel",
        ),
    )
    return {"tank": tank, "store": store, "diesel": diesel}


def post(uow, actor, kind, store, lines, **kw):
    document = stock.create_document(
        uow(actor), actor, DocumentInput(kind=kind, warehouse_id=store, doc_date=TODAY, lines=lines, **kw)
    )
    stock.post_document(uow(actor), actor, document)
    return document


def test_receipt_then_issue_costs_at_moving_average_and_balance_drops(uow, keeper, setup):
    post(uow, keeper, "receipt", setup["tank"], [LineInput(setup["diesel"], "1000", "1600")])
    post(uow, keeper, "receipt", setup["tank"], [LineInput(setup["diesel"], "1000", "1700")])
    post(uow, keeper, "issue", setup["tank"], [LineInput(setup["diesel"], "200")], basis="Truck RAA 100 A")
    assert stock.balance(uow(keeper), keeper, setup["diesel"], setup["tank"]) == (Decimal(1800), Decimal("2970000.00"))
    assert stock.ledger_mismatches(uow(keeper), keeper) == []


def test_issuing_more_than_is_left_is_refused_and_nothing_moves(uow, keeper, setup):
    post(uow, keeper, "receipt", setup["tank"], [LineInput(setup["diesel"], "10", "1600")])
    with pytest.raises(InsufficientStock) as err:
        post(uow, keeper, "issue", setup["tank"], [LineInput(setup["diesel"], "10.5")])
    left = err.value.params["left"]
    assert (left.value, left.unit) == (Decimal(10), "l")  # exact, as the store keeps it, not a float
    # the message reads as each reader writes numbers, litres up to 3 decimals trimmed
    assert str(err.value) == "Only 10 l of Diesel left in this store."
    assert translate(err.value.message, "rw", **err.value.params).count("10 l") == 1
    assert err.value.params["item"] == "Diesel" and err.value.params["unit"] == "l"
    assert stock.balance(uow(keeper), keeper, setup["diesel"], setup["tank"])[0] == Decimal(10)


def test_posting_twice_is_refused(uow, keeper, setup):
    document = stock.create_document(
        uow(keeper),
        keeper,
        DocumentInput(
            kind="receipt", warehouse_id=setup["tank"], doc_date=TODAY, lines=[LineInput(setup["diesel"], "5", "1")]
        ),
    )
    stock.post_document(uow(keeper), keeper, document)
    with pytest.raises(AlreadyPosted):
        stock.post_document(uow(keeper), keeper, document)
    assert stock.balance(uow(keeper), keeper, setup["diesel"], setup["tank"])[0] == Decimal(5)


def test_cancelling_a_posted_invoice_posts_its_reversal(uow, keeper, setup):
    post(uow, keeper, "receipt", setup["tank"], [LineInput(setup["diesel"], "100", "1600")])
    issue = post(uow, keeper, "issue", setup["tank"], [LineInput(setup["diesel"], "30")])
    stock.cancel_document(uow(keeper), keeper, issue)
    assert stock.balance(uow(keeper), keeper, setup["diesel"], setup["tank"]) == (Decimal(100), Decimal("160000.00"))
    assert stock.ledger_mismatches(uow(keeper), keeper) == []


def test_a_receipt_whose_goods_were_issued_onward_cannot_be_cancelled(uow, keeper, setup):
    receipt = post(uow, keeper, "receipt", setup["tank"], [LineInput(setup["diesel"], "100", "1600")])
    post(uow, keeper, "issue", setup["tank"], [LineInput(setup["diesel"], "60")])
    with pytest.raises(InsufficientStock):
        stock.cancel_document(uow(keeper), keeper, receipt)


def test_transfer_to_the_same_store_and_zero_quantities_are_refused(uow, keeper, setup):
    with pytest.raises(ValidationError) as err:
        stock.create_document(
            uow(keeper),
            keeper,
            DocumentInput(
                kind="transfer",
                warehouse_id=setup["tank"],
                to_warehouse_id=setup["tank"],
                doc_date=TODAY,
                lines=[LineInput(setup["diesel"], "0")],
            ),
        )
    assert {"to_warehouse_id", "line_1"} <= set(err.value.errors)


def test_transfer_moves_quantity_and_value_between_stores(uow, keeper, setup):
    post(uow, keeper, "receipt", setup["tank"], [LineInput(setup["diesel"], "100", "1600")])
    post(uow, keeper, "transfer", setup["tank"], [LineInput(setup["diesel"], "40")], to_warehouse_id=setup["store"])
    assert stock.balance(uow(keeper), keeper, setup["diesel"], setup["store"]) == (Decimal(40), Decimal("64000.00"))
    assert stock.ledger_mismatches(uow(keeper), keeper) == []


def test_an_inventory_count_adjusts_book_to_counted(uow, keeper, setup):
    post(uow, keeper, "receipt", setup["tank"], [LineInput(setup["diesel"], "100", "1600")])
    post(uow, keeper, "count", setup["tank"], [LineInput(setup["diesel"], "97")])
    assert stock.balance(uow(keeper), keeper, setup["diesel"], setup["tank"])[0] == Decimal(97)


def test_falling_below_the_reorder_level_notifies_the_keeper(uow, keeper, setup):
    post(uow, keeper, "receipt", setup["tank"], [LineInput(setup["diesel"], "1000", "1600")])
    assert unread_count(uow(keeper), keeper) == 0
    post(uow, keeper, "issue", setup["tank"], [LineInput(setup["diesel"], "600")])
    assert unread_count(uow(keeper), keeper) == 1


def test_balance_at_a_past_moment_sums_the_ledger_up_to_it(uow, keeper, setup):
    post(uow, keeper, "receipt", setup["tank"], [LineInput(setup["diesel"], "100", "1600")])
    middle = dt.datetime.now(dt.UTC)
    post(uow, keeper, "issue", setup["tank"], [LineInput(setup["diesel"], "30")])
    assert stock.balance_at(uow(keeper), keeper, setup["diesel"], setup["tank"], middle)[0] == Decimal(100)
    assert stock.balance_at(uow(keeper), keeper, setup["diesel"], setup["tank"], dt.datetime.now(dt.UTC))[0] == Decimal(
        70
    )


def test_scanning_finds_the_item_and_an_unknown_code_is_explained(uow, keeper, setup):
    oil = stock.create_item(
        uow(keeper), keeper, ItemInput(name="Engine oil 15W-40", article="OIL-1540", unit="l", barcode="4006381333931")
    )
    assert stock.find_by_barcode(uow(keeper), keeper, " 4006381333931 ")["id"] == oil
    filt = stock.create_item(uow(keeper), keeper, ItemInput(name="Oil filter", article="FLT-1", unit="pcs"))
    assert stock.find_by_barcode(uow(keeper), keeper, make_ean13(filt))["id"] == filt  # generated for it
    with pytest.raises(NotFound):
        stock.find_by_barcode(uow(keeper), keeper, "9999999999999")


def test_only_keepers_and_administrators_post(uow, admin, setup):
    driver_clerk = make_user(uow, admin, "disp", "dispatcher")
    with pytest.raises(PermissionDenied):
        stock.create_document(
            uow(driver_clerk),
            driver_clerk,
            DocumentInput(
                kind="receipt", warehouse_id=setup["tank"], doc_date=TODAY, lines=[LineInput(setup["diesel"], "1", "1")]
            ),
        )


def test_a_refused_line_leaves_no_invoice_behind(uow, keeper, setup, session_factory):
    from sqlalchemy import func, select

    from db.models.stock import StockDocument

    with pytest.raises(InsufficientStock):
        stock.create_and_post(
            uow(keeper),
            keeper,
            DocumentInput(
                kind="issue", warehouse_id=setup["tank"], doc_date=TODAY, lines=[LineInput(setup["diesel"], "5")]
            ),
        )
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(StockDocument)) == 0


def test_parts_of_a_repair_are_issued_from_stock_in_one_step(uow, admin, keeper, setup):
    from core.services import fleet
    from core.services.fleet import RepairInput, UnitInput

    truck = fleet.create_unit(uow(admin), admin, UnitInput(unit_type="truck", plate="RAB 777 C"))
    repair = fleet.add_repair(uow(admin), admin, truck, RepairInput(work_date=TODAY, work_done="Oil change"))
    oil = stock.create_item(uow(keeper), keeper, ItemInput(name="Engine oil", article="OIL-X", unit="l"))
    post(uow, keeper, "receipt", setup["store"], [LineInput(oil, "100", "4500")])
    stock.issue_for_repair(uow(keeper), keeper, repair, setup["store"], [LineInput(oil, "38")])
    row = fleet.list_repairs(uow(admin), admin, truck)[0]
    assert row["parts_cost"] == Decimal("171000.00")
    assert stock.balance(uow(keeper), keeper, oil, setup["store"])[0] == Decimal(62)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=st.lists(
        st.tuples(
            st.decimals(min_value="0.001", max_value="5000", places=3),
            st.decimals(min_value="0", max_value="99999", places=2),
            st.integers(min_value=1, max_value=100),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_the_database_posting_costs_issues_exactly_as_the_python_rule(uow, keeper, setup, steps):
    """Posting runs in the database (migration 0004); core.stock.issue_value is its specification."""
    from core.stock import issue_value, receipt_value

    item = stock.create_item(
        uow(keeper), keeper, ItemInput(name="Hypothesis part", article=f"HYP-{next(_SERIAL)}", unit="pcs")
    )
    book_qty, book_value = stock.balance(uow(keeper), keeper, item, setup["store"])
    for qty, price, percent in steps:
        post(uow, keeper, "receipt", setup["store"], [LineInput(item, str(qty), str(price))])
        book_qty, book_value = book_qty + qty, book_value + receipt_value(qty, price)
        take = max(Decimal("0.001"), (book_qty * percent / 100).quantize(Decimal("0.001")))
        expected = issue_value(book_qty, book_value, take)
        post(uow, keeper, "issue", setup["store"], [LineInput(item, str(take))])
        book_qty, book_value = book_qty - take, book_value - expected
        assert stock.balance(uow(keeper), keeper, item, setup["store"]) == (book_qty, book_value)


def test_opposite_transfers_of_one_item_move_value_both_ways(uow, keeper, setup):
    d, tank, store = setup["diesel"], setup["tank"], setup["store"]
    post(uow, keeper, "receipt", tank, [LineInput(d, "300", "1500")])
    post(uow, keeper, "transfer", tank, [LineInput(d, "100")], to_warehouse_id=store)
    post(uow, keeper, "transfer", store, [LineInput(d, "40")], to_warehouse_id=tank)
    assert stock.balance(uow(keeper), keeper, d, tank) == (Decimal(240), Decimal("360000.00"))
    assert stock.balance(uow(keeper), keeper, d, store) == (Decimal(60), Decimal("90000.00"))
    assert stock.ledger_mismatches(uow(keeper), keeper) == []


LOW_CASES = [  # (quantity, reorder level): at, just below and above the level, level 0, empty
    ("3", "3"),
    ("2.999", "3"),
    ("3.001", "3"),
    ("0", "0"),
    ("5", "0"),
    ("0", "0.001"),
    ("0", "500"),
]


def test_the_database_low_stock_rule_is_the_python_rule(session_factory):
    """stock_is_low (migration 0009), used by the posting function, the reorder list and the
    digest, agrees with core.stock.is_low on the edge cases."""
    from sqlalchemy import text

    from core.stock import is_low

    with session_factory() as s:
        for qty, level in LOW_CASES:
            in_sql = s.scalar(
                text("SELECT stock_is_low(CAST(:q AS numeric), CAST(:l AS numeric))"), {"q": qty, "l": level}
            )
            assert in_sql is is_low(Decimal(qty), Decimal(level)), (qty, level)


def test_negative_levels_and_balances_never_reach_the_rule(uow, keeper, setup):
    """The rule need not say what a negative quantity or level is: the database refuses both."""
    with pytest.raises(ValidationError):
        stock.create_item(uow(keeper), keeper, ItemInput(name="Odd", article="ODD-1", unit="pcs", reorder_level="-1"))
    with pytest.raises(InsufficientStock):
        post(uow, keeper, "issue", setup["tank"], [LineInput(setup["diesel"], "1")])


def test_reorder_list_balances_and_posting_notice_follow_the_one_rule(uow, keeper, setup):
    d, tank = setup["diesel"], setup["tank"]  # reorder level 500
    post(uow, keeper, "receipt", tank, [LineInput(d, "600", "1600")])
    post(uow, keeper, "issue", tank, [LineInput(d, "100")])  # down to the level exactly: not low
    assert unread_count(uow(keeper), keeper) == 0
    assert [r["id"] for r in stock.to_reorder(uow(keeper), keeper)] == []
    assert [r["low"] for r in stock.store_balances(uow(keeper), keeper, tank)] == [False]
    post(uow, keeper, "issue", tank, [LineInput(d, "0.001")])  # just below
    assert unread_count(uow(keeper), keeper) == 1
    assert [r["id"] for r in stock.to_reorder(uow(keeper), keeper)] == [d]
    assert [r["low"] for r in stock.store_balances(uow(keeper), keeper, tank)] == [True]


def test_a_keeper_picks_the_vehicle_for_fuel_without_fleet_rights(uow, admin, keeper):
    from core.services import fleet
    from core.services.fleet import UnitInput

    truck = fleet.create_unit(uow(admin), admin, UnitInput(unit_type="truck", plate="RAC 321 B"))
    fleet.create_unit(uow(admin), admin, UnitInput(unit_type="trailer", plate="RL 4567", payload_kg=30000))
    assert [i for i, _ in stock.fuel_vehicle_choices(uow(keeper), keeper)] == [truck]
    with pytest.raises(PermissionDenied):
        stock.fuel_vehicle_choices(uow(admin), make_user(uow, admin, "acc", "accountant"))


def test_the_documents_list_filters_by_kind_status_and_store(uow, keeper, setup):
    from core.services.listing import ListQuery

    d, tank, store = setup["diesel"], setup["tank"], setup["store"]
    post(uow, keeper, "receipt", tank, [LineInput(d, "100", "1600")])
    post(uow, keeper, "transfer", tank, [LineInput(d, "10")], to_warehouse_id=store)
    draft = stock.create_document(
        uow(keeper), keeper, DocumentInput(kind="issue", warehouse_id=tank, doc_date=TODAY, lines=[LineInput(d, "1")])
    )

    def kinds(*filters):
        page = stock.list_documents(uow(keeper), keeper, ListQuery(filters=filters))
        return sorted(r["kind"] for r in page.rows)

    assert kinds() == ["issue", "receipt", "transfer"]
    assert kinds(("kind", "receipt")) == ["receipt"]
    assert kinds(("status", "draft")) == ["issue"]
    assert kinds(("store", str(store))) == ["transfer"]
    assert stock.get_document(uow(keeper), keeper, draft)["status"] == "draft"


def test_the_daily_digest_shows_item_names_as_written(uow, keeper, setup):
    from core.services.listing import ListQuery
    from core.services.notifications import list_inbox

    names = ["Probe {n.__class__.__mro__}", "Oil filter {n}", "Bracket {"]
    for i, name in enumerate(names):
        item = stock.create_item(
            uow(keeper), keeper, ItemInput(name=name, article=f"ODD-{i}", unit="pcs", reorder_level="5")
        )
        post(uow, keeper, "receipt", setup["store"], [LineInput(item, "1", "100")])
    assert stock.low_stock_digest(uow(), TODAY) == 1
    digest = next(r for r in list_inbox(uow(keeper), keeper, ListQuery()).rows if r["kind"] == "low_stock_digest")
    for name in names:
        assert name in digest["body"]
    assert "object" not in digest["body"] and "class" not in digest["title"]


def _written(session_factory, document_id, items):
    """What a document left in the database, with its own ids, number and moments taken out
    and the items named by their place in `items` (so two runs over two item sets compare)."""
    from sqlalchemy import text

    place = {item: i for i, item in enumerate(items)}
    with session_factory() as s:
        doc = dict(s.execute(text("SELECT * FROM stock_document WHERE id = :d"), {"d": document_id}).one()._mapping)
        lines = s.execute(
            text(
                "SELECT id, item_id, quantity, unit_price FROM stock_document_line WHERE document_id = :d ORDER BY id"
            ),
            {"d": document_id},
        ).all()
        moves = s.execute(
            text("SELECT item_id, warehouse_id, qty, value FROM stock_move WHERE document_id = :d ORDER BY id"),
            {"d": document_id},
        ).all()
        log = s.execute(
            text(
                "SELECT user_id, username, action, entity_type, entity_id, changes FROM activity_log "
                "WHERE (entity_type = 'stock_document' AND entity_id = :d) "
                "OR (entity_type = 'stock_document_line' AND entity_id = ANY(:lines)) ORDER BY id"
            ),
            {"d": str(document_id), "lines": [str(line.id) for line in lines]},
        ).all()
    line_place = {str(line.id): n for n, line in enumerate(lines)}

    def plain(changes):
        after = dict(changes.get("after", {}))
        for key in ("id", "document_id", "number", "created_at"):
            if key in after:
                after[key] = "<own>"
        if "item_id" in after:
            after["item_id"] = place[after["item_id"]]
        out = {**changes, "after": after} if "after" in changes else dict(changes)
        if "posted_at" in out:
            out["posted_at"] = {"before": out["posted_at"]["before"], "after": "<moment>"}
        return out

    for key in ("id", "number", "created_at", "posted_at"):
        assert doc.pop(key) is not None
    doc.pop("version")  # bookkeeping of the edit forms (a posted document is not edited)
    return {
        "document": doc,
        "lines": [(place[line.item_id], line.quantity, line.unit_price) for line in lines],
        "moves": [(place[m.item_id], m.warehouse_id, m.qty, m.value) for m in moves],
        "log": [
            (
                r.user_id,
                r.username,
                r.action,
                r.entity_type,
                line_place[r.entity_id] if r.entity_type == "stock_document_line" else "doc",
                plain(r.changes),
            )
            for r in log
        ],
    }


def test_the_database_creates_a_document_exactly_as_the_python_draft_then_posting(uow, keeper, setup, session_factory):
    """The Post button's stock_create_and_post (migration 0012) is held to the Python way: a
    draft by new_document (its log rows written by the unit of work, db/audit.py), then
    stock_post_document. The same documents over two identical sets of items leave the same
    document, lines, movements, balances and log rows, numbers and moments aside."""
    tank, store = setup["tank"], setup["store"]
    sets = [
        [
            stock.create_item(
                uow(keeper),
                keeper,
                ItemInput(name=f"Spec {way} {i}", article=f"SPEC-{way}-{i}", unit="l", reorder_level="50"),
            )
            for i in range(3)
        ]
        for way in ("python", "database")
    ]

    def documents(a, b, c):
        return [
            DocumentInput(
                "receipt", tank, TODAY, [LineInput(a, "100", "1600.5"), LineInput(b, "7.50", "3")], supplier=" Sup "
            ),
            DocumentInput("receipt", tank, TODAY, [LineInput(c, "1E+2", "")]),
            DocumentInput(
                "issue", tank, TODAY, [LineInput(a, "30"), LineInput(b, "2"), LineInput(a, "5")], basis="RAA 1"
            ),
            DocumentInput("transfer", tank, TODAY, [LineInput(a, "10")], to_warehouse_id=store),
            DocumentInput("writeoff", tank, TODAY - dt.timedelta(days=3), [LineInput(b, "0.5")], basis=" Leak "),
            DocumentInput("count", tank, TODAY, [LineInput(c, "97.25"), LineInput(b, "0")]),
            DocumentInput("issue", tank, TODAY, [LineInput(a, "20")]),  # below the level: a notice
        ]

    made = {}
    for way, items in zip(("python", "database"), sets, strict=True):
        ids = []
        for data in documents(*items):
            if way == "python":
                document = stock.create_document(uow(keeper), keeper, data)
                stock.post_document(uow(keeper), keeper, document)
            else:
                document = stock.create_and_post(uow(keeper), keeper, data)
            ids.append(document)
        made[way] = [_written(session_factory, d, items) for d in ids]
        made[way].append(
            [stock.balance(uow(keeper), keeper, i, w) for i in items for w in (tank, store)]  # type: ignore[arg-type]
        )
    assert made["database"] == made["python"]
    assert unread_count(uow(keeper), keeper) == 2  # one notice per way


def test_numbers_follow_their_prefix_without_gaps(uow, admin, keeper, setup, session_factory):
    from sqlalchemy import select, text

    from core.services.settings import set_param
    from db.models.stock import StockDocument

    d, tank = setup["diesel"], setup["tank"]

    def receipt():
        document = stock.create_and_post(
            uow(keeper), keeper, DocumentInput("receipt", tank, TODAY, [LineInput(d, "1", "1")])
        )
        with session_factory() as s:
            return s.scalar(select(StockDocument.number).where(StockDocument.id == document))

    first = receipt()
    with pytest.raises(InsufficientStock):  # refused: its number is given back
        stock.create_and_post(uow(keeper), keeper, DocumentInput("issue", tank, TODAY, [LineInput(d, "5")]))
    draft = stock.create_document(uow(keeper), keeper, DocumentInput("issue", tank, TODAY, [LineInput(d, "1")]))
    assert receipt() == f"WH-{int(first[3:]) + 2:07d}"
    set_param(uow(admin), admin, "stock.invoice_prefix", "TK")
    assert receipt() == "TK-0000001"
    set_param(uow(admin), admin, "stock.invoice_prefix", "WH")
    assert receipt() == f"WH-{int(first[3:]) + 3:07d}"
    with session_factory() as s:
        assert s.scalar(text("SELECT number FROM stock_document WHERE id = :i"), {"i": draft}) == (
            f"WH-{int(first[3:]) + 1:07d}"
        )


def test_the_post_button_words_unknown_stores_and_items_as_the_draft_does(uow, admin, keeper, setup):
    """The database's checks (TW004) come back as new_document's messages, on the same fields."""
    from db.models.stock import Warehouse

    old = stock.create_warehouse(uow(admin), admin, "Old store")
    with uow(admin) as u:
        u.session.get(Warehouse, old).archived_at = dt.datetime.now(dt.UTC)  # type: ignore[union-attr]
        u.commit()
    d = setup["diesel"]
    cases = [
        DocumentInput("receipt", old, TODAY, [LineInput(d, "1", "1"), LineInput(999_999, "1", "1")]),
        DocumentInput("transfer", setup["tank"], TODAY, [LineInput(999_998, "1")], to_warehouse_id=old),
        DocumentInput("issue", setup["tank"], TODAY, [LineInput(999_999, "x")]),  # checked in Python first
    ]
    for data in cases:
        with pytest.raises(ValidationError) as draft:
            stock.create_document(uow(keeper), keeper, data)
        with pytest.raises(ValidationError) as posted:
            stock.create_and_post(uow(keeper), keeper, data)
        assert posted.value.errors == draft.value.errors and posted.value.message == draft.value.message


def test_a_cancelled_invoice_keeps_its_value_in_the_list(uow, keeper, setup):
    """The list shows what a document moved; a cancel's reversal does not double it."""
    post(uow, keeper, "receipt", setup["tank"], [LineInput(setup["diesel"], "100", "1600")])
    issue = post(uow, keeper, "issue", setup["tank"], [LineInput(setup["diesel"], "30")])
    stock.cancel_document(uow(keeper), keeper, issue)
    rows = stock.list_documents(uow(keeper), keeper, ListQuery(page_size=200)).rows
    value = next(r["value"] for r in rows if r["id"] == issue)
    assert value == Decimal("48000.00")  # 30 l at the average cost of 1,600, once
