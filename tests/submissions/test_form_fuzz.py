"""Any text in the public forms (/opret, the error report): never a 5xx."""

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.submissions.new_offer import QUESTIONS, TERM_FIELDS, TEXT_FIELDS
from tests.staff.support import form_token

pytestmark = pytest.mark.usefixtures("fixture_catalogue")

FUZZ = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)
FIELDS = [
    *TEXT_FIELDS,
    *TERM_FIELDS,
    *QUESTIONS,
    "consent",
    "action",
    "town_other",
    "tilgaengelighed",
]


@FUZZ
@given(values=st.dictionaries(st.sampled_from(FIELDS), TEXT, max_size=8))
def test_the_submission_form_never_fails(client: TestClient, values: dict[str, str]) -> None:
    data = {
        "tema": "faellesskab",
        "consent": "ja",
        **values,
        "csrf_token": form_token(client, "/opret"),
    }
    answer = client.post("/opret", data=data)
    assert answer.status_code in (200, 422, 429), answer.status_code


@FUZZ
@given(text=TEXT, email=TEXT)
def test_the_error_report_never_fails(client: TestClient, text: str, email: str) -> None:
    path = "/tilbud/aaaaaaaa-0000-4000-8000-000000000001/fejl"
    data = {"text": text, "email": email, "csrf_token": form_token(client, path)}
    assert client.post(path, data=data).status_code in (200, 422, 429)
