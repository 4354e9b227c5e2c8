"""The Places and Distances screens (SPEC T2) in AppTest: a place's card and tabs, a distance
with where it comes from (an estimate marked), bad input at its field, Kinyarwanda."""

from __future__ import annotations

from sqlalchemy import select

from tests.app.test_pages import run_page


def place_ids(app_db, *names: str) -> list[int]:  # type: ignore[no-untyped-def]
    from db.models.transport import Place
    from db.session import engine_for

    with engine_for(app_db.sqlalchemy_url)[1]() as s:
        found = dict(s.execute(select(Place.name, Place.id).where(Place.name.in_(names))).tuples().all())
    return [found[n] for n in names]


def test_a_place_shows_its_card_and_its_distances_with_their_source(app_db, actors):
    kigali, huye = place_ids(app_db, "Kigali", "Huye")
    at = run_page("places", actors["dispatcher"], places_selected=kigali, **{f"places_lookup_{kigali}_to": huye})
    assert not at.exception and not at.error
    assert [tab.label for tab in at.tabs] == ["Details", "Distances", "History"]
    assert any(m.value.startswith("### Kigali") and "Town" in m.value for m in at.markdown)
    assert [s.value for s in at.success] == ["135 km · 3.3 h · Company table"]
    assert any("In the distance table" in m.value for m in at.markdown)


def test_an_estimated_distance_is_marked_as_such(app_db, actors):
    huye, cyanika = place_ids(app_db, "Huye", "Cyanika border")
    at = run_page("distances", actors["sales_manager"], distances_lookup_from=huye, distances_lookup_to=cyanika)
    assert not at.exception and not at.error
    warning = [w.value for w in at.warning]
    assert len(warning) == 1 and warning[0].startswith("≈ ") and warning[0].endswith("· Estimate")
    assert any("straight line between the places times the road factor" in c.value for c in at.caption)
    assert any("No routing server is set" in c.value for c in at.caption)


def test_the_accountant_reads_the_table_but_has_no_form_to_change_it(app_db, actors):
    at = run_page("distances", actors["accountant"])
    assert not at.exception and not at.error
    labels = [b.label for b in at.button]
    assert "Add distance" not in labels and "Forget the routing answers" not in labels
    assert any(m.value.startswith("Page 1 of 1 · ") for m in at.markdown)


def test_a_place_with_coordinates_out_of_range_is_refused_at_the_field(app_db, actors):
    at = run_page("places", actors["dispatcher"], places_mode="add")
    fields = {ti.label: ti for ti in at.text_input}
    fields["Name *"].input("Nowhere depot")
    fields["Latitude *"].input("95")
    fields["Longitude *"].input("30.1")
    at.button[[b.label for b in at.button].index("Save")].click()
    at.run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("A latitude is between -90 and 90" in e for e in errors), errors
    assert "Please correct the fields marked above." in errors
    from core.services import transport
    from core.services.listing import ListQuery
    from db.session import UnitOfWork, engine_for

    admin = actors["administrator"]
    found = transport.list_places(
        UnitOfWork(engine_for(app_db.sqlalchemy_url)[1], admin), admin, ListQuery(search="nowhere")
    )
    assert found.total == 0


def test_a_row_of_the_table_opens_with_its_way_back(app_db, actors):
    from core.services import transport
    from core.services.listing import ListQuery
    from db.session import UnitOfWork, engine_for

    admin = actors["administrator"]
    rows = transport.list_distances(
        UnitOfWork(engine_for(app_db.sqlalchemy_url)[1], admin), admin, ListQuery(search="huye")
    ).rows
    row = next(r for r in rows if r["from_name"] == "Kigali" and r["to_name"] == "Huye")
    at = run_page("distances", actors["director"], distances_selected=row["id"])
    assert not at.exception and not at.error
    assert any(m.value.startswith("### Kigali → Huye") for m in at.markdown)
    assert any("The way back uses this row too." in c.value for c in at.caption)
    assert "Remove from the table" in [b.label for b in at.button]


def test_the_places_screen_speaks_kinyarwanda(app_db, actors):
    from core.services.users import set_language
    from db.session import UnitOfWork, engine_for

    actor = actors["director"]
    factory = engine_for(app_db.sqlalchemy_url)[1]
    set_language(UnitOfWork(factory, actor), actor, "rw")
    try:
        at = run_page("places", actor)
    finally:
        set_language(UnitOfWork(factory, actor), actor, "en")
    assert not at.exception
    assert at.title[0].value != "Places" and at.title[0].value
