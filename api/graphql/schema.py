"""The GraphQL schema and its FastAPI router."""

from __future__ import annotations

from functools import partial
from typing import Any, overload

import strawberry
from cross_web import HTTPException
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.websockets import WebSocket
from strawberry.extensions import MaskErrors
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData, GraphQLRequestProtocol
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET

from api.graphql.claims import ClaimMutation, ClaimQuery
from api.graphql.context import GraphQLContext, get_context
from api.graphql.documents import DocumentMutation, DocumentQuery
from api.graphql.limits import (
    HTTP_REFUSAL_CODES,
    limit_extensions,
    refusal_code,
    schema_config,
)
from api.graphql.sources import SourceMutation, SourceQuery
from api.graphql.stance import StanceQuery
from api.graphql.subscriptions import ClaimSubscription
from api.graphql.verify import VerifyQuery
from api.metrics import OperationMetrics
from crosscheck.settings import Settings


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


def build_schema(settings: Settings | None = None) -> strawberry.Schema:
    """The schema, with the configured limits (the defaults' when no settings are given)."""
    settings = settings or Settings.model_construct()  # defaults, not the environment
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        config=schema_config(settings),
        extensions=[
            *limit_extensions(settings),
            partial(MaskErrors, should_mask_error=_is_unexpected, error_message=INTERNAL_ERROR),
            OperationMetrics,
        ],
    )


def printed_schema() -> str:
    """The schema in SDL, as committed in ``schema.graphql`` (ends with one newline)."""
    return build_schema().as_str().rstrip() + "\n"


def error_code(message: str | None) -> str:
    """The code of an error that has none: a refusal, a masked failure, or invalid input."""
    if message == INTERNAL_ERROR:
        return "INTERNAL_SERVER_ERROR"
    return refusal_code(message or "") or "GRAPHQL_VALIDATION_FAILED"


class CrosscheckGraphQLRouter(GraphQLRouter[GraphQLContext, None]):
    """Gives every error an ``extensions.code``, as clients branch on it, refusals included."""

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        response = await super().process_result(request, result)
        errors: list[dict[str, Any]] = response.get("errors") or []  # type: ignore[assignment]
        for error in errors:
            extensions = error.setdefault("extensions", {})
            extensions.setdefault("code", error_code(error.get("message")))
        return response

    def decode_json(self, data: str | bytes) -> object:
        decoded = super().decode_json(data)
        if not isinstance(decoded, dict | list):  # strawberry reads fields from it unchecked
            raise HTTPException(400, "the body must be a JSON object (or an array: a batch)")
        return decoded

    def _validate_batch_request(
        self, request_data: list[GraphQLRequestData], protocol: GraphQLRequestProtocol
    ) -> None:
        super()._validate_batch_request(request_data, protocol)
        if not all(isinstance(operation, dict) for operation in request_data):
            raise HTTPException(400, "each operation of a batch must be a JSON object")

    @overload
    async def run(
        self, request: Request, context: GraphQLContext = UNSET, root_value: None = UNSET
    ) -> Response: ...

    @overload
    async def run(
        self, request: WebSocket, context: GraphQLContext = UNSET, root_value: None = UNSET
    ) -> WebSocket: ...

    async def run(
        self,
        request: Request | WebSocket,
        context: GraphQLContext = UNSET,
        root_value: None = UNSET,
    ) -> Response | WebSocket:
        """Strawberry's HTTP refusals (bad body, batches, GraphiQL off) as GraphQL errors
        with a code, rather than plain text."""
        if isinstance(request, WebSocket):
            return await super().run(request, context, root_value)
        try:
            return await super().run(request, context, root_value)
        except HTTPException as exc:
            code = HTTP_REFUSAL_CODES.get(exc.reason, "BAD_REQUEST")
            if exc.status_code == 404:
                code = "NOT_FOUND"
            elif exc.status_code == 405:
                code = "METHOD_NOT_ALLOWED"
            body = {"errors": [{"message": exc.reason, "extensions": {"code": code}}]}
            return JSONResponse(body, status_code=exc.status_code)


def create_graphql_router(settings: Settings) -> CrosscheckGraphQLRouter:
    """The /graphql route; GraphiQL only where ``graphql_ide`` allows it."""
    # The path is the route's own (not an include prefix), so metrics label it `/graphql`.
    return CrosscheckGraphQLRouter(
        build_schema(settings),
        path="/graphql",
        context_getter=get_context,
        graphql_ide="graphiql" if settings.graphql_ide else None,
    )
