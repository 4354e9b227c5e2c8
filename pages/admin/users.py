"""Users (administrators only): add, edit, disable, reset passwords."""

from __future__ import annotations

from typing import Any

import streamlit as st

from common.i18n import LANGUAGES, N_
from common.roles import ROLES
from core.services import users
from core.services.users import UserInput
from ui.auth import require_page
from ui.catalog import Catalog, Column, Filter, open_record, render_catalog
from ui.context import t, uow
from ui.formatting import code, esc, show
from ui.forms import FieldSlots, edit_version, run_action, run_edit
from ui.labels import label, labeller, labels, options

actor = require_page("users")
P = "users"


def user_fields(initial: dict[str, Any], slots: FieldSlots) -> UserInput:
    c1, c2 = st.columns(2)
    with c1:
        username = st.text_input(t("User name") + " *", initial.get("username", ""))
        slots.slot("username")
        full_name = st.text_input(t("Full name") + " *", initial.get("full_name", ""))
        slots.slot("full_name")
        email = st.text_input(t("E-mail"), initial.get("email", ""))
        slots.slot("email")
    with c2:
        role = st.selectbox(
            t("Role"), ROLES, index=ROLES.index(initial.get("role", ROLES[1])), format_func=labeller("role")
        )
        slots.slot("role")
        langs = list(LANGUAGES)
        language = st.selectbox(
            t("Language"), langs, index=langs.index(initial.get("language", "en")), format_func=labeller("language")
        )
        slots.slot("language")
    return UserInput(username=username, full_name=full_name, role=role, email=email, language=language)


def render_add() -> None:
    slots = FieldSlots()
    with st.form(f"{P}_add_form"):
        data = user_fields({}, slots)
        password = st.text_input(t("Password") + " *", type="password")
        slots.slot("password")
        submitted = st.form_submit_button(t("Save"), type="primary")
    if submitted:
        ok, new_id = run_action(
            lambda: users.create_user(uow(), actor, data, password), slots, success=N_("The user was added.")
        )
        if ok:
            open_record(P, new_id)
            st.rerun()


def render_details(user_id: int) -> None:
    u = users.get_user(uow(), actor, user_id)
    st.markdown(f"### {esc(u['full_name'])}  \n{code(u['username'])} · {esc(label('role', u['role']))}")
    status = [t("Active") if u["is_active"] else t("Disabled")]
    if u["last_login_at"]:
        status.append(t("Last login: {when}", when=show(u["last_login_at"])))
    status.append(t("Open sessions: {n}", n=u["open_sessions"]))
    st.caption(" · ".join(status))
    if u["open_sessions"] and st.button(t("Log out everywhere"), key=f"{P}_end_sessions_{user_id}"):
        run_action(lambda: users.end_user_sessions(uow(), actor, user_id), success=N_("The sessions were ended."))
    slots = FieldSlots()
    form_key = f"{P}_edit_form_{user_id}"
    edit_version(form_key, u["version"])
    with st.form(form_key):
        data = user_fields(u, slots)
        submitted = st.form_submit_button(t("Save changes"), type="primary")
    if submitted:
        run_edit(form_key, lambda v: users.update_user(uow(), actor, user_id, data, v), slots, success=N_("Saved."))
    c1, c2 = st.columns(2)
    with c1:
        toggle = t("Disable account") if u["is_active"] else t("Enable account")
        if st.button(toggle, key=f"{P}_toggle_{user_id}"):
            ok, _ = run_action(
                lambda: users.set_user_active(uow(), actor, user_id, not u["is_active"]), success=N_("Saved.")
            )
            if ok:
                st.rerun()
    with c2:
        pw_slots = FieldSlots()
        with st.form(f"{P}_reset_{user_id}", clear_on_submit=True):
            new_password = st.text_input(t("New password"), type="password")
            pw_slots.slot("new_password")
            reset = st.form_submit_button(t("Reset password"))
        if reset:
            run_action(
                lambda: users.reset_password(uow(), actor, user_id, new_password),
                pw_slots,
                success=N_("The password was reset."),
            )


st.title(t("Users"))
render_catalog(
    Catalog(
        key=P,
        entity_type="user",
        title_of=lambda r: f"{r['full_name']} ({r['username']})",
        columns=[
            Column("username", N_("User name"), width=150),
            Column("full_name", N_("Full name"), width=220),
            Column("role", N_("Role"), labels=labels("role")),
            Column("email", N_("E-mail")),
            Column("language", N_("Language"), width=100, labels=labels("language")),
            Column("is_active", N_("Active"), "bool", width=90),
            Column("last_login_at", N_("Last login"), "datetime"),
        ],
        list_page=lambda q: users.list_users(uow(), actor, q),
        export_rows=lambda q: users.export_users(uow(), actor, q),
        default_sort="username",
        sort_keys=["username", "full_name", "role", "last_login_at"],
        filters=[Filter("role", N_("Role"), options("role"))],
        render_details=render_details,
        render_add=render_add,
        can_edit=True,
        attachments=False,
        archived_label=N_("Show disabled"),
        add_label=N_("Add user"),
        search_placeholder=N_("User name, name, e-mail..."),
    )
)
