"""CRM against the real database: clients, interactions, follow-up monitoring, plans,
result control, plan versus done, consent and segments."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from common.calendar import DEFAULT_ZONE
from common.errors import NotFound, ValidationError
from common.i18n import format_datetime
from core.crm import ConsentRow, consent_decision
from core.services import crm
from core.services.attachments import add_attachment, list_attachments
from core.services.crm import AgreementInput, ClientInput, ContactInput, InteractionInput
from core.services.listing import ListQuery
from core.services.notifications import list_inbox
from db.models.audit import ActivityLog
from db.models.crm import CHANNELS, PURPOSES, Client, ClientContact, Consent, FollowUp, Interaction
from db.session import UnitOfWork
from tests.clock import NOW, TODAY, company_day
from tests.integration.conftest import make_user


@pytest.fixture
def sales(uow, admin):
    return make_user(uow, admin, "amina", "sales_manager")


@pytest.fixture
def director(uow, admin):
    return make_user(uow, admin, "boss", "director")


PDF = (Path(__file__).resolve().parents[1] / "fixtures" / "insurance.pdf").read_bytes()


def client(uow, actor, name="Inyange Industries", **kw):
    """A new client; one likely the same as a client saved before is saved as the person
    does it on the screen: after confirming the likely duplicates named are others."""
    data = ClientInput(name=name, **kw)
    try:
        return crm.create_client(uow(actor), actor, data)
    except crm.LikelyDuplicates as exc:
        return crm.create_client(uow(actor), actor, data, confirmed=[m["id"] for m in exc.matches])


def log(uow, actor, client_id, **kw):
    data = dict(client_id=client_id, kind="call", at=NOW - dt.timedelta(minutes=10), topic="Rates", result="Interested")
    data.update(kw)
    return crm.log_interaction(uow(actor), actor, InteractionInput(**data))


def open_items(uow, actor, day):
    return crm.daily_plan(uow(actor), actor, day)["follow_ups"]


def test_a_client_is_saved_with_normalised_contacts_and_bad_input_saves_nothing(uow, sales):
    cid = client(
        uow, sales, phone="0788 123 456", email=" Info@Inyange.RW ", tax_id="101234567", tags="Dairy, dairy, Kigali"
    )
    saved = crm.get_client(uow(sales), sales, cid)
    assert saved["phone"] == "+250 788 123 456"
    assert saved["email"] == "info@inyange.rw"
    assert saved["tags"] == ["dairy", "kigali"]
    assert saved["manager_user_id"] == sales.user_id  # a sales manager's new client is theirs
    assert saved["code"] == f"C{cid:06d}"
    with pytest.raises(ValidationError) as err:
        client(uow, sales, name="Other", phone="12", email="not-an-address", tax_id="101234567")
    assert set(err.value.errors) == {"phone", "email", "tax_id"}
    assert err.value.errors["tax_id"][1]["code"] == saved["code"]
    page = crm.list_clients(uow(sales), sales, ListQuery(search="inyange"))
    assert page.total == 1


def test_recategorising_a_client_is_logged(uow, sales, session_factory):
    cats = {c["name"]: c["id"] for c in crm.list_categories(uow(sales), sales)}
    cid = client(uow, sales, category_id=cats["Regular"])
    crm.update_client(uow(sales), sales, cid, ClientInput(name="Inyange Industries", category_id=cats["Key account"]))
    with session_factory() as s:
        row = s.scalars(
            select(ActivityLog).where(
                ActivityLog.entity_type == "client", ActivityLog.entity_id == str(cid), ActivityLog.action == "update"
            )
        ).one()
    assert row.changes["category_id"] == {"before": cats["Regular"], "after": cats["Key account"]}
    assert row.username == "amina"


def test_a_promise_comes_back_on_the_plan_on_its_day_once_and_leaves_when_kept(uow, sales, session_factory):
    cid = client(uow, sales)
    due = TODAY + dt.timedelta(days=3)
    iid = log(uow, sales, cid, promise="Send the price list", promise_due=due)
    with session_factory() as s:
        assert crm.follow_up_scan(uow(), TODAY) == 0  # not due yet
        assert crm.follow_up_scan(uow(), due) == 1
        assert crm.follow_up_scan(uow(), due) == 0  # once, not again each day it stays due
        assert crm.follow_up_scan(uow(), due + dt.timedelta(days=1)) == 0
        s.commit()
    assert open_items(uow, sales, TODAY) == []  # on the plan from its day
    items = open_items(uow, sales, due)
    assert [i["title"].format(**i["params"]) for i in items] == ["Promise: Send the price list"]
    assert not items[0]["overdue"]
    later = open_items(uow, sales, due + dt.timedelta(days=2))
    assert len(later) == 1 and not later[0]["overdue"]  # still open then; overdue only once its day has passed
    crm.keep_promise(uow(sales), sales, iid)
    assert open_items(uow, sales, due) == []


def test_bad_next_steps_and_results_are_refused(uow, sales):
    cid = client(uow, sales)
    with pytest.raises(ValidationError) as err:
        log(uow, sales, cid, next_step="Visit", next_due=TODAY - dt.timedelta(days=1), result="")
    assert set(err.value.errors) == {"next_due", "result"}
    with pytest.raises(ValidationError) as err:
        log(uow, sales, cid, promise="Call back")
    assert "promise_due" in err.value.errors
    with pytest.raises(NotFound):
        crm.enter_result(uow(sales), sales, 999_999, "Agreed")
    _, total = crm.timeline(uow(sales), sales, cid)
    assert total == 0


def test_silence_is_noticed_per_category_and_ends_with_a_contact(uow, sales, admin, session_factory):
    cats = {c["name"]: c["id"] for c in crm.list_categories(uow(sales), sales)}
    crm.save_rule(uow(admin), admin, "silent", 10, cats["Key account"])
    key = client(uow, sales, "Key client", category_id=cats["Key account"])
    regular = client(uow, sales, "Regular client", category_id=cats["Regular"])
    with session_factory() as s:
        made = crm.follow_up_scan(uow(), TODAY + dt.timedelta(days=11))  # key: 10 days; others: 60
        s.commit()
    assert made == 1
    titles = [(i["client"], i["rule"]) for i in open_items(uow, sales, TODAY + dt.timedelta(days=11))]
    assert titles == [("Key client", "silent")]
    log(uow, sales, key)
    assert open_items(uow, sales, TODAY + dt.timedelta(days=11)) == []
    with session_factory() as s:
        assert crm.follow_up_scan(uow(), TODAY + dt.timedelta(days=61)) == 2  # both, with new causes
        s.commit()
    assert regular in {i["client_id"] for i in open_items(uow, sales, TODAY + dt.timedelta(days=61))}


def test_follow_ups_are_done_rescheduled_with_a_reason_or_handed_over(uow, sales, admin, session_factory):
    other = make_user(uow, admin, "eric", "sales_manager")
    cid = client(uow, sales)
    log(uow, sales, cid, next_step="Send a quote", next_due=TODAY)
    log(uow, sales, cid, next_step="Visit the depot", next_due=TODAY)
    with session_factory() as s:
        assert crm.follow_up_scan(uow(), TODAY) == 2
        s.commit()
    first, second = open_items(uow, sales, TODAY)
    with pytest.raises(ValidationError) as err:
        crm.reschedule_follow_up(uow(sales), sales, first["id"], TODAY, "")
    assert set(err.value.errors) == {"new_date", "reason"}
    crm.reschedule_follow_up(uow(sales), sales, first["id"], TODAY + dt.timedelta(days=2), "Client travelling")
    crm.hand_over_follow_up(uow(sales), sales, second["id"], other.user_id)
    assert open_items(uow, sales, TODAY) == []
    assert [i["title"].format(**i["params"]) for i in open_items(uow, other, TODAY)] == ["Next step: Visit the depot"]
    with pytest.raises(ValidationError):
        crm.complete_follow_up(uow(sales), sales, first["id"], "  ")
    crm.complete_follow_up(uow(sales), sales, first["id"], "Quote sent")
    assert open_items(uow, sales, TODAY + dt.timedelta(days=5)) == []
    rows, _ = crm.timeline(uow(sales), sales, cid)
    assert rows[0]["kind"] == "follow_up" and rows[0]["detail"] == "Quote sent"


def test_an_appointment_without_result_is_reminded_repeated_then_escalated(uow, sales, director, session_factory):
    cid = client(uow, sales)
    at = NOW + dt.timedelta(hours=1)
    iid = log(uow, sales, cid, planned=True, at=at, result="")
    plan = crm.daily_plan(uow(sales), sales, company_day(at))  # the plan is by the company's day
    assert [a["id"] for a in plan["appointments"]] == [iid]
    times = [at + dt.timedelta(hours=h) for h in (1, 3, 3.5, 28, 53, 78, 200)]
    sent = []
    with session_factory() as s:
        for moment in times:
            sent.append(crm.appointment_reminders(uow(), moment))
        s.commit()
    # 1 h: too early (delay 2 h); 3 h: first; 3.5 h: not yet again; 28, 53: second and third;
    # 78: the director is told; afterwards nothing more
    assert sent == [0, 1, 0, 1, 1, 1, 0]
    # the three reminders are one notice, updated (and e-mailed) each time: no pile of three
    (reminder,) = list_inbox(uow(sales), sales, ListQuery()).rows
    assert reminder["times"] == 3 and reminder["read_at"] is None
    assert reminder["body"] == f"The appointment of {format_datetime(at, 'en', DEFAULT_ZONE)} has no result yet."
    (escalated,) = list_inbox(uow(director), director, ListQuery()).rows
    assert escalated["title"].startswith("No result after 3 reminders: ")
    crm.enter_result(uow(sales), sales, iid, "Signed a trial run")
    with pytest.raises(Exception):
        crm.enter_result(uow(sales), sales, iid, "Again")
    with session_factory() as s:
        assert s.get(Interaction, iid).status == "done"
    # the result ends the reminders' cause, for the owner and the directors
    assert [r["resolved_at"] is not None for r in list_inbox(uow(sales), sales, ListQuery()).rows] == [True]
    assert [r["resolved_at"] is not None for r in list_inbox(uow(director), director, ListQuery()).rows] == [True]


def test_plan_versus_done_counts_on_time_late_and_not_done(uow, sales, session_factory):
    cid = client(uow, sales)
    log(uow, sales, cid, next_step="A", next_due=TODAY)
    log(uow, sales, cid, next_step="B", next_due=TODAY)
    log(uow, sales, cid, next_step="C", next_due=TODAY + dt.timedelta(days=1))
    with session_factory() as s:
        crm.follow_up_scan(uow(), TODAY + dt.timedelta(days=1))
        items = s.scalars(select(FollowUp).order_by(FollowUp.id)).all()
        items[0].status, items[0].done_at = "done", NOW  # on its day
        items[1].status, items[1].done_at = "done", NOW + dt.timedelta(days=2)  # late
        s.commit()
    row = crm.plan_vs_done(uow(sales), sales, TODAY - dt.timedelta(days=1), TODAY + dt.timedelta(days=1))[0]
    assert row["manager"] == "Amina Test"
    assert (row["planned"], row["done_on_time"], row["done_late"]) == (3, 1, 1)
    assert row["not_done"] + row["pending"] == 1
    assert row["interactions"] == 3 and row["new_clients"] == 1


def test_an_opted_out_contact_is_not_reachable_for_marketing_and_opting_in_again_is_logged(uow, sales, session_factory):
    cid = client(uow, sales, email="info@kivu.rw", phone="+250788000111")
    contact = crm.add_contact(uow(sales), sales, cid, ContactInput("Jean", "Buyer", "0788 555 111", "jean@kivu.rw"))
    with session_factory() as s:
        assert crm.may_send(s, cid, "email", "marketing", contact)[0]
    crm.record_consent(uow(sales), sales, cid, "email", "marketing", False, "unsubscribe_link", contact)
    with session_factory() as s:
        assert crm.may_send(s, cid, "email", "marketing", contact) == (
            False,
            "Opted out of marketing messages on this channel.",
        )
        assert crm.may_send(s, cid, "email", "service", contact)[0]  # service messages still go
        assert crm.may_send(s, cid, "email", "marketing")[0]  # the client's own address is not opted out
        assert crm.may_send(s, cid, "sms", "marketing", contact)[0]
    crm.record_consent(uow(sales), sales, cid, "email", "marketing", True, "form", contact, "Signed at the fair")
    with session_factory() as s:
        assert crm.may_send(s, cid, "email", "marketing", contact)[0]
    history = crm.consent_history(uow(sales), sales, cid)
    assert [h["opted_in"] for h in history] == [True, False]
    assert history[0]["by"] == "Amina Test"


def test_segments_count_by_rules_and_leave_out_the_opted_out(uow, sales, session_factory):
    cats = {c["name"]: c["id"] for c in crm.list_categories(uow(sales), sales)}
    a = client(uow, sales, "A", region="Kigali", status="active", email="a@a.rw", category_id=cats["Regular"])
    client(uow, sales, "B", region="Kigali", status="prospect", email="b@b.rw", cargo_types="Cement, steel")
    client(uow, sales, "C", region="Musanze", status="active", tags="fuel")
    assert crm.segment_count(uow(sales), sales, {"regions": ["kigali"]}) == 2
    assert crm.segment_count(uow(sales), sales, {"regions": ["Kigali"], "statuses": ["active"]}) == 1
    assert crm.segment_count(uow(sales), sales, {"needs": "cement"}) == 1
    assert crm.segment_count(uow(sales), sales, {"tags": ["FUEL"]}) == 1
    assert crm.segment_count(uow(sales), sales, {"reachable": "email"}) == 2
    crm.record_consent(uow(sales), sales, a, "email", "marketing", False, "stop_reply")
    assert crm.segment_count(uow(sales), sales, {"reachable": "email"}) == 1
    log(uow, sales, a)
    assert crm.segment_count(uow(sales), sales, {"contacted_within_days": 7}) == 1
    assert crm.segment_count(uow(sales), sales, {"silent_days": 7}) == 2
    sid = crm.save_segment(uow(sales), sales, "Kigali prospects", {"regions": ["Kigali"], "statuses": ["prospect"]})
    with session_factory() as s:
        assert len(crm.segment_members(s, sid)) == 1


def test_the_timeline_merges_every_kind_newest_first(uow, sales):
    cid = client(uow, sales)
    log(uow, sales, cid, at=NOW - dt.timedelta(days=2), topic="First call")
    log(uow, sales, cid, kind="visit", at=NOW - dt.timedelta(days=1), topic="Depot visit")
    add_attachment(uow(sales), sales, "client", cid, "contract.pdf", PDF, kind="document")
    crm.record_consent(uow(sales), sales, cid, "sms", "marketing", False, "stop_reply")
    rows, total = crm.timeline(uow(sales), sales, cid)
    assert total == 4
    assert [r["kind"] for r in rows][2:] == ["visit", "call"]
    assert {r["kind"] for r in rows[:2]} == {"document", "consent"}
    only, n = crm.timeline(uow(sales), sales, cid, kinds=["call"])
    assert n == 1 and only[0]["title"] == "First call"


def test_the_scan_catches_up_on_recent_days_but_does_not_raise_old_history(uow, sales, session_factory):
    cid = client(uow, sales)
    due = TODAY + dt.timedelta(days=1)
    log(uow, sales, cid, promise="Send the contract", promise_due=due)
    with session_factory() as s:
        assert crm.follow_up_scan(UnitOfWork.joining(s), due + dt.timedelta(days=40)) == 0  # beyond the look-back
        s.rollback()
        made = crm.follow_up_scan(uow(), due + dt.timedelta(days=20))  # missed for 20 days: still comes
        titles = [f.title.format(**f.params) for f in s.scalars(select(FollowUp))]
    assert made == 1 and titles == ["Promise: Send the contract"]


def test_a_contract_ending_soon_reaches_the_plan_once_with_its_scan_among_the_documents(uow, sales, session_factory):
    cid = client(uow, sales)
    with pytest.raises(ValidationError) as err:
        crm.add_agreement(uow(sales), sales, cid, AgreementInput("contract", "", TODAY, TODAY - dt.timedelta(days=1)))
    assert set(err.value.errors) == {"agreement_number", "valid_to"}
    ends = TODAY + dt.timedelta(days=45)
    crm.add_agreement(
        uow(sales),
        sales,
        cid,
        AgreementInput("contract", "K-2026-07", TODAY - dt.timedelta(days=300), ends),
        ("contract.pdf", PDF),
    )
    with session_factory() as s:
        assert crm.follow_up_scan(uow(), TODAY) == 0  # 45 days ahead: not yet (rule: 30)
        assert crm.follow_up_scan(uow(), ends - dt.timedelta(days=30)) == 1
        assert crm.follow_up_scan(uow(), ends - dt.timedelta(days=29)) == 0
        s.commit()
    titles = [i["title"].format(**i["params"]) for i in open_items(uow, sales, ends - dt.timedelta(days=30))]
    assert titles == [f"Contract K-2026-07 ends on {ends.isoformat()}"]
    files = list_attachments(uow(sales), sales, "client", cid, search="k-2026")
    assert [f["filename"] for f in files] == ["contract.pdf"]
    assert list_attachments(uow(sales), sales, "client", cid, search="invoice") == []
    assert crm.list_agreements(uow(sales), sales, cid)[0]["state"] == "valid"


def test_a_promotional_contact_is_due_every_n_days_unless_marketing_calls_were_refused(
    uow, sales, admin, session_factory
):
    rules = {r["kind"]: r for r in crm.list_rules(uow(admin), admin)}
    assert rules["promo"]["active"] is False  # the company switches it on
    crm.save_rule(uow(admin), admin, "promo", 30, None, True, rules["promo"]["id"])
    keen = client(uow, sales, "Keen", phone="0788 100 001")
    refuses = client(uow, sales, "Refuses", phone="0788 100 002")
    crm.record_consent(uow(sales), sales, refuses, "phone", "marketing", False, "phone")
    with session_factory() as s:  # both became clients 100 days ago
        s.execute(update(Client).values(created_at=NOW - dt.timedelta(days=100)))
        s.commit()
    day = TODAY
    with session_factory() as s:  # a scan inside a transaction rolled back afterwards
        made = crm.follow_up_scan(UnitOfWork.joining(s), day)
        promo = s.scalars(select(FollowUp.client_id).where(FollowUp.rule == "promo")).all()
        s.rollback()
    assert promo == [keen] and made >= 1
    log(uow, sales, keen, promotional=True, topic="New Mombasa rates")
    with session_factory() as s:
        crm.follow_up_scan(uow(), day)
        assert s.scalars(select(FollowUp.client_id).where(FollowUp.rule == "promo")).all() == []


def test_a_late_item_shows_overdue_and_an_item_with_lead_days_shows_before_its_deadline(
    uow, sales, admin, session_factory
):
    cid = client(uow, sales)
    late = log(uow, sales, cid, promise="Send the invoice copy", promise_due=TODAY)
    with session_factory() as s:  # the promise was due two days ago: the scan did not run since
        s.execute(update(Interaction).where(Interaction.id == late).values(promise_due=TODAY - dt.timedelta(days=2)))
        s.commit()
    rules = {r["kind"]: r for r in crm.list_rules(uow(admin), admin)}
    crm.save_rule(uow(admin), admin, "next_step", 3, None, True, rules["next_step"]["id"])
    log(uow, sales, cid, next_step="Visit the depot", next_due=TODAY + dt.timedelta(days=3))
    with session_factory() as s:
        assert crm.follow_up_scan(uow(), TODAY) == 2
        s.commit()
    items = {i["rule"]: i for i in open_items(uow, sales, TODAY)}
    assert items["promise"]["overdue"] and items["promise"]["due"] == TODAY - dt.timedelta(days=2)
    assert not items["next_step"]["overdue"] and items["next_step"]["due"] == TODAY  # shown 3 days ahead
    with pytest.raises(ValidationError):  # only silence differs by category
        crm.save_rule(uow(admin), admin, "promise", 1, crm.list_categories(uow(admin), admin)[0]["id"])


def test_an_item_of_a_client_without_a_manager_goes_to_a_director(uow, admin, session_factory):
    director = make_user(uow, admin, "boss", "director")
    cid = crm.create_client(uow(admin), admin, ClientInput(name="Orphan Ltd"))
    with session_factory() as s:
        assert crm.follow_up_scan(uow(), TODAY + dt.timedelta(days=61)) == 1
        s.commit()
    assert [i["client_id"] for i in open_items(uow, director, TODAY + dt.timedelta(days=61))] == [cid]


def test_a_tariff_sheet_ending_soon_reaches_the_plan_in_the_words_users_know(uow, sales, session_factory):
    cid = client(uow, sales)
    ends = TODAY + dt.timedelta(days=10)
    crm.add_agreement(uow(sales), sales, cid, AgreementInput("tariff_sheet", "T-2026-3", TODAY, ends))
    with pytest.raises(ValidationError) as err:  # the old word is no kind any more
        crm.add_agreement(uow(sales), sales, cid, AgreementInput("price_list", "T-2026-4", TODAY, ends))
    assert set(err.value.errors) == {"agreement_kind"}
    with session_factory() as s:
        assert crm.follow_up_scan(uow(), TODAY) == 1
        s.commit()
    titles = [i["title"].format(**i["params"]) for i in open_items(uow, sales, TODAY)]
    assert titles == [f"Price list T-2026-3 ends on {ends.isoformat()}"]
    rows, _ = crm.timeline(uow(sales), sales, cid, kinds=["tariff_sheet"])
    assert [r["title"] for r in rows] == ["T-2026-3"]
    assert crm.list_agreements(uow(sales), sales, cid)[0]["kind"] == "tariff_sheet"


@pytest.fixture
def consent_people(uow, sales):
    """A client with two contact people, for registers written and rolled back per example."""
    cid = client(uow, sales, "Register Ltd")
    contacts = [crm.add_contact(uow(sales), sales, cid, ContactInput(name)) for name in ("Jean", "Aline")]
    return cid, contacts


COMBOS = [(channel, purpose) for channel in CHANNELS for purpose in PURPOSES]
ENTRY = st.tuples(
    st.sampled_from([None, 0, 1]),  # the client itself, or one of its two contacts
    st.sampled_from(CHANNELS),
    st.sampled_from(PURPOSES),
    st.booleans(),  # opted in or out
    st.integers(min_value=0, max_value=3),  # minutes after the first: equal times fall back on the order written
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(ENTRY, max_size=10))
def test_the_database_consent_rule_decides_exactly_as_the_python_rule(session_factory, consent_people, entries):
    """`crm.consent_allows` (SQL, read by the promo scan and segments) against its
    specification `core.crm.consent_decision` (read by `may_send`), for the client and for
    each contact, on every channel and purpose."""
    cid, contacts = consent_people
    start = NOW - dt.timedelta(days=1)
    with session_factory() as s:
        rows = []
        for who, channel, purpose, opted_in, minute in entries:
            row = Consent(
                client_id=cid,
                contact_id=None if who is None else contacts[who],
                channel=channel,
                purpose=purpose,
                opted_in=opted_in,
                how="form",
                at=start + dt.timedelta(minutes=minute),
            )
            s.add(row)
            s.flush()
            rows.append(row)

        def spec(channel: str, purpose: str, contact_id: int | None) -> bool:
            register = [
                ConsentRow(r.id, r.contact_id, r.opted_in, r.at)
                for r in rows
                if r.channel == channel and r.purpose == purpose
            ]
            return consent_decision(purpose, register, contact_id)[0]

        own = s.execute(select(*[crm.consent_allows(ch, p, Client.id) for ch, p in COMBOS]).where(Client.id == cid))
        assert list(own.one()) == [spec(ch, p, None) for ch, p in COMBOS]
        for contact_id, *answers in s.execute(
            select(
                ClientContact.id,
                *[crm.consent_allows(ch, p, ClientContact.client_id, ClientContact.id) for ch, p in COMBOS],
            ).where(ClientContact.client_id == cid)
        ):
            assert answers == [spec(ch, p, contact_id) for ch, p in COMBOS]
        s.rollback()


def test_segments_and_the_promo_scan_reach_exactly_whom_may_send_allows(uow, sales, admin, session_factory):
    """The set-based readers of the register agree with `may_send` for the client's own
    address: an opt-out, an opt-in after it, a contact's opt-out (which binds the contact,
    not the client), a missing address, an archived client."""
    rules = {r["kind"]: r for r in crm.list_rules(uow(admin), admin)}
    crm.save_rule(uow(admin), admin, "promo", 30, None, True, rules["promo"]["id"])
    tag = "reach-check"
    both = dict(email="x@reach.rw", phone="0788 200 001", tags=tag)
    plain = client(uow, sales, "Plain", **both)
    out = client(uow, sales, "Opted out", **both)
    back = client(uow, sales, "Opted back in", **both)
    contact_out = client(uow, sales, "Contact opted out", **both)
    no_address = client(uow, sales, "No address", tags=tag)
    archived = client(uow, sales, "Archived", **both)
    for channel in ("email", "sms", "phone"):
        crm.record_consent(uow(sales), sales, out, channel, "marketing", False, "stop_reply")
        crm.record_consent(uow(sales), sales, back, channel, "marketing", False, "stop_reply")
        crm.record_consent(uow(sales), sales, back, channel, "marketing", True, "form")
    jean = crm.add_contact(uow(sales), sales, contact_out, ContactInput("Jean", phone="0788 200 009", email="j@r.rw"))
    for channel in ("email", "sms", "phone"):
        crm.record_consent(uow(sales), sales, contact_out, channel, "marketing", False, "phone", jean)
    crm.record_consent(uow(sales), sales, plain, "sms", "service", False, "stop_reply")  # service: no bearing
    crm.set_client_archived(uow(sales), sales, archived, True)
    everyone = [plain, out, back, contact_out, no_address, archived]
    with session_factory() as s:
        s.execute(update(Client).values(created_at=NOW - dt.timedelta(days=100)))
        s.commit()
    with session_factory() as s:
        allowed = {ch: {c for c in everyone if crm.may_send(s, c, ch, "marketing")[0]} for ch in CHANNELS}
        assert crm.may_send(s, contact_out, "email", "marketing", jean)[0] is False
    assert allowed["email"] == {plain, back, contact_out}
    for channel in ("email", "sms"):
        found = crm.segment_preview(uow(sales), sales, {"tags": [tag], "reachable": channel})
        assert {r["id"] for r in found} == allowed[channel]
        assert crm.segment_count(uow(sales), sales, {"tags": [tag], "reachable": channel}) == len(allowed[channel])
    with session_factory() as s:
        crm.follow_up_scan(UnitOfWork.joining(s), TODAY)
        promo = set(s.scalars(select(FollowUp.client_id).where(FollowUp.rule == "promo")))
        s.rollback()
    assert promo == allowed["phone"]
