"""A tiny routing server for tests: speaks OSRM's /route and /table and Valhalla's /route and
/sources_to_targets over real HTTP on 127.0.0.1, so the real routingpy client talks to it.

Its roads are the great circle times ROAD_FACTOR, driven at SPEED_KMH: numbers no estimate
of ours gives (the company's factor is 1.3), so a test can tell which source a distance
came from. `mode` makes it fail: "error" answers HTTP 500, "slow" answers after `delay_s`,
"no_route" answers OSRM's NoRoute / null cells.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

ROAD_FACTOR = 1.5
SPEED_KMH = 60.0


def road_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Metres of this server's road between two (longitude, latitude) points."""
    lon1, lat1, lon2, lat2 = (math.radians(v) for v in (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371008.8 * math.asin(math.sqrt(h)) * ROAD_FACTOR


def seconds(metres: float) -> float:
    return metres / 1000 / SPEED_KMH * 3600


class FakeRouter:
    def __init__(self) -> None:
        self.mode = "ok"
        self.delay_s = 0.0
        self.requests: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        router = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # quiet
                pass

            def _reply(self, status: int, body: object) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _fail_first(self) -> bool:
                if router.mode == "slow":
                    time.sleep(router.delay_s)
                if router.mode == "error":
                    self._reply(500, {"code": "InternalError", "message": "out of memory"})
                    return True
                return False

            def do_GET(self) -> None:  # OSRM
                url = urlsplit(self.path)
                router.requests.append(url.path)
                if self._fail_first():
                    return
                parts = url.path.split("/")  # '', service, 'v1', profile, coordinates
                points = [tuple(float(x) for x in p.split(",")) for p in unquote(parts[4]).split(";")]
                if parts[1] == "route":
                    if router.mode == "no_route":
                        self._reply(400, {"code": "NoRoute", "message": "Impossible route between points"})
                        return
                    metres = sum(road_m(points[i], points[i + 1]) for i in range(len(points) - 1))
                    route = {"distance": metres, "duration": seconds(metres), "geometry": ""}
                    self._reply(200, {"code": "Ok", "routes": [route], "waypoints": []})
                elif parts[1] == "table":
                    dist = [
                        [None if router.mode == "no_route" and a != b else road_m(a, b) for b in points] for a in points
                    ]
                    dur = [[None if d is None else seconds(d) for d in row] for row in dist]
                    self._reply(200, {"code": "Ok", "distances": dist, "durations": dur})
                else:
                    self._reply(400, {"code": "InvalidService"})

            def do_POST(self) -> None:  # Valhalla
                url = urlsplit(self.path)
                router.requests.append(url.path)
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                if self._fail_first():
                    return

                def point(loc: dict[str, float]) -> tuple[float, float]:
                    return (loc["lon"], loc["lat"])

                if url.path == "/route":
                    stops = [point(x) for x in body["locations"]]
                    legs = []
                    for i in range(len(stops) - 1):
                        metres = road_m(stops[i], stops[i + 1])
                        legs.append({"shape": "", "summary": {"length": metres / 1000, "time": seconds(metres)}})
                    self._reply(200, {"trip": {"legs": legs, "status": 0}})
                elif url.path == "/sources_to_targets":
                    cells = [
                        [
                            {"distance": road_m(point(s), point(t)) / 1000, "time": seconds(road_m(point(s), point(t)))}
                            for t in body["targets"]
                        ]
                        for s in body["sources"]
                    ]
                    self._reply(200, {"sources_to_targets": cells})
                else:
                    self._reply(404, {"error": "unknown"})

        return Handler

    def start(self) -> None:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def fake_router() -> Iterator[FakeRouter]:
    router = FakeRouter()
    router.start()
    try:
        yield router
    finally:
        router.stop()
