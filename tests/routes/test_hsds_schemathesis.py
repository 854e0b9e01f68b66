"""Schemathesis over our own OpenAPI document for /hsds/: no 5xx, and every answer matches it.

Each operation gets a bounded number of generated requests (valid and invalid parameters,
odd strings, huge numbers); `call_and_validate` runs Schemathesis' checks on every answer.
"""

from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings

pytestmark = pytest.mark.usefixtures("fixture_catalogue")

EXAMPLES_PER_OPERATION = 30


def test_hsds_api_keeps_its_contract(app: FastAPI) -> None:
    schema = schemathesis.openapi.from_asgi("/hsds/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Any) -> None:
            case.call_and_validate()

        try:
            check()
        except Exception as exc:
            raise AssertionError(f"{operation.label}: {exc}") from exc
