"""The print buttons of the warehouse's screens (issue 12, item 6): a receipt's labels
default to one per piece received and come as a sheet to download, an item's labels too,
and the label stock is chosen among the known stocks in Settings."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import text

from tests.app.test_pages import run_page


@pytest.fixture(scope="module")
def factory(app_db):  # type: ignore[no-untyped-def]
    from db.session import engine_for

    return engine_for(app_db.sqlalchemy_url)[1]


@pytest.fixture(scope="module")
def parts_receipt(factory) -> tuple[int, dict[str, Decimal]]:  # type: ignore[no-untyped-def]
    """A posted receipt of parts (counted in pieces) from the demo, with its quantities."""
    with factory() as s:
        document = s.execute(
            text(
                "SELECT d.id FROM stock_document d JOIN stock_document_line l ON l.document_id = d.id "
                "JOIN item i ON i.id = l.item_id WHERE d.kind = 'receipt' AND d.status = 'posted' "
                "AND i.unit = 'pcs' ORDER BY d.id LIMIT 1"
            )
        ).scalar_one()
        rows = s.execute(
            text(
                "SELECT i.name, sum(l.quantity) FROM stock_document_line l JOIN item i ON i.id = l.item_id "
                "WHERE l.document_id = :d GROUP BY i.name"
            ),
            {"d": document},
        ).all()
    return int(document), {name: qty for name, qty in rows}


def _press(at, label: str):  # type: ignore[no-untyped-def]
    return next(b for b in at.button if b.label == label).click().run()


def test_a_receipt_prints_one_label_per_piece_received(actors, parts_receipt):
    document, quantities = parts_receipt
    at = run_page("stock_documents", actors["warehouse_keeper"], stock_documents_selected=document)
    assert not at.exception, at.exception
    assert "Print (PDF)" in [b.label for b in at.get("download_button")]
    (box,) = [e for e in at.expander if e.label == "Print barcode labels"]
    (editor,) = [e for e in box if type(e).__name__ == "Dataframe"]
    counts = dict(zip(editor.value["name"], editor.value["count"], strict=True))
    assert counts == {name: int(qty) for name, qty in quantities.items()}
    assert any("A4, 3 x 8, 70 x 37 mm, 24 labels a sheet" in c.value for c in at.caption)
    at = _press(at, "Make the label sheet")
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "Download the labels (PDF)" in [b.label for b in at.get("download_button")]


def test_an_item_prints_the_labels_asked_for(actors, factory):
    with factory() as s:
        item = s.execute(text("SELECT id FROM item WHERE unit = 'pcs' ORDER BY id LIMIT 1")).scalar_one()
    at = run_page("items", actors["warehouse_keeper"], items_selected=item)
    assert not at.exception, at.exception
    assert [e.label for e in at.expander if e.label == "Print barcode labels"]
    at.number_input[0].set_value(24)  # the last label of a partly used sheet
    at = _press(at.run(), "Make the label sheet")
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "Download the labels (PDF)" in [b.label for b in at.get("download_button")]


def test_the_label_stock_is_chosen_among_the_known_stocks(actors, factory):
    at = run_page("settings", actors["administrator"])
    (choice,) = [s for s in at.selectbox if s.label == "Label sheets that barcode labels print on"]
    assert choice.value == "a4-3x8-70x37"
    assert "A4, 2 x 7, 99.1 x 38.1 mm" in choice.options
    try:
        choice.set_value("a4-2x7-99.1x38.1")
        (save,) = [b for b in at.button if b.label == "Save changes" and b.proto.form_id == choice.proto.form_id]
        at = save.click().run()
        assert not at.exception and not at.error, [e.value for e in at.error]
        with factory() as s:
            saved = s.execute(text("SELECT value FROM parameter WHERE key = 'stock.label_stock'")).scalar_one()
        assert saved == "a4-2x7-99.1x38.1"
    finally:  # the other page tests see the demo as it was loaded
        with factory() as s:
            s.execute(text("UPDATE parameter SET value = 'a4-3x8-70x37' WHERE key = 'stock.label_stock'"))
            s.commit()
