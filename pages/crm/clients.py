"""Clients (SPEC C1-C3, C8): the client base on the catalog screen, and each client's file:
details, contacts, timeline with logging of calls and appointments, consent, statistics."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from common.i18n import N_
from common.roles import CAN_EDIT_CRM, CAN_VIEW_CRM
from core.services import crm
from core.services.crm import AgreementInput, ClientInput, ContactInput, InteractionInput
from db.models.crm import AGREEMENT_KINDS, CHANNELS, CLIENT_STATUSES, CONSENT_HOW, INTERACTION_KINDS, PURPOSES
from ui.auth import require_page
from ui.catalog import Catalog, Column, Filter, open_record, render_catalog
from ui.context import t, uow
from ui.crm import CHANNEL_LABELS, HOW_LABELS, KIND_LABELS, PURPOSE_LABELS, STATUS_LABELS, follow_up_text, when_input
from ui.formatting import show
from ui.forms import FieldSlots, run_action, show_import_report
from ui.grid import table

actor = require_page("clients")
can_edit = actor.role in CAN_EDIT_CRM
P = "clients"


def client_form(key: str, current: dict[str, Any] | None = None) -> tuple[ClientInput, FieldSlots, bool]:
    c = current or {}
    slots = FieldSlots()
    categories = {r["id"]: r["name"] for r in crm.list_categories(uow(), actor)}
    managers = dict(crm.manager_choices(uow(), actor))
    with st.form(key):
        cols = st.columns(3)
        with cols[0]:
            kind = st.radio(
                t("Kind"),
                ["company", "person"],
                index=0 if c.get("kind", "company") == "company" else 1,
                horizontal=True,
                format_func=lambda k: t("Company") if k == "company" else t("Private person"),
            )
            name = st.text_input(t("Legal name or full name") + " *", c.get("name") or "")
            slots.slot("name")
            trading = st.text_input(t("Trading name"), c.get("trading_name") or "")
            tax_id = st.text_input(t("Tax id (TIN)"), c.get("tax_id") or "")
            slots.slot("tax_id")
            status = st.selectbox(
                t("Status"),
                CLIENT_STATUSES,
                index=CLIENT_STATUSES.index(c.get("status", "prospect")),
                format_func=lambda s: t(STATUS_LABELS[s]),
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
                format_func=lambda i: "" if i is None else categories[i],
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


def render_add() -> None:
    data, slots, submitted = client_form(f"{P}_add_form")
    if submitted:
        ok, new_id = run_action(
            lambda: crm.create_client(uow(), actor, data), slots, success=N_("The client was added.")
        )
        if ok:
            open_record(P, new_id)
            st.rerun()


def render_details(client_id: int) -> None:
    c = crm.get_client(uow(), actor, client_id)
    st.markdown(f"### {c['name']}  \n`{c['code']}` · {t(STATUS_LABELS[c['status']])}")
    facts = [
        (t("Trading name"), c["trading_name"]),
        (t("Tax id (TIN)"), c["tax_id"]),
        (t("Phone"), " / ".join(filter(None, [c["phone"], c["phone2"]]))),
        (t("E-mail"), c["email"]),
        (t("Region"), c["region"]),
        (t("Category"), c["category"]),
        (t("Responsible manager"), c["manager"]),
        (t("Tags"), ", ".join(c["tags"] or [])),
        (t("Cargo types"), c["cargo_types"]),
        (t("Usual routes"), c["usual_routes"]),
    ]
    cols = st.columns(2)
    for i, (label, value) in enumerate(f for f in facts if f[1]):
        cols[i % 2].markdown(f"**{label}:** {value}")
    if can_edit:
        with st.expander(t("Edit"), icon=":material/edit:"):
            data, slots, submitted = client_form(f"{P}_edit_{client_id}", c)
            if submitted:
                ok, changed = run_action(lambda: crm.update_client(uow(), actor, client_id, data), slots)
                if ok:
                    st.toast(t("Saved.") if changed else t("Nothing changed."))
                    st.rerun()


def render_contacts(client_id: int) -> None:
    rows = crm.list_contacts(uow(), actor, client_id)
    if rows:
        table(
            pd.DataFrame(
                [
                    {
                        t("Name"): r["name"],
                        t("Role"): r["role"] or "",
                        t("Phone"): r["phone"] or "",
                        t("E-mail"): r["email"] or "",
                    }
                    for r in rows
                ]
            ),
            key=f"{P}_contacts_{client_id}",
        )
    else:
        st.caption(t("No contact people yet."))
    if not can_edit:
        return
    slots = FieldSlots()
    with st.form(f"{P}_contact_form_{client_id}", clear_on_submit=True):
        st.markdown(t("Add a contact person"))
        c = st.columns(4)
        name = c[0].text_input(t("Name") + " *", key=f"{P}_cn_{client_id}")
        with c[0]:
            slots.slot("contact_name")
        role = c[1].text_input(t("Role"), key=f"{P}_cr_{client_id}")
        phone = c[2].text_input(t("Phone"), key=f"{P}_cp_{client_id}")
        with c[2]:
            slots.slot("contact_phone")
        email = c[3].text_input(t("E-mail"), key=f"{P}_ce_{client_id}")
        with c[3]:
            slots.slot("contact_email")
        submitted = st.form_submit_button(t("Add contact"))
    if submitted:
        ok, _ = run_action(
            lambda: crm.add_contact(uow(), actor, client_id, ContactInput(name, role, phone, email)),
            slots,
            success=N_("The contact was added."),
        )
        if ok:
            st.rerun()


def log_form(client_id: int) -> None:
    contacts = {r["id"]: r["name"] for r in crm.list_contacts(uow(), actor, client_id)}
    slots = FieldSlots()
    planned = st.toggle(t("Plan an appointment (the result comes later)"), key=f"{P}_planned_{client_id}")
    with st.form(f"{P}_log_form_{client_id}", clear_on_submit=True):
        c = st.columns(3)
        kind = c[0].selectbox(t("Kind"), INTERACTION_KINDS, format_func=lambda k: t(KIND_LABELS[k]))
        contact_ids = [None, *contacts]
        contact_id = c[1].selectbox(t("Contact"), contact_ids, format_func=lambda i: "" if i is None else contacts[i])
        with c[2]:
            at = when_input(f"{P}_at_{client_id}", planned)
            slots.slot("at")
        topic = st.text_input(t("Topic") + " *")
        slots.slot("topic")
        result = ""
        if not planned:
            result = st.text_area(t("Result") + " *", height=68)
            slots.slot("result")
        promotional = st.checkbox(t("Promotional contact (marketing)"))
        p = st.columns([3, 1])
        promise = p[0].text_input(t("Promise made (e.g. send the price list)"))
        promise_due = p[1].date_input(t("Promise due"), value=None, format="DD/MM/YYYY")
        slots.slot("promise_due")
        n = st.columns([3, 1])
        next_step = n[0].text_input(t("Next step"))
        slots.slot("next_step")
        next_due = n[1].date_input(t("Next step due"), value=None, format="DD/MM/YYYY")
        slots.slot("next_due")
        submitted = st.form_submit_button(t("Save appointment") if planned else t("Log contact"), type="primary")
    if submitted:
        data = InteractionInput(
            client_id=client_id,
            kind=kind,
            at=at,
            topic=topic,
            planned=planned,
            contact_id=contact_id,
            result=result,
            promise=promise,
            promise_due=promise_due,
            next_step=next_step,
            next_due=next_due,
            promotional=promotional,
        )
        ok, _ = run_action(lambda: crm.log_interaction(uow(), actor, data), slots, success=N_("Saved."))
        if ok:
            st.rerun()


def entry_text(r: dict[str, Any]) -> tuple[str, str]:
    """A timeline entry's words in the reader's language."""
    p = r["params"]
    if r["kind"] == "consent" and p is not None:
        decision = t("Opted in") if p["opted_in"] else t("Opted out")
        who = f"{p['contact']}: " if p.get("contact") else ""
        title = f"{who}{t(CHANNEL_LABELS[p['channel']])} · {t(PURPOSE_LABELS[p['purpose']])} — {decision}"
        return title, " · ".join(filter(None, [t(HOW_LABELS[p["how"]]), p.get("note")]))
    title = follow_up_text(r["title"], p)
    detail = t(r["detail"]) if r["kind"] == "follow_up" and r["detail"] else (r["detail"] or "")
    return title, detail


def render_timeline(client_id: int) -> None:
    if can_edit:
        with st.expander(t("Log a call, meeting or visit"), icon=":material/add_call:"):
            log_form(client_id)
    kinds = st.multiselect(
        t("Show"),
        [*INTERACTION_KINDS, "document", "contract", "price_list", "follow_up", "consent"],
        format_func=lambda k: t(KIND_LABELS.get(k, k)),
        key=f"{P}_tl_kinds_{client_id}",
        placeholder=t("Everything"),
    )
    rows, total = crm.timeline(uow(), actor, client_id, limit=200, kinds=kinds or None)
    if not rows:
        st.caption(t("Nothing here yet."))
        return
    st.caption(t("{n} entries, newest first.", n=show(total, "number")))
    for r in rows:
        icon = ":material/event:" if r["ref_type"] == "appointment" else ""
        who = f" · {r['who']}" if r["who"] else ""
        title, detail = entry_text(r)
        st.markdown(f"{icon} **{show(r['at'])}** · {t(KIND_LABELS.get(r['kind'], r['kind']))}{who}  \n{title}")
        if detail:
            st.caption(detail)


def render_consent(client_id: int) -> None:
    rows = crm.consent_status(uow(), actor, client_id)
    table(
        pd.DataFrame(
            [
                {
                    t("Who"): t(r["who"]) if r["contact_id"] is None else r["who"],
                    t("Channel"): t(CHANNEL_LABELS[r["channel"]]),
                    t("Purpose"): t(PURPOSE_LABELS[r["purpose"]]),
                    t("May we send?"): t("Yes") if r["allowed"] else t("No"),
                    t("Why"): t(r["why"]),
                }
                for r in rows
            ]
        ),
        key=f"{P}_consent_{client_id}",
    )
    if can_edit:
        contacts = {r["id"]: r["name"] for r in crm.list_contacts(uow(), actor, client_id)}
        slots = FieldSlots()
        with st.form(f"{P}_consent_form_{client_id}"):
            st.markdown(t("Record a consent or an opt-out"))
            c = st.columns(5)
            ids = [None, *contacts]
            contact_id = c[0].selectbox(
                t("Who"), ids, format_func=lambda i: t("The client") if i is None else contacts[i]
            )
            channel = c[1].selectbox(t("Channel"), CHANNELS, format_func=lambda x: t(CHANNEL_LABELS[x]))
            purpose = c[2].selectbox(t("Purpose"), PURPOSES, format_func=lambda x: t(PURPOSE_LABELS[x]))
            choice = c[3].radio(
                t("Decision"), ["out", "in"], format_func=lambda x: t("Opted out") if x == "out" else t("Opted in")
            )
            how = c[4].selectbox(t("How"), CONSENT_HOW, format_func=lambda x: t(HOW_LABELS[x]))
            note = st.text_input(t("Note"))
            submitted = st.form_submit_button(t("Record"))
        if submitted:
            ok, _ = run_action(
                lambda: crm.record_consent(
                    uow(), actor, client_id, channel, purpose, choice == "in", how, contact_id, note
                ),
                slots,
                success=N_("Recorded."),
            )
            if ok:
                st.rerun()
    history = crm.consent_history(uow(), actor, client_id)
    if history:
        st.markdown(t("Register"))
        table(
            pd.DataFrame(
                [
                    {
                        t("When"): show(h["at"]),
                        t("Who"): h["contact"] or t("The client"),
                        t("Channel"): t(CHANNEL_LABELS[h["channel"]]),
                        t("Purpose"): t(PURPOSE_LABELS[h["purpose"]]),
                        t("Decision"): t("Opted in") if h["opted_in"] else t("Opted out"),
                        t("How"): t(HOW_LABELS[h["how"]]),
                        t("Recorded by"): h["by"] or "",
                    }
                    for h in history
                ]
            ),
            key=f"{P}_consent_log_{client_id}",
        )


def render_agreements(client_id: int) -> None:
    rows = crm.list_agreements(uow(), actor, client_id)
    if rows:
        table(
            pd.DataFrame(
                [
                    {
                        t("Kind"): t(KIND_LABELS[r["kind"]]),
                        t("Number"): r["number"],
                        t("Valid from"): show(r["valid_from"]),
                        t("Valid to"): show(r["valid_to"]),
                        t("Valid to") + "__state": r["state"],
                        t("Scan"): t("Yes") if r["attachment_id"] else "",
                        t("Note"): r["note"] or "",
                    }
                    for r in rows
                ]
            ),
            key=f"{P}_agreements_{client_id}",
            coloured=t("Valid to"),
        )
    else:
        st.caption(t("No contracts or price lists yet."))
    if not can_edit:
        return
    slots = FieldSlots()
    with st.form(f"{P}_agreement_form_{client_id}", clear_on_submit=True):
        st.markdown(t("Add a contract or price list"))
        c = st.columns(4)
        kind = c[0].selectbox(t("Kind"), AGREEMENT_KINDS, format_func=lambda k: t(KIND_LABELS[k]))
        number = c[1].text_input(t("Number") + " *")
        with c[1]:
            slots.slot("agreement_number")
        valid_from = c[2].date_input(t("Valid from") + " *", value=None, format="DD/MM/YYYY")
        with c[2]:
            slots.slot("valid_from")
        valid_to = c[3].date_input(t("Valid to") + " *", value=None, format="DD/MM/YYYY")
        with c[3]:
            slots.slot("valid_to")
        upload = st.file_uploader(t("Signed scan (PDF or picture)"), type=["pdf", "jpg", "jpeg", "png"])
        slots.slot("file")
        note = st.text_input(t("Note"))
        submitted = st.form_submit_button(t("Add"))
    if submitted:
        file = (upload.name, upload.getvalue()) if upload is not None else None
        data = AgreementInput(kind, number, valid_from, valid_to, note)
        ok, _ = run_action(lambda: crm.add_agreement(uow(), actor, client_id, data, file), slots, success=N_("Saved."))
        if ok:
            st.rerun()


def render_statistics(client_id: int) -> None:
    s = crm.client_statistics(uow(), actor, client_id)
    m = st.columns(4)
    m[0].metric(t("Contacts logged"), show(sum(s["by_kind"].values()), "number"))
    m[1].metric(t("Last contact"), show(s["last_contact"]) if s["last_contact"] else "—")
    m[2].metric(t("Open follow-ups"), show(s["open_follow_ups"], "number"))
    m[3].metric(t("Appointments"), show(s["appointments"], "number"))
    if s["by_kind"]:
        st.bar_chart(pd.Series({t(KIND_LABELS[k]): v for k, v in s["by_kind"].items()}), horizontal=True)
    st.caption(t("Orders, revenue and profit appear here when transport orders are recorded."))


def render_duplicates(client_id: int) -> None:
    from core.services.crm_import import find_duplicates, merge_clients

    found = find_duplicates(uow(), actor, client_id)
    if not found:
        st.caption(t("No likely duplicates."))
        return
    st.caption(t("Merging moves every contact, interaction, follow-up, consent and document here."))
    for f in found:
        c = st.columns([4, 3, 2])
        c[0].markdown(f"**{f['name']}** · `{f['code']}`")
        c[1].caption(", ".join(t(r) for r in f["reasons"]) + f" · {f['score']}%")
        if not can_edit:
            continue
        with c[2].popover(t("Merge into this client")):
            st.warning(t("{other} will be merged into this client. This cannot be undone.", other=f["name"]))
            if st.button(t("Merge"), key=f"{P}_merge_{client_id}_{f['id']}", type="primary"):
                ok, _ = run_action(
                    lambda f=f: merge_clients(uow(), actor, client_id, f["id"]),
                    success=N_("The clients were merged."),
                )
                if ok:
                    st.rerun()


def import_popover() -> None:
    """Clients (and one contact per row) from CSV or Excel, with a per-row report."""
    from core.imports import read_table
    from core.services.crm_import import import_clients

    if not can_edit:
        return
    with st.popover(t("Import"), icon=":material/upload:"):
        st.caption(
            t(
                "Columns: name, kind, trading_name, tax_id, phone, email, region, address, category, status, tags, "
                "source, contact_name, contact_role, contact_phone, contact_email"
            )
        )
        upload = st.file_uploader(t("File"), type=["csv", "xlsx"], key=f"{P}_import_file")
        if upload is not None and st.button(t("Import"), key=f"{P}_import_go", type="primary"):
            content = upload.getvalue()
            ok, report = run_action(lambda: import_clients(uow(), actor, read_table(upload.name, content)))
            if ok and report is not None:
                show_import_report(report)


st.title(t("Clients"))
import_popover()
managers = crm.manager_choices(uow(), actor)
categories = crm.list_categories(uow(), actor)
render_catalog(
    Catalog(
        key=P,
        entity_type="client",
        title_of=lambda r: f"{r['name']} · {r['code']}",
        columns=[
            Column("code", N_("Code"), width=100),
            Column("name", N_("Name"), width=240),
            Column("category", N_("Category"), width=130),
            Column("region", N_("Region"), width=110),
            Column("phone", N_("Phone"), width=150),
            Column("manager", N_("Manager"), width=150),
            Column("status", N_("Status"), width=100, labels=STATUS_LABELS),
            Column("last_contact", N_("Last contact"), "datetime"),
        ],
        list_page=lambda q: crm.list_clients(uow(), actor, q),
        export_rows=lambda q: crm.export_clients(uow(), actor, q),
        default_sort="name",
        sort_keys=["name", "code", "last_contact", "region"],
        filters=[
            Filter("status", N_("Status"), [(s, t(STATUS_LABELS[s])) for s in CLIENT_STATUSES]),
            Filter("category", N_("Category"), [(str(c["id"]), c["name"]) for c in categories]),
            Filter("manager", N_("Manager"), [(str(i), n) for i, n in managers]),
        ],
        render_details=render_details,
        render_add=render_add,
        extra_tabs=[
            (N_("Contacts"), render_contacts),
            (N_("Timeline"), render_timeline),
            (N_("Contracts"), render_agreements),
            (N_("Consent"), render_consent),
            (N_("Statistics"), render_statistics),
            (N_("Duplicates"), render_duplicates),
        ],
        can_edit=can_edit,
        view_roles=CAN_VIEW_CRM,
        history_types=("client", "client_contact"),
        add_label=N_("Add client"),
        search_placeholder=N_("Name, code, tax id, phone, e-mail..."),
    )
)
