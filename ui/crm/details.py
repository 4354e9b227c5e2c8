"""The client's card: the form that adds or edits a client, and the details tab."""

from __future__ import annotations

from typing import Any

import streamlit as st

from common.i18n import country_names
from core.contacts import TAX_ID_HELP
from core.services import crm
from core.services.crm import ClientInput
from core.services.settings import get_company
from db.models.crm import CLIENT_STATUSES
from ui.catalog import open_record
from ui.context import language, t, t_plain, uow
from ui.crm.screen import ClientScreen
from ui.formatting import code, esc
from ui.forms import FieldSlots, edit_version, run_action, run_edit
from ui.labels import label, labeller


def _country_choice(current: str) -> str:
    """The client's country; empty: the company's own (whose tax-id rule then applies)."""
    countries = country_names(language())
    home = str(get_company(uow())["country"])
    options = ["", *countries]
    return st.selectbox(
        t("Country"),
        options,
        index=options.index(current) if current in options else 0,
        format_func=lambda code: (
            countries[code] if code else t_plain("{country} (the company's)", country=countries.get(home, home))
        ),
    )


def client_form(
    screen: ClientScreen, key: str, current: dict[str, Any] | None = None
) -> tuple[ClientInput, FieldSlots, bool]:
    c = current or {}
    slots = FieldSlots()
    categories = {r["id"]: r["name"] for r in crm.list_categories(uow(), screen.actor)}
    managers = dict(crm.manager_choices(uow(), screen.actor))
    with st.form(key):
        cols = st.columns(3)
        with cols[0]:
            kind = st.radio(
                t("Kind"),
                ["company", "person"],
                index=0 if c.get("kind", "company") == "company" else 1,
                horizontal=True,
                format_func=labeller("client_kind"),
            )
            name = st.text_input(t("Legal name or full name") + " *", c.get("name") or "")
            slots.slot("name")
            trading = st.text_input(t("Trading name"), c.get("trading_name") or "")
            country = _country_choice(c.get("country") or "")
            slots.slot("country")
            tax_id = st.text_input(t("Tax id (TIN)"), c.get("tax_id") or "", help=t(TAX_ID_HELP))
            slots.slot("tax_id")
            status = st.selectbox(
                t("Status"),
                CLIENT_STATUSES,
                index=CLIENT_STATUSES.index(c.get("status", "prospect")),
                format_func=labeller("client_status"),
            )
        with cols[1]:
            phone = st.text_input(t("Phone"), c.get("phone") or "", placeholder="+250 788 123 456")
            slots.slot("phone")
            phone2 = st.text_input(t("Second phone"), c.get("phone2") or "")
            slots.slot("phone2")
            email = st.text_input(t("E-mail"), c.get("email") or "")
            slots.slot("email")
            website = st.text_input(t("Website"), c.get("website") or "")
            address = st.text_input(t("Address"), c.get("address") or "")
            region = st.text_input(t("Region"), c.get("region") or "")
        with cols[2]:
            cat_ids = [None, *categories]
            category_id = st.selectbox(
                t("Category"),
                cat_ids,
                index=cat_ids.index(c.get("category_id")) if c.get("category_id") in cat_ids else 0,
                format_func=lambda i: "" if i is None else label("name", categories[i]),
            )
            if c.get("manager_user_id") and c["manager_user_id"] not in managers:  # left, or changed role
                managers[c["manager_user_id"]] = c.get("manager") or str(c["manager_user_id"])
            manager_ids = [None, *managers]
            manager_id = st.selectbox(
                t("Responsible manager"),
                manager_ids,
                index=manager_ids.index(c.get("manager_user_id")) if c.get("manager_user_id") in manager_ids else 0,
                format_func=lambda i: "" if i is None else managers[i],
            )
            source = st.text_input(t("Source (how they came)"), c.get("source") or "")
            tags = st.text_input(t("Tags (comma-separated)"), ", ".join(c.get("tags") or []))
        n = st.columns(3)
        cargo = n[0].text_input(t("Cargo types"), c.get("cargo_types") or "")
        routes = n[1].text_input(t("Usual routes"), c.get("usual_routes") or "")
        volumes = n[2].text_input(t("Volumes"), c.get("volumes") or "")
        submitted = st.form_submit_button(t("Save"), type="primary")
    data = ClientInput(
        name=name,
        kind=kind,
        trading_name=trading,
        tax_id=tax_id,
        country=country,
        address=address,
        region=region,
        phone=phone,
        phone2=phone2,
        email=email,
        website=website,
        source=source,
        manager_user_id=manager_id,
        category_id=category_id,
        tags=tags,
        cargo_types=cargo,
        usual_routes=routes,
        volumes=volumes,
        status=status,
    )
    return data, slots, submitted


def _twins_warning(matches: list[dict[str, Any]]) -> None:
    """The clients a new one is likely the same as, each named as the reader finds it."""
    lines = [t("This client may already be saved. Nothing was saved yet; check these clients:")]
    for m in matches:
        facts = [code(m["code"]), f"**{esc(m['name'])}**", esc(m["phone"]), esc(m["email"])]
        facts.append(", ".join(t(r) for r in m["reasons"]))
        lines.append("- " + " · ".join(f for f in facts if f))
    st.warning("\n".join(lines), icon=":material/content_copy:")


def add_client(screen: ClientScreen) -> None:
    """The new client's form. A client likely saved already is not saved: its twins are named
    under the form, and "Save anyway" saves exactly what was checked (the form as submitted),
    unless another client matches by then."""
    key = f"{screen.key}_add_form"
    twins_key = f"{key}_twins"
    data, slots, submitted = client_form(screen, key)
    confirmed: list[int] | None = [] if submitted else None
    shown = st.session_state.get(twins_key)
    if not submitted and shown is not None and shown[0] == data:
        _twins_warning(shown[1])
        if st.button(t("Save anyway: it is another client"), key=f"{key}_anyway", type="primary"):
            confirmed = [m["id"] for m in shown[1]]
    if confirmed is None:
        return

    def save() -> int | None:
        try:
            return crm.create_client(uow(), screen.actor, data, confirmed)
        except crm.LikelyDuplicates as exc:
            st.session_state[twins_key] = (data, exc.matches)
            return None

    st.session_state.pop(twins_key, None)
    ok, new_id = run_action(save, slots)
    if ok and new_id is None:
        st.rerun()  # the twins show under the form, with the button that saves anyway
    if ok and new_id is not None:
        st.toast(t("The client was added."))
        open_record(screen.key, new_id)
        st.rerun()


def details_tab(screen: ClientScreen, client_id: int) -> None:
    c = crm.get_client(uow(), screen.actor, client_id)
    st.markdown(f"### {esc(c['name'])}  \n{code(c['code'])} · {esc(label('client_status', c['status']))}")
    facts = [
        (t("Trading name"), c["trading_name"]),
        (t("Tax id (TIN)"), c["tax_id"]),
        (t("Country"), country_names(language()).get(c["country"] or "", c["country"])),
        (t("Phone"), " / ".join(filter(None, [c["phone"], c["phone2"]]))),
        (t("E-mail"), c["email"]),
        (t("Region"), c["region"]),
        (t("Category"), label("name", c["category"])),
        (t("Responsible manager"), c["manager"]),
        (t("Tags"), ", ".join(c["tags"] or [])),
        (t("Cargo types"), c["cargo_types"]),
        (t("Usual routes"), c["usual_routes"]),
    ]
    cols = st.columns(2)
    for i, (name, value) in enumerate(f for f in facts if f[1]):
        cols[i % 2].markdown(f"**{esc(name)}:** {esc(value)}")
    if screen.can_edit:
        with st.expander(t("Edit"), icon=":material/edit:"):
            form_key = f"{screen.key}_edit_{client_id}"
            edit_version(form_key, c["version"])
            data, slots, submitted = client_form(screen, form_key, c)
            if submitted:
                ok, changed = run_edit(
                    form_key, lambda v: crm.update_client(uow(), screen.actor, client_id, data, v), slots
                )
                if ok:
                    st.toast(t("Saved.") if changed else t("Nothing changed."))
                    st.rerun()
