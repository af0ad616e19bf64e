"""Property-based fuzzing of every REST and GraphQL operation with schemathesis, in-process.

The real app with the packaged model on a fresh SQLite file holding the demo scenarios, set up
as in production (an API key exists, so every call needs one); each operation gets
schemathesis's default number of examples, sent with an admin key, and every response must be
a documented status with a body matching the declared schema (never a 500). Schemathesis also
sends each operation without a valid key and expects a 401.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.python import asgi
from sqlalchemy.orm import Session

from api.app import create_app
from crosscheck.access import service as key_service
from crosscheck.access.models import Scope
from crosscheck.access.schemas import ApiKeyCreate
from crosscheck.database import create_db_engine
from crosscheck.migrations import upgrade
from crosscheck.runtime import Runtime
from crosscheck.settings import Settings
from embeddings.encoders.sentence_transformers import SentenceTransformerEncoder
from tests.conftest import load_demo

pytestmark = pytest.mark.slow

# The model makes some operations take a while: hypothesis's per-example deadline and its
# too-slow health check would fail them for the machine's speed, not for the app's answers.
FUZZ_SETTINGS = settings(deadline=None, suppress_health_check=list(HealthCheck))


def _admin_key(database_url: str) -> str:
    engine = create_db_engine(database_url)
    try:
        with Session(engine) as session:
            key_in = ApiKeyCreate(name="fuzz", scope=Scope.ADMIN)
            return key_service.create(session=session, key_in=key_in).key
    finally:
        engine.dispose()


@pytest.fixture
def fuzz_app(tmp_path: Path, encoder: SentenceTransformerEncoder) -> Iterator[FastAPI]:
    """An app per test: schemathesis ends the app's lifespan (and so its runtime) after each."""
    folder = tmp_path
    url = f"sqlite:///{folder / 'crosscheck.db'}"
    upgrade(url)
    admin_key = _admin_key(url)
    # Small pages keep a GraphQL query's nested verifications (a ClaimReview per claim) few.
    # Rate limits off: thousands of generated calls come from one client address.
    settings = Settings(
        database_url=url,
        index_dir=folder / "index",
        max_page_size=5,
        rate_limit_read=None,
        rate_limit_write=None,
    )
    app = create_app(Runtime(settings, encoder=encoder))
    app.state.fuzz_headers = {"X-API-Key": admin_key}
    yield app
    asgi.shutdown_lifespans()  # schemathesis's pytest plugin does so too, after each test


def _ready(app: FastAPI, *, demo: bool) -> None:
    runtime: Runtime = app.state.runtime
    assert runtime.wait_ready(timeout=120), "the app did not become ready"
    if demo:
        load_demo(runtime)


@pytest.fixture
def openapi_schema(fuzz_app: FastAPI) -> schemathesis.BaseSchema:
    schema = schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)
    _ready(fuzz_app, demo=True)  # stored claims for evidence, timelines and ClaimReview
    return schema


@pytest.fixture
def graphql_schema(fuzz_app: FastAPI) -> schemathesis.BaseSchema:
    schema = schemathesis.graphql.from_asgi(
        "/graphql", fuzz_app, headers=fuzz_app.state.fuzz_headers
    )
    # Only the claims its mutations store: every claim in a page can fan out into a
    # verification, which the real model makes too slow for the time budget.
    _ready(fuzz_app, demo=False)
    return schema


@pytest.fixture(autouse=True)
def _node_id(request: pytest.FixtureRequest) -> None:
    # schemathesis (4.32) names each operation's subtest through Node._nodeid, which pytest 9.2
    # no longer sets.
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


openapi = schemathesis.pytest.from_fixture("openapi_schema")
graphql = schemathesis.pytest.from_fixture("graphql_schema")


# "Schema-valid request rejected" expects every request the schema allows to succeed; ours are
# also checked for meaning the schema cannot state (a cursor this service issued, exactly one
# of `source` and `source_id`, a range whose end is not before its start), and refuse with a
# 422 naming the field. Server errors and schema mismatches are still checked.
REST_EXCLUDED = [schemathesis.checks.positive_data_acceptance]
# "Schema-violating request accepted", on two kinds of path. A bulk load answers 200 with one
# result per row, a bad row being an `error` result that never fails the others (the documented
# contract). A text/plain upload's body is always a string ("null" is an article that reads
# "null"), and a query value sent once reads the same as a one-item array, so the data
# schemathesis means as schema-violating arrives there as a valid request.
NEGATIVE_CHECK_EXEMPT = ("/bulk", "/upload")
EXEMPT_EXCLUDED = [*REST_EXCLUDED, schemathesis.checks.negative_data_rejection]


@openapi.parametrize()
@FUZZ_SETTINGS
def test_rest_operations_answer_as_documented(case: schemathesis.Case, fuzz_app: FastAPI) -> None:
    exempt = case.operation.path.endswith(NEGATIVE_CHECK_EXEMPT)
    case.call_and_validate(
        headers=fuzz_app.state.fuzz_headers,
        excluded_checks=EXEMPT_EXCLUDED if exempt else REST_EXCLUDED,
    )


def no_internal_errors(_ctx: object, response: schemathesis.Response, case: object) -> None:
    """No 5xx, and every GraphQL error carries a code, never INTERNAL_SERVER_ERROR (what an
    unexpected exception is masked as)."""
    assert response.status_code < 500, f"HTTP {response.status_code}"
    for error in response.json().get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        assert code and code != "INTERNAL_SERVER_ERROR", f"internal error: {error}"


# schemathesis takes a resolver's error for a server error unless it carries one of Apollo's
# client codes; ours carry crosscheck's own (CLAIM_NOT_FOUND, INVALID_INPUT, ...), so the
# check above judges them instead: by status and by the code an unexpected failure gets.
# "Schema-valid request rejected": GraphQL's types cannot say that a text must not be empty
# or a page size at most max_page_size; such values are refused with BAD_USER_INPUT.
GRAPHQL_EXCLUDED = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.positive_data_acceptance,
]


@graphql.parametrize()
@FUZZ_SETTINGS
def test_graphql_operations_answer_without_internal_errors(
    case: schemathesis.Case, fuzz_app: FastAPI
) -> None:
    case.call_and_validate(
        headers=fuzz_app.state.fuzz_headers,
        excluded_checks=GRAPHQL_EXCLUDED,
        additional_checks=[no_internal_errors],
    )
