"""Staff helpers: the test password and a browser-like log-in."""

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

PASSWORD = "lang-og-sikker-kode-2026"


def form_token(client: TestClient, path: str = "/log-ind") -> str:
    page = client.get(path)
    field = BeautifulSoup(page.text, "html.parser").select_one('input[name="csrf_token"]')
    assert field is not None, page.text[:500]
    return str(field["value"])


def log_in(client: TestClient, email: str, password: str = PASSWORD, back_to: str = "") -> "object":
    token = form_token(client)
    return client.post(
        "/log-ind",
        data={"csrf_token": token, "email": email, "password": password, "naeste": back_to},
        follow_redirects=False,
    )
