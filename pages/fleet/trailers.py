"""Trailers, kept apart from the power units they are coupled to (SPEC F1)."""

from ui.auth import require_page
from ui.fleet import units_page

units_page(require_page("trailers"), "trailer")
