"""The little traps of the forms (issue 12, items 8 and 10), held where a test can hold them:
a receipt's fields start afresh after posting and its lines show their values before it;
a saved segment is the one the picker shows; the employee header has no dangling
separators; the merge confirmation names both clients with their codes; a likely
duplicate client is named at save time and saved only when confirmed; a renewal."""

from __future__ import annotations

from sqlalchemy import select

from tests.app.test_pages import run_page


def factory(app_db):  # type: ignore[no-untyped-def]
    from db.session import engine_for

    return engine_for(app_db.sqlalchemy_url)[1]


def by_label(widgets, label: str):  # type: ignore[no-untyped-def]
    found = [w for w in widgets if w.label == label]
    assert found, [w.label for w in widgets]
    return found[-1]


def test_a_receipt_shows_its_totals_before_posting_and_the_next_starts_afresh(app_db, actors):
    from db.models.stock import Item

    with factory(app_db)() as s:
        barcode = s.scalar(select(Item.barcode).where(Item.article == "FUEL-DSL"))
    at = run_page("stock_documents", actors["warehouse_keeper"], stock_documents_mode="add")
    assert not at.exception, at.exception
    by_label(at.text_input, "Supplier").input("Engen Rwanda")
    by_label(at.text_input, "Basis (order, repair, reason)").input("PO-17")
    by_label(at.number_input, "Quantity per scan").set_value(12.5)
    by_label(at.text_input, "Unit price").input("1639.50")
    at.run()
    by_label(at.text_input, "Scan or type a barcode, then Enter").input(barcode)
    at.run()
    assert not at.exception, at.exception
    # 12.5 l at 1,639.50: the line's value and the total, before posting, in the reader's format
    assert "**Total: 20,493.75**" in [m.value for m in at.markdown]
    grid = at.dataframe[-1].value
    assert list(grid["total"]) == ["20,493.75"] and list(grid["quantity"]) == ["12.5"]

    by_label(at.button, "Post").click()
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    by_label(at.button, "New invoice").click()
    at.run()
    # the next invoice carries nothing of the last one into its scans
    assert by_label(at.text_input, "Supplier").value == ""
    assert by_label(at.text_input, "Basis (order, repair, reason)").value == ""
    assert by_label(at.text_input, "Unit price").value == ""
    assert by_label(at.number_input, "Quantity per scan").value == 1.0
    assert not [m.value for m in at.markdown if m.value.startswith("**Total")]  # no lines
