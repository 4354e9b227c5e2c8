"""What the use cases need to know of the world outside the database, given by the
composition root to every unit of work: whether e-mail goes out and the address people open
(notices), and the routing server distances may ask (places and distances)."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_BASE_URL = "http://localhost:8501"
ROUTING_KINDS = ("osrm", "valhalla")


@dataclass(frozen=True)
class RoutingServer:
    """An OSRM- or Valhalla-compatible server (TWARA_ROUTING_URL, TWARA_ROUTING_KIND)."""

    kind: str  # osrm | valhalla
    url: str  # the base address, e.g. http://osrm.local:5000
    timeout_s: int = 5  # seconds a request may take before the distance is estimated instead
    profile: str = ""  # empty: "driving" for OSRM, "truck" for Valhalla


@dataclass(frozen=True)
class Outbound:
    email_configured: bool = False  # a provider is set: e-mails are queued, not kept as "not sent"
    base_url: str = DEFAULT_BASE_URL  # the address people open (TWARA_BASE_URL), for links in notices
    routing: RoutingServer | None = None  # none set: distances come from the table or an estimate
