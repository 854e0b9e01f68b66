"""Help to write plainly: LIX with a verdict, the longest sentence and words marked, hints."""

import pytest
from fastapi.testclient import TestClient

from app.submissions.readability import check
from tests.staff.support import form_token

EASY = "Vi går en tur. Alle kan være med. Det er gratis."
HARD = (
    "Foreningens aktivitetsudvalg tilrettelægger kontinuerligt socialpædagogiske arrangementer "
    "med henblik på inkluderende fællesskabsfremmende initiativer for borgere med "
    "forskelligartede funktionsnedsættelser. Vi ses."
)


def test_lix_and_levels() -> None:
    easy, hard = check(EASY), check(HARD)
    assert easy is not None and hard is not None
    assert easy.level == "very-easy" and easy.hints == []
    assert hard.level == "very-hard" and hard.lix > 55
    assert "split-sentences" in hard.hints or "shorter-words" in hard.hints
    assert "funktionsnedsættelser" in hard.longest_words
    assert hard.longest_sentence.startswith("Foreningens")
    assert check("123 !!!") is None


def test_marking_escapes_everything() -> None:
    result = check("<script>alert(1)</script> " + HARD)
    assert result is not None
    assert "<script>" not in result.marked and "&lt;script&gt;" in result.marked
    assert '<strong class="long-word">funktionsnedsættelser</strong>' in result.marked


@pytest.mark.parametrize(
    ("text", "verdict"), [(EASY, "Meget let at læse"), (HARD, "Meget svær at læse")]
)
def test_the_live_check_answers_with_the_box(client: TestClient, text: str, verdict: str) -> None:
    token = form_token(client, "/opret")
    answer = client.post("/opret/laesbarhed", data={"csrf_token": token, "description": text})
    assert answer.status_code == 200
    assert verdict in answer.text
    assert "<html" not in answer.text  # a fragment for htmx


def test_the_live_check_needs_a_csrf_token(client: TestClient) -> None:
    client.get("/opret")
    assert client.post("/opret/laesbarhed", data={"description": EASY}).status_code == 403
