"""Property-based fuzzing of the live server against its own `GET /openapi.json` (schemathesis 4).

Every operation in the document gets one test, with at most MAX_EXAMPLES generated requests
(valid and invalid ones). Only two checks run:
  not_a_server_error             no 5xx, whatever is sent;
  response_schema_conformance    every response body matches what the document says for that
                                 status (predict results, problem+json errors, OIP tensors).
Checks that a wrong request be rejected do not apply: the API deliberately accepts unknown
categories and unknown fields with a warning.

Bounded: MAX_EXAMPLES per operation, no Hypothesis example database, each request REQUEST_TIMEOUT
seconds, and the whole module must finish within BUDGET seconds (a test past it fails).
"""

from __future__ import annotations

import os
import time

import pytest

MAX_EXAMPLES = int(os.environ.get("LOANRISK_FUZZ_EXAMPLES", "30"))
REQUEST_TIMEOUT = 10.0
BUDGET = 90.0

try:
    import schemathesis
    from hypothesis import HealthCheck, settings
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import response_schema_conformance
except ImportError as error:  # fail, never skip: the suite must not go green without fuzzing
    pytest.fail(f"schemathesis 4 is missing ({error}); python3 -m pip install -r tests/api/requirements.txt",
                pytrace=False)

CHECKS = [not_a_server_error, response_schema_conformance]
_started: list[float] = []


@pytest.fixture(scope="module")
def live_schema(server):
    # The document and the API both ask for a key: the server's admin token, as a system sends it.
    key = {"Authorization": f"Bearer {server.admin_token}"}
    schema = schemathesis.openapi.from_url(server.url + "/openapi.json", timeout=REQUEST_TIMEOUT, headers=key)
    schema.config.update(base_url=server.url, request_timeout=REQUEST_TIMEOUT, headers=key)
    schema.config.generation.update(max_examples=MAX_EXAMPLES, database="none")
    return schema


schema = schemathesis.pytest.from_fixture("live_schema")


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
          suppress_health_check=list(HealthCheck), print_blob=True)
def test_api(case):
    if not _started:
        _started.append(time.monotonic())
    elapsed = time.monotonic() - _started[0]
    assert elapsed < BUDGET, f"fuzzing passed its {BUDGET:.0f} s budget ({elapsed:.0f} s)"
    case.call_and_validate(checks=CHECKS, timeout=REQUEST_TIMEOUT)


def test_document_has_operations(live_schema):
    """Guards against a vacuous run: the document must describe the API it fuzzes."""
    operations = [op.ok() for op in live_schema.get_all_operations()]
    labels = {f"{o.method.upper()} {o.path}" for o in operations}
    assert "POST /api/v1/predict" in labels, sorted(labels)
    assert "POST /v2/models/{name}/infer" in labels, sorted(labels)
