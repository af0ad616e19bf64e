"""The GraphQL schema and its FastAPI router."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from functools import partial
from typing import Any, overload

import strawberry
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from graphql import GraphQLError, OperationType, get_operation_ast, parse
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState
from strawberry.exceptions import ConnectionRejectionError
from strawberry.extensions import MaskErrors
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData, GraphQLRequestProtocol
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.unset import UNSET, UnsetType

from api.access import API_KEY_HEADER, WWW_AUTHENTICATE, key_from
from api.docs import graphiql_page
from api.graphql.access import OperationAccess
from api.graphql.claims import ClaimMutation, ClaimQuery
from api.graphql.context import GraphQLContext, get_context
from api.graphql.documents import DocumentMutation, DocumentQuery
from api.graphql.limits import (
    HTTP_REFUSAL_CODES,
    SUBSCRIPTION_OVER_HTTP,
    limit_extensions,
    refusal_code,
    schema_config,
)
from api.graphql.scalars import SCALAR_OVERRIDES
from api.graphql.search import SearchQuery
from api.graphql.sources import SourceMutation, SourceQuery
from api.graphql.stance import StanceQuery
from api.graphql.subscriptions import ClaimSubscription
from api.graphql.verify import VerifyQuery
from api.metrics import OperationMetrics
from crosscheck.access.exceptions import ForbiddenError, UnauthenticatedError
from crosscheck.access.models import Scope
from crosscheck.settings import Settings

log = logging.getLogger(__name__)


@strawberry.type(
    description="Read sources and claims, search and verify statements, weigh evidence"
)
class Query(SourceQuery, ClaimQuery, DocumentQuery, SearchQuery, VerifyQuery, StanceQuery):
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


class CrosscheckSchema(strawberry.Schema):
    """Logs a client's error (invalid input, a refusal, a deadline) as one INFO line with its
    code; only unexpected failures are logged as errors, with their traceback."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        unexpected = [error for error in errors if _is_unexpected(error)]
        for error in errors:
            if not _is_unexpected(error):
                code = (error.extensions or {}).get("code") or error_code(error.message)
                log.info("GraphQL error %s: %s", code, error.message, extra={"code": code})
        super().process_errors(unexpected, execution_context)


def build_schema(settings: Settings | None = None) -> strawberry.Schema:
    """The schema, with the configured limits (the defaults' when no settings are given)."""
    settings = settings or Settings.model_construct()  # defaults, not the environment
    return CrosscheckSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        config=schema_config(settings),
        scalar_overrides=SCALAR_OVERRIDES,
        extensions=[
            *limit_extensions(settings),
            partial(MaskErrors, should_mask_error=_is_unexpected, error_message=INTERNAL_ERROR),
            OperationMetrics,
            OperationAccess,
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


# A socket whose key is revoked (or that lost open mode) is closed within this long plus the
# key cache's seconds: its running subscriptions stop with it.
SOCKET_RECHECK_SECONDS = 0.5


async def _close_when_refused(context: GraphQLContext, websocket: WebSocket) -> None:
    """Close ``websocket`` (4403) once its caller may no longer read."""
    while websocket.client_state is WebSocketState.CONNECTED:
        await asyncio.sleep(SOCKET_RECHECK_SECONDS)
        try:
            context.caller = await run_in_threadpool(context.identify_again)
            context.caller.authorize(Scope.READ)
        except (UnauthenticatedError, ForbiddenError):
            if websocket.client_state is WebSocketState.CONNECTED:
                with contextlib.suppress(RuntimeError, WebSocketDisconnect):
                    await websocket.close(code=4403, reason="Forbidden")
            return
        except Exception:  # the key store is unreachable: the next operation will say so
            log.warning("could not re-check a WebSocket's key", exc_info=True)


def _is_plain_http_subscription(operation: GraphQLRequestData) -> bool:
    """A subscription sent as a plain HTTP request (which cannot stream its events)."""
    if operation.protocol != "http" or not isinstance(operation.query, str):
        return False
    try:
        document = parse(operation.query)
    except GraphQLError:
        return False  # strawberry reports the syntax error itself
    found = get_operation_ast(document, operation.operation_name)
    return found is not None and found.operation is OperationType.SUBSCRIPTION


def _with_error_codes(data: object) -> object:
    """``data`` with an ``extensions.code`` on each GraphQL error it carries: an HTTP answer's,
    a WebSocket ``next`` payload's, or a WebSocket ``error`` message's list."""
    if not isinstance(data, dict):
        return data
    errors: object = data.get("errors")
    if data.get("type") == "error":
        errors = data.get("payload")
    elif data.get("type") == "next" and isinstance(data.get("payload"), dict):
        errors = data["payload"].get("errors")
    for error in errors if isinstance(errors, list) else []:
        if isinstance(error, dict):
            extensions = error.setdefault("extensions", {})
            if isinstance(extensions, dict):
                extensions.setdefault("code", error_code(error.get("message")))
    return data


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

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        """GraphiQL with its files served by this server rather than a CDN (see api/docs.py)."""
        return graphiql_page(request)

    def encode_json(self, data: object) -> str | bytes:
        """Every message, WebSocket ones included (their errors skip ``process_result``)."""
        return super().encode_json(_with_error_codes(data))

    async def execute_operation(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        request_data: GraphQLRequestData | list[GraphQLRequestData],
        context: GraphQLContext,
        root_value: None,
        sub_response: Response,
    ) -> Any:
        operations = request_data if isinstance(request_data, list) else [request_data]
        if any(_is_plain_http_subscription(operation) for operation in operations):
            raise HTTPException(400, SUBSCRIPTION_OVER_HTTP)
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
            sent = {name: params.get(name) for name in (API_KEY_HEADER, "Authorization")}
            for name, value in sent.items():
                if value is not None and not isinstance(value, str):
                    raise ConnectionRejectionError(
                        {"code": "BAD_USER_INPUT", "message": f"{name} must be a string"}
                    )
            raw_key = key_from(sent[API_KEY_HEADER], sent["Authorization"])
            if raw_key is not None:
                context.raw_key = raw_key
                context.caller = await run_in_threadpool(context.identify_again)
        try:
            context.caller.authorize(Scope.READ)
        except (UnauthenticatedError, ForbiddenError) as exc:
            refusal: dict[str, object] = {"code": exc.code.upper(), "message": exc.message}
            raise ConnectionRejectionError(refusal) from exc
        if isinstance(context.request, WebSocket):
            context.watcher = asyncio.create_task(_close_when_refused(context, context.request))
        return await super().on_ws_connect(context)

    def decode_json(self, data: str | bytes) -> object:
        try:
            decoded = super().decode_json(data)
        except RecursionError as exc:
            raise HTTPException(400, "the body is nested too deeply") from exc
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
