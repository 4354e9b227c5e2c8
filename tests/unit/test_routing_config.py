"""The routing server is configuration (TWARA_ROUTING_*): none by default, so nothing leaves
the building; a kind Twara does not speak is refused at start, not at the first distance."""

import pytest

from common.outbound import RoutingServer
from config import routing_server


@pytest.fixture(autouse=True)
def no_routing_env(monkeypatch):  # type: ignore[no-untyped-def]
    for name in ("TWARA_ROUTING_URL", "TWARA_ROUTING_KIND", "TWARA_ROUTING_TIMEOUT", "TWARA_ROUTING_PROFILE"):
        monkeypatch.delenv(name, raising=False)


def test_no_routing_url_means_no_routing_server():
    assert routing_server() is None


def test_the_kind_follows_the_setting_or_else_the_address(monkeypatch):
    monkeypatch.setenv("TWARA_ROUTING_URL", "http://osrm.local:5000/")
    assert routing_server() == RoutingServer("osrm", "http://osrm.local:5000", 5, "")
    monkeypatch.setenv("TWARA_ROUTING_URL", "https://valhalla.example.rw")
    assert routing_server() == RoutingServer("valhalla", "https://valhalla.example.rw", 5, "")
    monkeypatch.setenv("TWARA_ROUTING_KIND", "OSRM")
    monkeypatch.setenv("TWARA_ROUTING_TIMEOUT", "12")
    monkeypatch.setenv("TWARA_ROUTING_PROFILE", "truck")
    assert routing_server() == RoutingServer("osrm", "https://valhalla.example.rw", 12, "truck")


@pytest.mark.parametrize("name, value", [("TWARA_ROUTING_KIND", "google"), ("TWARA_ROUTING_TIMEOUT", "0.5")])
def test_a_routing_setting_twara_cannot_use_is_refused_with_its_name(monkeypatch, name, value):
    monkeypatch.setenv("TWARA_ROUTING_URL", "http://osrm.local:5000")
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=name):
        routing_server()
