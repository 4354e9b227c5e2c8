"""Transport figures (`python -m bench transport`): each section prints its figures beside the
naive way in the same run and says whether its targets are met."""

from __future__ import annotations

from bench import route_planning


def run() -> int:
    print("Twara transport benchmark (2 cores)\n")
    results = [route_planning.run()]
    print("\nall targets met" if all(results) else "\nSOME TARGETS MISSED")
    return 0 if all(results) else 1
