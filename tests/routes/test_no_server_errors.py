"""Whatever a person or client puts in a page's address, the answer is never a server error."""

from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.usefixtures("fixture_catalogue")

# Parameter names the pages know, and some they do not.
NAMES = st.sampled_from(
    ["q", "tema", "maalgruppe", "udbyder", "kanal", "adgang", "by", "alder", "uden_visitation",
     "side", "lang", "x", ""]
)  # fmt: skip
# Any text: letters from every script, control characters, very long and very large numbers.
VALUES = st.one_of(
    st.text(max_size=300),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["", "0", "-1", "1e9", "NaN", "%00", "../..", "<script>", "gæld", "motion"]),
)
PARAMS = st.lists(st.tuples(NAMES, VALUES), max_size=8)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(params=PARAMS, htmx=st.booleans())
def test_search_page_never_answers_a_server_error(
    client: TestClient, params: list[tuple[str, str]], htmx: bool
) -> None:
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get("/soeg", params=params, headers=headers)
    assert response.status_code < 500, response.text[:500]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(path=st.text(max_size=120), params=PARAMS)
def test_other_pages_never_answer_a_server_error(
    client: TestClient, path: str, params: list[tuple[str, str]]
) -> None:
    for url in ("/", f"/tilbud/{quote(path, safe='')}"):
        response = client.get(url, params=params)
        assert response.status_code < 500, response.text[:500]
