"""The GraphQL schema and its FastAPI router."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from starlette.requests import Request
from strawberry.extensions import MaskErrors
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from api.graphql.claims import ClaimMutation, ClaimQuery
from api.graphql.context import GraphQLContext, get_context
from api.graphql.documents import DocumentMutation, DocumentQuery
from api.graphql.sources import SourceMutation, SourceQuery
from api.graphql.stance import StanceQuery
from api.graphql.subscriptions import ClaimSubscription
from api.graphql.verify import VerifyQuery
from api.metrics import OperationMetrics


@strawberry.type(description="Read sources and claims, verify statements, weigh evidence")
class Query(SourceQuery, ClaimQuery, DocumentQuery, VerifyQuery, StanceQuery):
    pass


@strawberry.type(description="Create sources, claims and documents")
class Mutation(SourceMutation, ClaimMutation, DocumentMutation):
    pass


@strawberry.type(description="Live feeds over WebSocket (graphql-transport-ws)")
class Subscription(ClaimSubscription):
    pass


INTERNAL_ERROR = "internal error"


def _is_unexpected(error: GraphQLError) -> bool:
    """Mask errors that did not come from crosscheck or GraphQL validation: no internals leak."""
    return error.original_error is not None and not isinstance(error.original_error, GraphQLError)


schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    extensions=[
        lambda: MaskErrors(should_mask_error=_is_unexpected, error_message=INTERNAL_ERROR),
        OperationMetrics,
    ],
)


def printed_schema() -> str:
    """The schema in SDL, as committed in ``schema.graphql`` (ends with one newline)."""
    return schema.as_str().rstrip() + "\n"


class CrosscheckGraphQLRouter(GraphQLRouter[GraphQLContext, None]):
    """Gives every error an ``extensions.code``, as clients branch on it."""

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        response = await super().process_result(request, result)
        errors: list[dict[str, Any]] = response.get("errors") or []  # type: ignore[assignment]
        for error in errors:
            extensions = error.setdefault("extensions", {})
            if "code" not in extensions:
                extensions["code"] = (
                    "INTERNAL_ERROR"
                    if error.get("message") == INTERNAL_ERROR
                    else "GRAPHQL_VALIDATION_FAILED"
                )
        return response


def create_graphql_router() -> CrosscheckGraphQLRouter:
    # The path is the route's own (not an include prefix), so metrics label it `/graphql`.
    return CrosscheckGraphQLRouter(
        schema, path="/graphql", context_getter=get_context, graphql_ide="graphiql"
    )
