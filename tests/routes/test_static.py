"""The vendored htmx is the pinned release, with its licence, and every page loads it."""

import hashlib

import pytest
from fastapi.testclient import TestClient

from app.web.templating import STATIC_DIR

HTMX = STATIC_DIR / "vendor" / "htmx-2.0.11.min.js"
# sha256 of dist/htmx.min.js in npm's htmx.org@2.0.11.
HTMX_SHA256 = "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717"


def test_vendored_htmx_is_the_pinned_release_with_its_licence() -> None:
    assert hashlib.sha256(HTMX.read_bytes()).hexdigest() == HTMX_SHA256
    licence = (STATIC_DIR / "vendor" / "htmx-2.0.11.LICENSE").read_text(encoding="utf-8")
    assert "Zero-Clause BSD" in licence


@pytest.mark.usefixtures("fixture_catalogue")
def test_pages_load_htmx_from_our_own_host(client: TestClient) -> None:
    assert 'src="/static/vendor/htmx-2.0.11.min.js"' in client.get("/").text
    assert client.get("/static/vendor/htmx-2.0.11.min.js").status_code == 200
