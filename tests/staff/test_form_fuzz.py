"""Any text in the log-in and editor forms: never a 5xx, and the editor either saves (303) or
says what is wrong (422)."""

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.staff.editor import EXTRA_FIELDS, STAFF_FIELDS, TERM_FIELDS, TEXT_FIELDS
from tests.staff.support import form_token
from tests.staff.test_editor import EDITOR, _form

FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# Any text, also control characters, surrogates aside (a form cannot carry them).
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=400)


@FUZZ
@given(email=TEXT, password=TEXT, back_to=TEXT)
def test_log_in_never_fails_on_any_input(
    client: TestClient, email: str, password: str, back_to: str
) -> None:
    token = form_token(client)
    answer = client.post(
        "/log-ind",
        data={"csrf_token": token, "email": email, "password": password, "naeste": back_to},
        follow_redirects=False,
    )
    assert answer.status_code in (303, 400, 422, 429), answer.status_code


FIELDS = [*TEXT_FIELDS, *EXTRA_FIELDS, *TERM_FIELDS, *STAFF_FIELDS, "state", "tilgaengelighed"]


@FUZZ
@given(changes=st.dictionaries(st.sampled_from(FIELDS), TEXT, min_size=1, max_size=4))
def test_the_editor_never_fails_on_any_input(staff: TestClient, changes: dict[str, str]) -> None:
    form = _form(staff)
    for name, value in changes.items():
        form[name] = [value]
    answer = staff.post(EDITOR, data=form, follow_redirects=False)
    assert answer.status_code in (303, 422), (answer.status_code, changes)
    if answer.status_code == 422:
        assert 'id="editor-errors"' in answer.text
