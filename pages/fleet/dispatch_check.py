"""The dispatch compliance check: may this vehicle, trailer and driver go out on these dates?"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from core.services.fleet import check_dispatch, current_partner, driver_choices, unit_choices
from ui.auth import require_page
from ui.context import company_today, t, t_n, t_name, uow
from ui.formatting import show
from ui.forms import run_action

actor = require_page("dispatch_check")
st.title(t("Dispatch check"))
st.caption(
    t(
        "Before a trip is assigned, Twara checks the vehicle, the trailer and the driver: status, "
        "documents valid for the whole trip, licence and its categories, medical status."
    )
)
vehicles = dict(unit_choices(uow(), actor, "vehicle"))
trailers = dict(unit_choices(uow(), actor, "trailer"))
drivers = dict(driver_choices(uow(), actor))
c = st.columns(3)
vehicle = c[0].selectbox(
    t("Vehicle"), [None, *vehicles], format_func=lambda i: "" if i is None else vehicles[i], key="dispatch_vehicle"
)
partner = current_partner(uow(), actor, vehicle) if vehicle else None
trailer_options = [None, *trailers]
trailer = c[1].selectbox(
    t("Trailer (optional)"),
    trailer_options,
    index=trailer_options.index(partner) if partner in trailer_options else 0,
    format_func=lambda i: t("No trailer") if i is None else trailers[i],
    key=f"dispatch_trailer_{vehicle}",
)
driver = c[2].selectbox(
    t("Driver"), [None, *drivers], format_func=lambda i: "" if i is None else drivers[i], key="dispatch_driver"
)
d = st.columns(3)
today = company_today()
start = d[0].date_input(t("Trip starts"), today, format="DD/MM/YYYY", key="dispatch_start")
end = d[1].date_input(t("Trip ends"), today + dt.timedelta(days=2), format="DD/MM/YYYY", key="dispatch_end")
if st.button(t("Check"), type="primary", key="dispatch_go"):
    if vehicle is None or driver is None:
        st.warning(t("Choose a vehicle and a driver."))
    else:
        ok, problems = run_action(lambda: check_dispatch(uow(), actor, vehicle, trailer, driver, start, end))
        if ok and problems is not None:
            if not problems:
                st.success(t("Allowed: everything is in order for this trip."), icon=":material/check_circle:")
            else:
                st.error(
                    t_n("Not allowed: {n} reason.", "Not allowed: {n} reasons.", len(problems)), icon=":material/block:"
                )
                for p in problems:
                    params = {
                        k: show(v) if isinstance(v, dt.date) else t_name(v) if k == "doc" else v
                        for k, v in p.params.items()
                    }
                    st.markdown(f"- {t(p.message, **params)}")
