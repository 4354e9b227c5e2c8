"""The Documents tab of a unit or a driver: what is on file with its status, what dispatch
needs and is missing, the scans, a new document, and the renewal of one expired or
expiring (a new document of its type, prefilled; the old one stays as history)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from common.actor import Actor
from common.i18n import N_
from common.roles import CAN_EDIT_FLEET
from core.services import fleet
from core.services.attachments import add_attachment
from core.services.fleet import DocumentInput
from ui.attachments import attachments_tab
from ui.context import t, t_name, uow
from ui.fleet.status import badge
from ui.formatting import code, esc, show
from ui.forms import FieldSlots, run_action
from ui.labels import label


def documents_tab(
    actor: Actor, prefix: str, *, vehicle_id: int | None = None, employee_id: int | None = None, applies_to: str
) -> None:
    can_edit = actor.role in CAN_EDIT_FLEET
    owner_id = vehicle_id if vehicle_id is not None else employee_id
    docs = fleet.list_documents(uow(), actor, vehicle_id=vehicle_id, employee_id=employee_id)
    missing = fleet.missing_required(uow(), actor, vehicle_id=vehicle_id, employee_id=employee_id)
    if missing:
        st.error(t("Required for dispatch and missing: {names}", names=", ".join(t_name(m) for m in missing)))
    if not docs:
        st.caption(t("No documents yet."))
    for d in docs:
        with st.container(border=True):
            cols = st.columns([3, 2, 2, 2, 1])
            cols[0].markdown(
                f"**{t_name(d['type'])}**"
                + (f" · {code(d['number'])}" if d["number"] else "")
                + (f"  \n{esc(d['issuer'])}" if d["issuer"] else "")
            )
            # a renewed document is history: its own end no longer counts
            cols[1].markdown(badge("none", t("Replaced")) if d["replaced"] else badge(d["status"]))
            cols[2].markdown(t("Valid to {date}", date=show(d["valid_to"])))
            cols[3].caption(t("Required for dispatch") if d["required"] else "")
            renewable = can_edit and not d["replaced"] and d["status"] in ("expired", "expiring")
            if renewable and cols[4].button(t("Renew"), key=f"{prefix}_doc_renew_{d['id']}", type="primary"):
                st.session_state[f"{prefix}_doc_renewing"] = d["id"]
            if can_edit and cols[4].button(t("Archive"), key=f"{prefix}_doc_arch_{d['id']}"):
                ok, _ = run_action(
                    lambda did=d["id"]: fleet.archive_document(uow(), actor, did),
                    success=N_("The document was archived."),
                )
                if ok:
                    st.rerun()
            if renewable and st.session_state.get(f"{prefix}_doc_renewing") == d["id"]:
                _renew_form(actor, prefix, d)
            with st.expander(t("Scans of this document")):
                attachments_tab("document", d["id"], can_edit, f"{prefix}_docscan")
    if can_edit:
        types = fleet.list_document_types(uow(), actor, applies_to)
        st.markdown(f"**{t('Add a document')}**")
        slots = FieldSlots()
        with st.form(f"{prefix}_doc_add_{owner_id}", clear_on_submit=True):
            c = st.columns(3)
            type_ids = [None, *[x["id"] for x in types]]
            names = {x["id"]: label("name", x["name"]) + (" *" if x["required"] else "") for x in types}
            type_id = c[0].selectbox(t("Document type"), type_ids, format_func=lambda i: "" if i is None else names[i])
            with c[0]:
                slots.slot("type_id")
            number = c[1].text_input(t("Number"))
            issuer = c[2].text_input(t("Issued by"))
            c2 = st.columns(3)
            valid_from = c2[0].date_input(t("Valid from"), None, format="DD/MM/YYYY")
            valid_to = c2[1].date_input(
                t("Valid to") + " *", None, format="DD/MM/YYYY", max_value=dt.date(2100, 12, 31)
            )
            with c2[1]:
                slots.slot("valid_to")
            scan = c2[2].file_uploader(t("Scan (optional)"), type=["pdf", "jpg", "jpeg", "png"])
            with c2[2]:
                slots.slot("file")
            submitted = st.form_submit_button(t("Add document"), type="primary")
        if submitted:
            data = DocumentInput(
                type_id=type_id, valid_to=valid_to, number=number, issuer=issuer, valid_from=valid_from
            )
            ok, doc_id = run_action(
                lambda: fleet.save_document(uow(), actor, data, vehicle_id=vehicle_id, employee_id=employee_id),
                slots,
                success=N_("The document was added."),
            )
            attached = True
            if ok and scan is not None and doc_id is not None:
                attached, _ = run_action(
                    lambda: add_attachment(uow(), actor, "document", doc_id, scan.name, scan.getvalue()), slots
                )
                if not attached:  # the document is saved; say so, and keep the file's error on screen
                    st.warning(t("The document was saved without its scan; attach the scan below it."))
            if ok and attached:
                st.rerun()


def _renew_form(actor: Actor, prefix: str, d: dict[str, Any]) -> None:
    """The renewal of `d`: its type, its issuer and the dates that follow it, a new number."""
    st.markdown(f"**{t('Renewal of {name}', name=t_name(d['type']))}**")
    slots = FieldSlots()
    with st.form(f"{prefix}_doc_renew_form_{d['id']}"):
        c = st.columns(3)
        number = c[0].text_input(t("Number"), help=t("The new document's number."))
        with c[0]:
            slots.slot("number")
        issuer = c[1].text_input(t("Issued by"), d["issuer"])
        scan = c[2].file_uploader(t("Scan (optional)"), type=["pdf", "jpg", "jpeg", "png"])
        with c[2]:
            slots.slot("file")
        c2 = st.columns(3)
        valid_from = c2[0].date_input(t("Valid from"), d["renew_from"], format="DD/MM/YYYY")
        with c2[0]:
            slots.slot("valid_from")
        valid_to = c2[1].date_input(
            t("Valid to") + " *", d["renew_to"], format="DD/MM/YYYY", max_value=dt.date(2100, 12, 31)
        )
        with c2[1]:
            slots.slot("valid_to")
        b = st.columns([1, 1, 4])
        submitted = b[0].form_submit_button(t("Save renewal"), type="primary")
        cancelled = b[1].form_submit_button(t("Cancel"))
    if cancelled:
        st.session_state.pop(f"{prefix}_doc_renewing", None)
        st.rerun()
    if not submitted:
        return
    data = DocumentInput(type_id=d["type_id"], valid_to=valid_to, number=number, issuer=issuer, valid_from=valid_from)
    ok, doc_id = run_action(
        lambda: fleet.renew_document(uow(), actor, d["id"], data), slots, success=N_("The document was renewed.")
    )
    if not ok or doc_id is None:
        return
    st.session_state.pop(f"{prefix}_doc_renewing", None)
    if scan is not None:
        attached, _ = run_action(
            lambda: add_attachment(uow(), actor, "document", doc_id, scan.name, scan.getvalue()), slots
        )
        if not attached:  # the renewal is saved; say so, and keep the file's error on screen
            st.warning(t("The document was saved without its scan; attach the scan below it."))
            return
    st.rerun()
