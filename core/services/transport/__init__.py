"""Transport's use cases, by job (SPEC T2 so far):

places      the directory of places: add, edit (versioned), archive, the catalog, pickers
distances   how far between places: the company's table (set, remove, list), the routing
            server's cached answers, and `distance` / `matrix`, which take the table, then
            the routing server, then an estimate, and say which; `route_matrix` is `matrix`
            as the route planner (core.route_plan) reads it
imports     places and the distance table from CSV or Excel
routing     the routing server through routingpy (internal)

Code outside this package imports `core.services.transport` only.
"""

from __future__ import annotations

from core.places import DistanceInfo
from core.services.transport.distances import (
    DistanceGrid,
    DistanceInput,
    distance,
    export_distances,
    forget_routing,
    get_distance,
    list_distances,
    matrix,
    remove_distance,
    route_matrix,
    set_distance,
)
from core.services.transport.imports import (
    DISTANCE_FIELDS,
    PLACE_FIELDS,
    import_distances,
    import_places,
    template_csv,
)
from core.services.transport.places import (
    PlaceInput,
    create_place,
    export_places,
    get_place,
    list_places,
    place_choices,
    set_place_archived,
    update_place,
)
from db.models.transport import PLACE_KINDS

__all__ = [
    "DISTANCE_FIELDS",
    "PLACE_FIELDS",
    "PLACE_KINDS",
    "DistanceGrid",
    "DistanceInfo",
    "DistanceInput",
    "PlaceInput",
    "create_place",
    "distance",
    "export_distances",
    "export_places",
    "forget_routing",
    "get_distance",
    "get_place",
    "import_distances",
    "import_places",
    "list_distances",
    "list_places",
    "matrix",
    "place_choices",
    "remove_distance",
    "route_matrix",
    "set_distance",
    "set_place_archived",
    "template_csv",
    "update_place",
]
