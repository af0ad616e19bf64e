"""A cap on request bodies, whether declared (Content-Length) or streamed (chunked): 413 beyond."""

from __future__ import annotations

from collections.abc import Collection

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_response


class RequestBodyTooLarge(HTTPException):
    """Raised from ``receive`` once the body passes the cap.

    A Starlette ``HTTPException``: FastAPI's body parsing lets those through untouched, so the
    app's error handlers answer with the usual JSON error body.
    """

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, too_large_message(max_bytes))


def too_large_message(max_bytes: int) -> str:
    return f"request bodies are limited to {max_bytes} bytes"


class BodySizeLimit:
    """Refuses a body over ``max_bytes``: up front when Content-Length says so, else as soon as
    the bytes received pass it, so a chunked body is never read further than the cap.

    ``exempt_paths`` (the bulk routes) count their own, larger limit as they stream.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int, exempt_paths: Collection[str]) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.exempt_paths = frozenset(exempt_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.exempt_paths:
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(scope, receive, send)
            return
        received = 0
        response_started = False

        async def receive_counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise RequestBodyTooLarge(self.max_bytes)
            return message

        async def send_noted(message: Message) -> None:
            nonlocal response_started
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive_counted, send_noted)
        except RequestBodyTooLarge:
            # Reached only when no error handler answered (the body was read outside a route).
            if response_started:
                raise
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(
            413, "payload_too_large", too_large_message(self.max_bytes), field="body"
        )
        await response(scope, receive, send)
