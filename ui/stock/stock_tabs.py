"""The Stock screen's tabs (SPEC W4, W5): balances per store now or at a past date, items to
reorder, fuel issued to vehicles, and the stores and item categories."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import streamlit as st

from common.actor import Actor
from common.i18n import N_
from common.roles import ADMIN, CAN_EDIT_STOCK
from core.services import stock
from ui.context import company_locale, company_today, t, t_name, uow
from ui.formatting import esc, show
from ui.forms import FieldSlots, run_action
from ui.grid import Column, table
from ui.labels import label, labeller, labels, path_label


def balances_tab(actor: Actor, stores: dict[int, str]) -> None:
    if not stores:
        st.caption(t("No stores yet."))
        return
    c = st.columns(3)
    store = c[0].selectbox(t("Store"), list(stores), format_func=stores.get, key="stock_store")
    past = c[1].toggle(t("At a past date"), key="stock_past")
    at = None
    if past:
        day = c[2].date_input(t("Date"), company_today() - dt.timedelta(days=30), format="DD/MM/YYYY", key="stock_day")
        at = dt.datetime.combine(day, dt.time.max, tzinfo=ZoneInfo(company_locale()[1]))
    rows = stock.store_balances(uow(), actor, store, at)
    if not rows:
        st.caption(t("The store is empty."))
        return
    st.metric(t("Value of the store"), show(sum(r["value"] for r in rows)))
    table(
        [{**r, "state": r["low"], "state_state": "expiring" if r["low"] else "valid"} for r in rows],
        [
            Column("name", N_("Item"), wide=True),
            Column("article", N_("Article")),
            Column("qty", N_("Quantity"), unit_of="unit"),
            Column("unit", N_("Unit"), labels=labels("stock_unit")),
            Column("value", N_("Value")),
            Column("state", N_("Status"), kind="status", labels={True: N_("Low"), False: N_("OK")}),
        ],
        key="stock_balances_grid",
    )


def reorder_tab(actor: Actor) -> None:
    rows = stock.to_reorder(uow(), actor)
    if not rows:
        st.success(t("Nothing to reorder."))
        return
    table(
        rows,
        [
            Column("store", N_("Store")),
            Column("name", N_("Item"), wide=True),
            Column("article", N_("Article")),
            Column("qty", N_("Quantity"), unit_of="unit"),
            Column("reorder_level", N_("Reorder level"), unit_of="unit"),
            Column("suggested", N_("Suggested order"), unit_of="unit"),
            Column("unit", N_("Unit"), labels=labels("stock_unit")),
        ],
        key="stock_reorder_grid",
    )


def fuel_tab(actor: Actor) -> None:
    today = company_today()
    c = st.columns(2)
    first = c[0].date_input(t("From"), today.replace(day=1), format="DD/MM/YYYY", key="stock_fuel_from")
    last = c[1].date_input(t("To"), today, format="DD/MM/YYYY", key="stock_fuel_to")
    rows = stock.fuel_issued(uow(), actor, first, last)
    if not rows:
        st.caption(t("No fuel issued to vehicles in this period."))
        return
    table(
        [{**r, "unit": "l"} for r in rows],
        [
            Column("plate", N_("Vehicle")),
            Column("fuel", N_("Fuel"), kind="name"),
            Column("litres", N_("Litres"), unit_of="unit"),
            Column("cost", N_("Cost")),
            Column("issues", N_("Issues"), kind="number"),
        ],
        key="stock_fuel_grid",
    )


def _add_store(actor: Actor) -> None:
    slots = FieldSlots()
    with st.form("stock_store_add", clear_on_submit=True):
        c = st.columns(2)
        name = c[0].text_input(t("New store"))
        with c[0]:
            slots.slot("name")
        kind = c[1].selectbox(t("Kind"), list(labels("store_kind")), format_func=labeller("store_kind"))
        submitted = st.form_submit_button(t("Add"))
    if submitted:
        ok, _ = run_action(lambda: stock.create_warehouse(uow(), actor, name, kind), slots, success=N_("Saved."))
        if ok:
            st.rerun()


def _add_category(actor: Actor, categories: list[dict]) -> None:  # type: ignore[type-arg]
    slots = FieldSlots()
    with st.form("stock_category_add", clear_on_submit=True):
        c = st.columns(2)
        name = c[0].text_input(t("New category"))
        with c[0]:
            slots.slot("name")
        parents = {x["id"]: x["path"] for x in categories}
        parent = c[1].selectbox(
            t("Inside"), [None, *parents], format_func=lambda i: "" if i is None else path_label(parents[i])
        )
        submitted = st.form_submit_button(t("Add"))
    if submitted:
        ok, _ = run_action(lambda: stock.create_category(uow(), actor, name, parent), slots, success=N_("Saved."))
        if ok:
            st.rerun()


def setup_tab(actor: Actor) -> None:
    st.subheader(t("Stores"))
    for store_row in stock.list_warehouses(uow(), actor):
        st.markdown(f"- **{esc(store_row['name'])}** · {esc(label('store_kind', store_row['kind']))}")
    if actor.role == ADMIN:
        _add_store(actor)
    st.subheader(t("Item categories"))
    categories = stock.list_categories(uow(), actor)
    for c in categories:
        st.markdown("&nbsp;" * 4 * c["depth"] + f"- {t_name(c['name'])}")
    if not categories:
        st.caption(t("No categories yet."))
    if actor.role in CAN_EDIT_STOCK:
        _add_category(actor, categories)
