from decimal import Decimal

from core.imports import read_table
from core.services import stock
from core.services.stock import import_items, import_opening_balances
from tests.integration.test_stock import keeper, setup  # noqa: F401  (fixtures)


def test_items_then_opening_balances_import_with_a_per_row_report(uow, keeper, setup):  # noqa: F811
    items = read_table(
        "items.csv",
        (
            b"name,article,unit,barcode,reorder_level\n"
            b"Air filter Volvo,AF-VOL,pcs,,2\n"
            b"Brake pads Scania,BP-SCA,set,4006381333931,1\n"
            b"Bad unit,BU-1,barrel,,\n"
            b"Duplicate,AF-VOL,pcs,,\n"
            b"Bad code,BC-1,pcs,4006381333932,\n"
        ),
    )
    report = import_items(uow(keeper), keeper, items)
    assert report.imported == 2
    assert {(e.row, e.column) for e in report.errors} == {(4, "unit"), (5, "article"), (6, "barcode")}
    balances = read_table(
        "opening.csv",
        (
            b"article,store,quantity,unit_price\n"
            b"AF-VOL,Main store,12,25000\n"
            b"BP-SCA,Main store,3,90000\n"
            b"NOPE,Main store,1,1\n"
            b"AF-VOL,Moon base,1,1\n"
        ),
    )
    report = import_opening_balances(uow(keeper), keeper, balances)
    assert report.imported == 2 and {e.row for e in report.errors} == {4, 5}
    af = stock.find_by_barcode(uow(keeper), keeper, "4006381333931")
    assert stock.balance(uow(keeper), keeper, af["id"], setup["store"]) == (Decimal(3), Decimal("270000.00"))
