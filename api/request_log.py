"""One log line and one metric sample per HTTP request, tagged with a request id.

The id comes from the client's ``X-Request-ID`` when it is well formed (a new one otherwise),
is returned in the response's ``X-Request-ID``, and is on every line logged while the request is
served (see crosscheck.logs).
"""

from __future__ import annotations

import logging
import re
import time

from asgi_correlation_id import CorrelationIdMiddleware
from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.metrics import HTTP_REQUESTS, HTTP_SECONDS, route_label

log = logging.getLogger("crosscheck.requests")

REQUEST_ID_HEADER = "X-Request-ID"
# Letters, digits and . _ : - only: an id is copied into logs, so no spaces or line breaks.
_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:\-]{0,127}")


def well_formed_request_id(value: str) -> bool:
    return _REQUEST_ID.fullmatch(value) is not None


class RequestLogMiddleware:
    """Times each HTTP request; logs it and counts it by route template once it is answered."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client gets if the app fails before answering

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            self._record(scope, status, time.perf_counter() - started)

    @staticmethod
    def _record(scope: Scope, status: int, seconds: float) -> None:
        method: str = scope["method"]
        route = route_label(scope)
        HTTP_REQUESTS.labels(method=method, route=route, status=str(status)).inc()
        HTTP_SECONDS.labels(method=method, route=route).observe(seconds)
        log.info(
            "%s %s %d %.1fms",
            method,
            scope["path"],
            status,
            seconds * 1000,
            extra={
                "method": method,
                "path": scope["path"],
                "route": route,
                "status": status,
                "duration_ms": round(seconds * 1000, 2),
            },
        )


def install_request_tracking(app: FastAPI) -> None:
    """Request ids outermost, so the request log and every handler's lines carry them."""
    app.add_middleware(RequestLogMiddleware)
    app.add_middleware(
        CorrelationIdMiddleware,
        header_name=REQUEST_ID_HEADER,
        validator=well_formed_request_id,
    )
