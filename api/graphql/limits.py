"""Limits on GraphQL operations, from the settings, and the codes their refusals carry.

Depth, aliases and tokens are checked before anything runs (tokens while parsing, the rest
while validating); introspection can be switched off; batches are refused or bounded.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

from strawberry.extensions import (
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.schema.config import StrawberryConfig

from crosscheck.settings import Settings

# Strawberry's and graphql-core's refusals carry no code of their own: known by their wording
# (pinned by tests/api/test_limits.py, which fails should a new version reword them).
_REFUSALS = [
    (re.compile(r"exceeds maximum operation depth of \d+"), "QUERY_TOO_DEEP"),
    (re.compile(r"^\d+ aliases found\. Allowed: \d+"), "TOO_MANY_ALIASES"),
    (re.compile(r"Document contains more than \d+ tokens"), "TOO_MANY_TOKENS"),
    (re.compile(r"^GraphQL introspection has been disabled"), "INTROSPECTION_DISABLED"),
    (re.compile(r"^Syntax Error"), "GRAPHQL_PARSE_FAILED"),
]
# Strawberry's HTTP-level refusals (plain text otherwise), by their reason.
SUBSCRIPTION_OVER_HTTP = (
    "subscriptions are served over a WebSocket at /graphql (graphql-transport-ws), "
    "or over HTTP with Accept: multipart/mixed;subscriptionSpec=1.0"
)
HTTP_REFUSAL_CODES = {
    "Batching is not enabled": "BATCHING_DISABLED",
    "Too many operations": "TOO_MANY_OPERATIONS",
    SUBSCRIPTION_OVER_HTTP: "SUBSCRIPTION_OVER_HTTP",
}


def limit_extensions(settings: Settings) -> list[Callable[[], SchemaExtension]]:
    """Factories (a fresh extension per operation) for the configured limits."""
    extensions: list[Callable[[], SchemaExtension]] = [
        partial(MaxTokensLimiter, max_token_count=settings.graphql_max_tokens),
        partial(QueryDepthLimiter, max_depth=settings.graphql_max_depth),
        partial(MaxAliasesLimiter, max_alias_count=settings.graphql_max_aliases),
    ]
    if not settings.graphql_introspection:
        extensions.append(DisableIntrospection)
    return extensions


def schema_config(settings: Settings) -> StrawberryConfig:
    """Batches (a JSON array of operations) only when ``graphql_max_batch`` allows them."""
    if settings.graphql_max_batch == 0:
        return StrawberryConfig()
    return StrawberryConfig(batching_config={"max_operations": settings.graphql_max_batch})


def refusal_code(message: str) -> str | None:
    """The code of an operation refused by a limit or by the parser, from its message."""
    for pattern, code in _REFUSALS:
        if pattern.search(message):
            return code
    return None
