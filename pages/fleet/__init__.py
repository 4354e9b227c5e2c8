"""Fleet: vehicles, trailers, drivers, documents due, the dispatch check, fleet catalogs."""
