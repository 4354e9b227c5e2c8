"""Settings (administrators): company profile and business parameters."""

from __future__ import annotations

from zoneinfo import available_timezones

import streamlit as st

from common.i18n import LANGUAGES, N_, country_names
from core.contacts import TAX_ID_HELP
from core.services.settings import (
    CompanyInput,
    get_company,
    list_params,
    set_param,
    update_company,
)
from ui.auth import require_page
from ui.context import language, t, t_name, uow
from ui.formatting import esc
from ui.forms import FieldSlots, edit_version, run_edit
from ui.labels import label, labeller

actor = require_page("settings")
st.title(t("Settings"))
tab_company, tab_params = st.tabs([t("Company profile"), t("Business parameters")])

with tab_company:
    c = get_company(uow())
    if c["logo"]:
        st.image(c["logo"], width=140)
    slots = FieldSlots()
    zones = sorted(available_timezones())
    edit_version("settings_company", int(c["version"]))
    with st.form("settings_company"):
        col1, col2 = st.columns(2)
        with col1:
            name = st.text_input(t("Company name") + " *", c["name"])
            slots.slot("name")
            address = st.text_input(t("Address"), c["address"])
            slots.slot("address")
            countries = country_names(language())
            codes = list(countries)
            country = st.selectbox(
                t("Country"),
                codes,
                index=codes.index(str(c["country"])) if c["country"] in codes else codes.index("RW"),
                format_func=countries.get,
            )
            slots.slot("country")
            tax_id = st.text_input(t("Tax id (TIN)"), c["tax_id"], help=t(TAX_ID_HELP))
            slots.slot("tax_id")
            phone = st.text_input(t("Phone"), c["phone"])
            slots.slot("phone")
        with col2:
            email = st.text_input(t("E-mail"), c["email"])
            slots.slot("email")
            currency = st.text_input(t("Currency"), c["currency"], max_chars=3)
            slots.slot("currency")
            timezone = st.selectbox(
                t("Time zone"), zones, index=zones.index(c["timezone"]) if c["timezone"] in zones else 0
            )
            slots.slot("timezone")
            langs = list(LANGUAGES)
            default_language = st.selectbox(
                t("Default language"), langs, index=langs.index(c["default_language"]), format_func=labeller("language")
            )
            slots.slot("default_language")
        logo = st.file_uploader(t("Logo"), type=["png", "jpg", "jpeg"])
        slots.slot("logo")
        submitted = st.form_submit_button(t("Save changes"), type="primary")
    if submitted:
        data = CompanyInput(
            name=name,
            address=address,
            tax_id=tax_id,
            country=country,
            phone=phone,
            email=email,
            currency=currency,
            timezone=timezone,
            default_language=default_language,
        )
        logo_bytes = logo.getvalue() if logo is not None else None
        run_edit(
            "settings_company",
            lambda v: update_company(uow(), actor, data, logo_bytes, expected_version=v),
            slots,
            success=N_("Saved."),
        )

with tab_params:
    st.caption(t("Values the company tunes. Every change is recorded in the activity log."))
    params = list_params(uow(), actor)
    groups: dict[str, list[dict[str, object]]] = {}
    for p in params:
        groups.setdefault(str(p["group"]), []).append(p)
    for group, items in groups.items():
        st.subheader(esc(label("parameter_group", group)))
        slots = FieldSlots()
        with st.form(f"settings_params_{group}"):
            values: dict[str, str] = {}
            for p in items:
                name = t_name(p["description"]) + (
                    f" ({esc(label('parameter_unit', str(p['unit'])))})" if p["unit"] else ""
                )
                edit_version(f"settings_param_{p['key']}", int(p["version"]))
                # a new version is a new field: a value saved meanwhile shows instead of the old one
                field = f"settings_param_{p['key']}_v{p['version']}"
                choices: dict[str, str] = p["choices"]  # type: ignore[assignment]
                if choices:  # one of a few values (the label stock)
                    options = list(choices) if p["value"] in choices else [str(p["value"]), *choices]
                    values[str(p["key"])] = st.selectbox(
                        name,
                        options,
                        index=options.index(str(p["value"])),
                        format_func=lambda v, c=choices: c.get(v, v),
                        key=field,
                    )
                else:
                    values[str(p["key"])] = st.text_input(name, str(p["value"]), key=field)
                slots.slot(str(p["key"]))
            submitted = st.form_submit_button(t("Save changes"))
        if submitted:
            results = [
                run_edit(f"settings_param_{key}", lambda v, k=key, r=raw: set_param(uow(), actor, k, r, v), slots)[0]
                for key, raw in values.items()
            ]
            if all(results):
                st.toast(t("Saved."))
