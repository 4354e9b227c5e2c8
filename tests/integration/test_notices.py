"""Notices by cause (issue 12, items 5 and 11): one open notice per reader and cause, updated
by a new occurrence instead of repeated, even with two workers at once; stored as message
ids with parameters and worded in each reader's language when read or e-mailed; rows stored
before migration 0014 keep their text and get their cause."""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import replace
from decimal import Decimal

from sqlalchemy import create_engine, select, text

from common.actor import Actor
from common.i18n import N_n, Qty
from common.outbound import Outbound
from core.services.listing import ListQuery
from core.services.notifications import Notice, list_inbox, mark_read, notify, resolve, unread_count
from core.services.users import set_language
from db.models.notify import EmailOutbox, Notification
from db.session import UnitOfWork, engine_for
from tests.conftest import fresh_database
from tests.integration.conftest import make_user
from tests.integration.test_stock_migration import alembic

LOW = Notice(
    kind="low_stock",
    title="{item} is running low in {store}",
    body="{left} {unit} left; reorder level {level}. Suggested order: {reorder} {unit}.",
    params=(
        ("item", "Diesel"),
        ("store", "Tank"),
        ("left", Qty(Decimal("10742.000"), "l")),
        ("unit", "l"),
        ("level", Qty(Decimal("12000"), "l")),
        ("reorder", Qty(Decimal("20000.000"), "l")),
    ),
    entity_type="item",
    entity_id=7,
    dedupe_key="low:7:3:100",
    cause="low_stock:item:7:store:3",
)


def _post(uow, user_ids, notice, configured=False):  # type: ignore[no-untyped-def]
    u = uow(None)
    u.outbound = Outbound(email_configured=configured)
    with u:
        posted = notify(u.session, user_ids, notice)
        u.commit()
    return posted


def _rows(session_factory, user_id):  # type: ignore[no-untyped-def]
    with session_factory() as s:
        return s.scalars(select(Notification).where(Notification.user_id == user_id).order_by(Notification.id)).all()


def test_a_new_occurrence_of_an_open_cause_updates_the_notice_instead_of_adding_one(uow, admin, session_factory):
    keeper = make_user(uow, admin, "keeper", "warehouse_keeper")
    assert _post(uow, [keeper.user_id], LOW) == [keeper.user_id]
    assert _post(uow, [keeper.user_id], LOW) == []  # the same occurrence again: nothing changes
    (first,) = _rows(session_factory, keeper.user_id)
    assert first.times == 1
    mark_read(uow(keeper), keeper)
    later = replace(
        LOW,
        dedupe_key="low:7:3:101",
        params=(*LOW.params[:2], ("left", Qty(Decimal("490"), "l")), *LOW.params[3:]),
    )
    for n in range(7):  # the demo's eight postings below the level
        assert _post(uow, [keeper.user_id], replace(later, dedupe_key=f"low:7:3:{101 + n}")) == [keeper.user_id]
    (notice,) = _rows(session_factory, keeper.user_id)
    assert notice.id == first.id and notice.times == 8
    assert notice.read_at is None and notice.updated_at >= first.updated_at  # unread again, at the new time
    assert notice.params["left"] == {"qty": "490", "unit": "l"}
    assert unread_count(uow(keeper), keeper) == 1
    row = list_inbox(uow(keeper), keeper, ListQuery()).rows[0]
    assert row["body"] == "490 l left; reorder level 12,000. Suggested order: 20,000 l."
    assert row["times"] == 8


def test_a_resolved_cause_starts_a_new_notice_and_other_causes_stay_apart(uow, admin, session_factory):
    keeper = make_user(uow, admin, "keeper", "warehouse_keeper")
    _post(uow, [keeper.user_id], LOW)
    _post(uow, [keeper.user_id], replace(LOW, cause="low_stock:item:8:store:3", dedupe_key="low:8:3:100"))
    with uow(None) as u:
        assert resolve(u.session, ["low_stock:item:7:store:3"]) == 1
        u.commit()
    _post(uow, [keeper.user_id], replace(LOW, dedupe_key="low:7:3:200"))
    rows = _rows(session_factory, keeper.user_id)
    assert [(r.cause, r.resolved_at is None) for r in rows] == [
        ("low_stock:item:7:store:3", False),
        ("low_stock:item:8:store:3", True),
        ("low_stock:item:7:store:3", True),
    ]
    assert rows[0].resolved_at is not None and rows[2].resolved_at is None


def test_without_a_cause_a_notice_is_only_kept_from_repeating_its_key(uow, admin, session_factory):
    keeper = make_user(uow, admin, "keeper", "warehouse_keeper")
    welcome = Notice(kind="welcome", title="Welcome to Twara", dedupe_key="demo-welcome")
    assert _post(uow, [keeper.user_id, keeper.user_id], welcome) == [keeper.user_id]
    assert _post(uow, [keeper.user_id], welcome) == []
    assert _post(uow, [keeper.user_id], replace(welcome, dedupe_key=None)) == [keeper.user_id]
    assert len(_rows(session_factory, keeper.user_id)) == 2


def test_a_stored_notice_is_worded_in_each_readers_language_and_number_format(uow, admin, session_factory):
    keeper = make_user(uow, admin, "keeper", "warehouse_keeper")
    other = make_user(uow, admin, "keeper2", "warehouse_keeper")
    digest = Notice(
        kind="low_stock_digest",
        title=N_n("{n} item to reorder", "{n} items to reorder"),
        body="To reorder:\n{lines}",
        params=(("n", 1), ("lines", ["Tank: Diesel"])),
        cause="low_stock_digest",
    )
    _post(uow, [keeper.user_id, other.user_id], LOW)
    _post(uow, [keeper.user_id], digest)
    (stored, _) = _rows(session_factory, keeper.user_id)
    assert stored.title == "Diesel is running low in Tank"  # the English of the time, kept as a fallback
    assert stored.title_msgid == "{item} is running low in {store}"
    rw = replace(keeper, lang="rw")
    rows = {r["kind"]: r for r in list_inbox(uow(rw), rw, ListQuery()).rows}
    assert rows["low_stock"]["title"] == "Diesel iri gushira muri Tank"
    assert rows["low_stock"]["body"].startswith("Hasigaye 10.742 l;")
    assert "20.000 l" in rows["low_stock"]["body"]
    assert rows["low_stock_digest"]["title"] == "Igicuruzwa 1 cyo gutumiza"
    en = {r["kind"]: r for r in list_inbox(uow(keeper), keeper, ListQuery()).rows}
    assert en["low_stock"]["body"].startswith("10,742 l left; reorder level 12,000.")
    assert en["low_stock_digest"]["title"] == "1 item to reorder"
    assert en["low_stock_digest"]["body"] == "To reorder:\nTank: Diesel"
    _post(uow, [keeper.user_id], replace(digest, params=(("n", 3), ("lines", ["a", "b", "c"]))))
    rows = {r["kind"]: r for r in list_inbox(uow(rw), rw, ListQuery()).rows}
    assert rows["low_stock_digest"]["title"] == "Ibicuruzwa 3 byo gutumiza"
    assert {r["kind"]: r for r in list_inbox(uow(keeper), keeper, ListQuery()).rows}["low_stock_digest"]["title"] == (
        "3 items to reorder"
    )


def test_a_notice_stored_before_message_ids_shows_its_own_text(uow, admin, session_factory, connection):
    keeper = make_user(uow, admin, "keeper", "warehouse_keeper")
    connection.execute(
        text("INSERT INTO notification (user_id, kind, title, body) VALUES (:u, 'test', 'Mazutu irashira', 'Vuba')"),
        {"u": keeper.user_id},
    )
    row = list_inbox(uow(keeper), keeper, ListQuery()).rows[0]
    assert (row["title"], row["body"]) == ("Mazutu irashira", "Vuba")


def test_the_email_is_in_the_recipients_language_and_goes_when_the_notice_turns_unread(uow, admin, session_factory):
    keeper = make_user(uow, admin, "keeper", "warehouse_keeper", email="keeper@example.rw")
    set_language(uow(keeper), keeper, "rw")

    def mails():  # type: ignore[no-untyped-def]
        with session_factory() as s:
            return s.scalars(select(EmailOutbox).order_by(EmailOutbox.id)).all()

    _post(uow, [keeper.user_id], LOW)
    (mail,) = mails()
    assert mail.subject == "Diesel iri gushira muri Tank"
    assert "Hasigaye 10.742 l" in mail.body_text and "Hasigaye 10.742 l" in (mail.body_html or "")
    _post(uow, [keeper.user_id], replace(LOW, dedupe_key="low:7:3:101"))  # still unread: no second e-mail
    assert len(mails()) == 1
    mark_read(uow(keeper), keeper)
    _post(uow, [keeper.user_id], replace(LOW, dedupe_key="low:7:3:102"))  # read, now news again
    assert len(mails()) == 2
    reminder = replace(LOW, remind=True)
    _post(uow, [keeper.user_id], replace(reminder, dedupe_key="low:7:3:103"))  # a reminder repeats by design
    assert len(mails()) == 3


def _wait_for_lock(engine, name: str) -> None:  # type: ignore[no-untyped-def]
    """Until a session of the database `name` waits for another's transaction."""
    for _ in range(200):
        with engine.connect() as conn:
            waiting = conn.execute(
                text("SELECT count(*) FROM pg_stat_activity WHERE datname = :d AND wait_event_type = 'Lock'"),
                {"d": name},
            ).scalar()
        if waiting:
            return
        time.sleep(0.05)
    raise AssertionError("the second worker never waited for the first")


def _race(factory, watcher, name: str, user_id: int, second_key: str) -> tuple[list[int], list[tuple]]:  # type: ignore[no-untyped-def]
    """The first worker posts LOW and holds its transaction open while a second posts the
    same cause with `second_key`; the first commits once the second waits for it. Returns
    what the second's notify() returned and the notices left."""
    with watcher.begin() as conn:
        conn.execute(text("DELETE FROM notification"))
    errors: list[BaseException] = []
    outcome: list[list[int]] = []

    def second_worker() -> None:
        try:
            with UnitOfWork(factory, None) as u:
                outcome.append(notify(u.session, [user_id], replace(LOW, dedupe_key=second_key)))
                u.commit()
        except BaseException as exc:  # reported below
            errors.append(exc)

    first = UnitOfWork(factory, None)
    with first:
        assert notify(first.session, [user_id], LOW) == [user_id]  # not committed yet
        worker = threading.Thread(target=second_worker)
        worker.start()
        _wait_for_lock(watcher, name)  # the second is held by the index of open causes
        first.commit()
    worker.join(timeout=30)
    assert not worker.is_alive() and errors == []
    with watcher.connect() as conn:
        rows = [tuple(r) for r in conn.execute(text("SELECT dedupe_key, times FROM notification"))]
    return outcome[0], rows


def test_two_workers_notifying_the_same_cause_at_once_leave_one_notice(database):
    name = "twara_notice_race"
    location = fresh_database(database, name)
    _, factory = engine_for(location.sqlalchemy_url)
    admin = Actor(user_id=None, username="admin-test", role="administrator")
    keeper = make_user(lambda actor=None: UnitOfWork(factory, actor), admin, "keeper", "warehouse_keeper")
    watcher = create_engine(location.sqlalchemy_url)
    # the same occurrence from both (a job run twice): one notice, the second changed nothing
    assert _race(factory, watcher, name, keeper.user_id, LOW.dedupe_key) == ([], [("low:7:3:100", 1)])
    # two occurrences at once: one notice, updated by the second
    assert _race(factory, watcher, name, keeper.user_id, "low:7:3:101") == ([keeper.user_id], [("low:7:3:101", 2)])
    watcher.dispose()


def test_the_migration_gives_old_notices_their_cause_and_collapses_a_flood(database):
    """Rows as the code before 0014 wrote them: a flood of low-stock notices for an item that
    is still low and two for one that was restocked, an expiry notice pointing at the
    document, the demo's welcome."""
    from core.services import fleet, stock
    from core.services.fleet import DocumentInput, UnitInput
    from core.services.stock import DocumentInput as StockInput
    from core.services.stock import ItemInput, LineInput
    from tests.clock import TODAY

    location = fresh_database(database, "twara_notice_migration")
    _, factory = engine_for(location.sqlalchemy_url)
    admin = Actor(user_id=None, username="admin-test", role="administrator")
    keeper = make_user(lambda actor=None: UnitOfWork(factory, actor), admin, "keeper", "warehouse_keeper")
    tank = stock.create_warehouse(UnitOfWork(factory, admin), admin, "Tank", "tank")
    low, restocked = (
        stock.create_item(
            UnitOfWork(factory, admin), admin, ItemInput(name=name, article=name, unit="l", reorder_level="500")
        )
        for name in ("Diesel", "Petrol")
    )
    lines = [LineInput(low, "100", "1600"), LineInput(restocked, "900", "1600")]
    stock.create_and_post(UnitOfWork(factory, admin), admin, StockInput("receipt", tank, TODAY, lines))
    unit = fleet.create_unit(UnitOfWork(factory, admin), admin, UnitInput(unit_type="trailer", plate="RL 4567"))
    with factory() as s:
        insurance = s.execute(
            text("SELECT id FROM document_type WHERE name = 'Insurance' AND applies_to = 'trailer'")
        ).scalar_one()
    fleet.save_document(
        UnitOfWork(factory, admin), admin, DocumentInput(type_id=insurance, valid_to=TODAY), vehicle_id=unit
    )
    with factory() as s:
        document = s.execute(text("SELECT id FROM fleet_document")).scalar_one()
    factory.kw["bind"].dispose()
    alembic(location, "downgrade", "0013")
    engine = create_engine(location.sqlalchemy_url)
    at = dt.datetime(2026, 11, 2, 8, tzinfo=dt.UTC)
    old = (
        "INSERT INTO notification (user_id, kind, title, body, dedupe_key, created_at, entity_type, entity_id)"
        " VALUES (:u, :kind, :title, :body, :key, :at, :type, :id)"
    )
    rows = [
        ("low_stock", f"{name} is running low in Tank", f"{990 - n}.000 l left", f"low:{item}:{tank}:{n}", "item", item)
        for item, name, count in ((low, "Diesel", 8), (restocked, "Petrol", 2))
        for n in range(count)
    ]
    rows += [
        (
            "document_expiring",
            "Insurance of RL 4567 ends on ...",
            "",
            f"expiry:{document}:{TODAY}:1",
            "document",
            document,
        ),
        ("welcome", "Murakaza neza muri Twara", "", "demo-welcome", None, None),
    ]
    with engine.begin() as conn:
        for n, (kind, title, body, key, entity_type, entity_id) in enumerate(rows):
            values = {"kind": kind, "title": title, "body": body, "key": key, "type": entity_type, "id": entity_id}
            conn.execute(text(old), {"u": keeper.user_id, "at": at + dt.timedelta(minutes=n), **values})
    alembic(location, "upgrade", "head")
    with engine.connect() as conn:
        migrated = conn.execute(
            text(
                "SELECT kind, cause, times, resolved_at IS NULL AS open, read_at IS NULL AS unread, body,"
                " title_msgid, entity_type, entity_id FROM notification ORDER BY id"
            )
        ).all()
    engine.dispose()
    diesel = [r for r in migrated if r.cause == f"low_stock:item:{low}:store:{tank}"]
    petrol = [r for r in migrated if r.cause == f"low_stock:item:{restocked}:store:{tank}"]
    assert len(diesel) == 8 and len(petrol) == 2
    # the newest of the flood stays open and unread and counts the others, read and resolved
    assert [(r.open, r.unread, r.times) for r in diesel] == [(False, False, 1)] * 7 + [(True, True, 8)]
    assert diesel[-1].body == "983.000 l left"  # its text of the time, kept
    assert [r.open for r in petrol] == [False, False]  # back above its level: resolved
    expiry = next(r for r in migrated if r.kind == "document_expiring")
    assert (expiry.cause, expiry.entity_type, expiry.entity_id) == (
        f"document_expiry:document:{document}",
        "trailer",
        unit,
    )
    welcome = next(r for r in migrated if r.kind == "welcome")
    assert welcome.cause is None and welcome.title_msgid == "Welcome to Twara"
    _, factory = engine_for(location.sqlalchemy_url)
    assert unread_count(UnitOfWork(factory, keeper), keeper) == 4  # the flood's newest, petrol's, the expiry, welcome
    reader = replace(keeper, lang="rw")
    titles = {r["title"] for r in list_inbox(UnitOfWork(factory, reader), reader, ListQuery(page_size=100)).rows}
    # stored before message ids: shown as it was stored; the welcome, now with its id, in the reader's language
    assert titles == {
        "Murakaza neza muri Twara",
        "Diesel is running low in Tank",
        "Petrol is running low in Tank",
        "Insurance of RL 4567 ends on ...",
    }
    # the next fall below the level updates the open notice instead of adding a ninth
    refill = StockInput("receipt", tank, TODAY, [LineInput(low, "500", "1600")])
    stock.create_and_post(UnitOfWork(factory, admin), admin, refill)  # 600 l: above the level of 500
    issue = StockInput("issue", tank, TODAY, [LineInput(low, "200")])
    stock.create_and_post(UnitOfWork(factory, admin), admin, issue)
    with factory() as s:
        open_ = s.execute(
            text("SELECT times, title_msgid FROM notification WHERE cause = :c AND resolved_at IS NULL"),
            {"c": f"low_stock:item:{low}:store:{tank}"},
        ).all()
    assert [tuple(r) for r in open_] == [(9, "{item} is running low in {store}")]
