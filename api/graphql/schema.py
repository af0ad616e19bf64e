"""The GraphQL schema and its FastAPI router."""

from __future__ import annotations

from functools import partial
from typing import Any

import strawberry
from cross_web import AsyncHTTPRequestAdapter
from graphql import GraphQLError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from strawberry.exceptions import ConnectionRejectionError
from strawberry.extensions import MaskErrors
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.types import ExecutionResult
from strawberry.types.unset import UnsetType

from api.access import API_KEY_HEADER, WWW_AUTHENTICATE, key_from
from api.graphql.access import OperationAccess
from api.graphql.claims import ClaimMutation, ClaimQuery
from api.graphql.context import GraphQLContext, get_context
from api.graphql.documents import DocumentMutation, DocumentQuery
from api.graphql.sources import SourceMutation, SourceQuery
from api.graphql.stance import StanceQuery
from api.graphql.subscriptions import ClaimSubscription
from api.graphql.verify import VerifyQuery
from api.metrics import OperationMetrics
from crosscheck.access.exceptions import ForbiddenError, UnauthenticatedError
from crosscheck.access.models import Scope


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
        OperationAccess,
    ],
)


def printed_schema() -> str:
    """The schema in SDL, as committed in ``schema.graphql`` (ends with one newline)."""
    return schema.as_str().rstrip() + "\n"


# A request of one operation refused by access control answers with the matching HTTP status.
REFUSAL_STATUS = {"UNAUTHENTICATED": 401, "FORBIDDEN": 403, "RATE_LIMITED": 429}


def _refusal_status(result: ExecutionResult, response: Response) -> None:
    if result.data is not None or not result.errors:
        return
    extensions = result.errors[0].extensions or {}
    code = extensions.get("code")
    if code not in REFUSAL_STATUS:
        return
    response.status_code = REFUSAL_STATUS[code]
    if code == "UNAUTHENTICATED":
        response.headers["WWW-Authenticate"] = WWW_AUTHENTICATE
    elif code == "RATE_LIMITED":
        response.headers["Retry-After"] = str(extensions.get("retryAfter", 1))


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

    async def execute_operation(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        request_data: GraphQLRequestData | list[GraphQLRequestData],
        context: GraphQLContext,
        root_value: None,
        sub_response: Response,
    ) -> Any:
        result = await super().execute_operation(
            request=request,
            request_adapter=request_adapter,
            request_data=request_data,
            context=context,
            root_value=root_value,
            sub_response=sub_response,
        )
        if isinstance(result, ExecutionResult):  # a batch keeps 200: each result has its errors
            _refusal_status(result, sub_response)
        return result

    async def on_ws_connect(self, context: GraphQLContext) -> UnsetType | dict[str, object] | None:
        """A WebSocket needs a read key: in the handshake's headers, or in ``connection_init``
        (``{"X-API-Key": KEY}`` or ``{"Authorization": "Bearer KEY"}``) as browsers cannot
        set headers on a WebSocket."""
        params = context.connection_params
        if isinstance(params, dict):
            raw_key = key_from(params.get(API_KEY_HEADER), params.get("Authorization"))
            if raw_key is not None:
                address = context.caller.address  # the handshake's, already known
                context.caller = await run_in_threadpool(
                    partial(context.access.gate.identify, raw_key=raw_key, address=address)
                )
        try:
            context.caller.authorize(Scope.READ)
        except (UnauthenticatedError, ForbiddenError) as exc:
            refusal: dict[str, object] = {"code": exc.code.upper(), "message": exc.message}
            raise ConnectionRejectionError(refusal) from exc
        return await super().on_ws_connect(context)


def create_graphql_router() -> CrosscheckGraphQLRouter:
    # The path is the route's own (not an include prefix), so metrics label it `/graphql`.
    return CrosscheckGraphQLRouter(
        schema, path="/graphql", context_getter=get_context, graphql_ide="graphiql"
    )
