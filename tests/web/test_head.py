"""HEAD gets GET's status and headers without a body (uptime monitors, link checkers)."""

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.usefixtures("fixture_catalogue")


@pytest.mark.parametrize("path", ["/", "/soeg?q=gåtur", "/hsds/services", "/static/site.css"])
def test_head_answers_like_get_without_a_body(client: TestClient, path: str) -> None:
    get = client.get(path)
    head = client.head(path)
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert "content-security-policy" in head.headers


def test_head_of_a_missing_page_is_404(client: TestClient) -> None:
    head = client.head("/tilbud/nope")
    assert head.status_code == 404
    assert head.content == b""
