"""Staff helpers: the test password, a browser-like log-in, the editor's form as sent."""

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


def editor_form(client: TestClient, path: str) -> dict[str, list[str]]:
    """The editor's form as a browser would send it unchanged."""
    soup = BeautifulSoup(client.get(path).text, "html.parser")
    form = soup.select_one("form.editor")
    assert form is not None
    data: dict[str, list[str]] = {}
    for field in form.select("input, textarea, select"):
        name = field.get("name")
        if not name:
            continue
        if field.name == "textarea":
            value = field.text
        elif field.name == "select":
            chosen = field.select_one("option[selected]") or field.select_one("option")
            value = str(chosen["value"]) if chosen else ""
        elif field.get("type") == "checkbox":
            if not field.has_attr("checked"):
                continue
            value = str(field["value"])
        else:
            value = str(field.get("value", ""))
        data.setdefault(str(name), []).append(value)
    return data
