"""The inbox on screen: a notice in the reader's language, one click from its record."""

from __future__ import annotations

from sqlalchemy import select

from db.models.notify import Notification
from tests.app.test_pages import run_page


def _low_stock_notice(app_db, user_id):  # type: ignore[no-untyped-def]
    from db.session import engine_for

    with engine_for(app_db.sqlalchemy_url)[1]() as s:
        return s.scalars(
            select(Notification)
            .where(Notification.user_id == user_id, Notification.kind == "low_stock")
            .order_by(Notification.id)
            .limit(1)
        ).one()


def test_a_notice_opens_the_record_it_speaks_of_in_one_click(app_db, actors):
    keeper = actors["warehouse_keeper"]
    notice = _low_stock_notice(app_db, keeper.user_id)
    assert notice.read_at is None
    at = run_page("inbox", keeper)
    assert not at.exception
    assert any(notice.title in m.value for m in at.markdown)
    at.button(key=f"inbox_open_{notice.id}").click()
    at.run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Items"]
    assert at.session_state["items_selected"] == notice.entity_id  # the item's card is open
    assert _low_stock_notice(app_db, keeper.user_id).read_at is not None  # opening it read it


def test_the_inbox_speaks_the_readers_language(app_db, actors):
    from core.services.users import set_language
    from db.session import UnitOfWork, engine_for

    keeper = actors["warehouse_keeper"]
    factory = engine_for(app_db.sqlalchemy_url)[1]
    set_language(UnitOfWork(factory, keeper), keeper, "rw")
    try:
        at = run_page("inbox", keeper)
    finally:
        set_language(UnitOfWork(factory, keeper), keeper, "en")
    assert not at.exception
    shown = "\n".join(m.value for m in at.markdown)
    assert "iri gushira muri" in shown and "is running low" not in shown
    assert "Fungura" in [b.label for b in at.button]


def test_a_notice_whose_page_the_reader_may_not_open_has_no_link(app_db, actors):
    from core.services.notifications import Notice, notify
    from db.session import UnitOfWork, engine_for

    seller = actors["sales_manager"]
    factory = engine_for(app_db.sqlalchemy_url)[1]
    with UnitOfWork(factory, None) as u:
        notify(
            u.session, [seller.user_id], Notice(kind="test", title="Welcome to Twara", entity_type="item", entity_id=1)
        )
        u.commit()
    at = run_page("inbox", seller)
    assert not at.exception
    assert not any(b.label == "Open" for b in at.button)  # a seller does not open the Items page
