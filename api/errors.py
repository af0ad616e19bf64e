"""Every error leaves as ``{"error": {"code", "message", "field"?}}``; never a traceback."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.routing import Match

from crosscheck.errors import CrosscheckError, StorageBusyError
from crosscheck.storage import STORAGE_EXCEPTIONS, storage_failure

log = logging.getLogger(__name__)

_LOCATION_PREFIXES = {"body", "query", "path", "header"}


class ErrorDetail(BaseModel):
    code: str
    message: str
    field: str | None = None


class ErrorBody(BaseModel):
    """The body of every error response."""

    error: ErrorDetail


def error_response(
    status: int, code: str, message: str, field: str | None = None, **extra: Any
) -> JSONResponse:
    detail: dict[str, Any] = {"code": code, "message": message}
    if field:
        detail["field"] = field
    detail.update(extra)
    return JSONResponse(status_code=status, content={"error": detail})


def field_path(location: tuple[int | str, ...] | list[int | str]) -> str | None:
    """``("body", "sources", 0)`` -> ``"sources.0"``; the location part is dropped."""
    parts = [str(p) for p in location]
    if parts and parts[0] in _LOCATION_PREFIXES:
        parts = parts[1:]
    return ".".join(parts) or None


async def _domain_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, CrosscheckError)
    return error_response(exc.status_code, exc.code, exc.message, exc.field)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [
        {"field": field_path(e.get("loc", ())), "message": e.get("msg", "invalid")}
        for e in exc.errors()
    ]
    first = problems[0] if problems else {"field": None, "message": "invalid request"}
    return error_response(
        422, "validation_error", str(first["message"]), first["field"], details=problems
    )


def _allowed_methods(request: Request) -> str:
    """Every method some route answers on this path (Starlette names only the first route's)."""
    methods: set[str] = set()
    # FastAPI groups an included router's routes; this iterates them one by one.
    for route in iter_route_contexts(request.app.router.routes):
        match, _ = route.matches(request.scope)
        if match is not Match.NONE:
            methods |= getattr(route, "methods", None) or set()
    if "GET" in methods:
        methods.add("HEAD")  # api/head_requests.py
    return ", ".join(sorted(methods))


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    codes = {
        400: "bad_request",
        404: "not_found",
        405: "method_not_allowed",
        413: "payload_too_large",
    }
    field = "body" if exc.status_code in {400, 413} else None
    response = error_response(
        exc.status_code, codes.get(exc.status_code, "http_error"), str(exc.detail), field
    )
    if exc.headers:
        response.headers.update(exc.headers)
    if exc.status_code == 405:  # RFC 9110: list what the resource does support
        response.headers["Allow"] = _allowed_methods(request)
    return response


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    response = error_response(
        500, "internal_error", "an internal error occurred; it has been logged"
    )
    # The server drops the connection after an unhandled error: the client is told so.
    response.headers["Connection"] = "close"
    return response


async def _storage_error(request: Request, exc: Exception) -> JSONResponse:
    """A full or failing disk under a commit or an index save: 507 or 503, never success."""
    failure = storage_failure(exc)
    if failure is None:
        return await _unexpected_error(request, exc)
    log.error("storage failure on %s %s: %s", request.method, request.url.path, exc, exc_info=exc)
    response = error_response(failure.status_code, failure.code, failure.message)
    if isinstance(failure, StorageBusyError):
        response.headers["Retry-After"] = str(failure.retry_after)
    return response


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(CrosscheckError, _domain_error)
    for storage_exception in STORAGE_EXCEPTIONS:
        app.add_exception_handler(storage_exception, _storage_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "The body could not be read (not JSON, not UTF-8)"},
    401: {"model": ErrorBody, "description": "No valid API key (once the server has keys)"},
    403: {"model": ErrorBody, "description": "The API key's scope does not allow this"},
    429: {"model": ErrorBody, "description": "Rate limit exceeded; see Retry-After"},
    404: {"model": ErrorBody, "description": "Not found"},
    413: {"model": ErrorBody, "description": "The body is over CROSSCHECK_MAX_REQUEST_BYTES"},
    422: {"model": ErrorBody, "description": "Invalid input"},
    503: {
        "model": ErrorBody,
        "description": "Model or index still loading, or storage failing (storage_unavailable)",
    },
    507: {"model": ErrorBody, "description": "Storage full: nothing was written"},
}
