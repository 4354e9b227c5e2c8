"""Vehicles: tractors, trucks and vans (SPEC F1, F2, F3, F7, U1)."""

from ui.auth import require_page
from ui.fleet import units_page

units_page(require_page("vehicles"), "vehicle")
