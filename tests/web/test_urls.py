"""The same-site helpers: which paths look like another host, and how links and Locations are
made safe to send."""

import pytest

from app.web.urls import (
    is_hostile_path,
    route_path,
    same_site_location,
    same_site_path,
)

BASE = "https://kommune.example"


@pytest.mark.parametrize(
    ("path", "hostile"),
    [
        ("/", False),
        ("/soeg", False),
        ("/soeg//x", False),
        ("//evil.example", True),
        ("///evil.example", True),
        ("/\\evil.example", True),
        ("/\t/evil.example", True),
        ("/\r\n\\evil.example", True),
        ("", False),
    ],
)
def test_is_hostile_path(path: str, hostile: bool) -> None:
    assert is_hostile_path(path) is hostile


@pytest.mark.parametrize(
    ("path", "safe"),
    [
        ("/", "/"),
        ("/tilbud/abc", "/tilbud/abc"),
        ("//evil.example/", "/evil.example/"),
        ("/\\evil.example", "/evil.example"),
        ("/\t/evil.example", "/evil.example"),
        ("/a\\b", "/a%5Cb"),
        ("/a\tb", "/a%09b"),
        ("/gåtur?#", "/g%C3%A5tur%3F%23"),
        ('/a b"<>', "/a%20b%22%3C%3E"),
        ("", "/"),
    ],
)
def test_same_site_path(path: str, safe: str) -> None:
    assert same_site_path(path) == safe


@pytest.mark.parametrize(
    ("location", "safe"),
    [
        ("/soeg?q=1", "/soeg?q=1"),
        ("soeg?q=1", "soeg?q=1"),
        ("?page=2", "?page=2"),
        (f"{BASE}/soeg?q=1", f"{BASE}/soeg?q=1"),
        ("HTTPS://Kommune.Example/soeg", "HTTPS://Kommune.Example/soeg"),
        ("http://evil.example/soeg?q=1#x", "/soeg?q=1#x"),
        ("http://kommune.example/soeg", "/soeg"),  # http is not the configured https origin
        ("https://kommune.example:8443/", "/"),
        ("http://evil.example", "/"),
        ("//evil.example/x", "/x"),
        ("///evil.example/x", "/evil.example/x"),
        ("/\\evil.example", "/evil.example"),
        ("\\\\evil.example", "/evil.example"),
        (" \t//evil.example", "/"),
        ("http://evil.example//other.example/", "/other.example/"),
    ],
)
def test_same_site_location(location: str, safe: str) -> None:
    assert same_site_location(location, base_origin=BASE) == safe


def test_route_path_drops_the_root_path() -> None:
    assert route_path({"path": "/opslag//x", "root_path": "/opslag"}) == "//x"
    assert route_path({"path": "//x", "root_path": ""}) == "//x"
    assert route_path({"path": "/other", "root_path": "/opslag"}) == "/other"
