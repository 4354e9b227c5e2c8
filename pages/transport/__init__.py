"""Transport: the directory of places and the distance table (SPEC T2)."""
