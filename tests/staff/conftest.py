"""Staff fixtures: a client logged in as staff, over the suite's catalogue."""

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from tests.staff.support import log_in


@pytest.fixture
def staff(
    client: TestClient,
    make_account: Callable[..., str],
    fixture_catalogue: None,  # noqa: ARG001  (loads the catalogue)
) -> TestClient:
    make_account("sagsbehandler@kommune.dk")
    log_in(client, "sagsbehandler@kommune.dk")
    return client
