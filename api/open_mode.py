"""What keeps an open-mode server (no keys yet, loopback only) from being used by web pages.

Listening on loopback keeps other machines out, not other web sites: a page in the user's
browser can POST a CORS-simple request (``text/plain``) to 127.0.0.1, open a WebSocket to it,
or reach it under its own name by DNS rebinding. While no key exists, a request must name a
loopback host (``CROSSCHECK_OPEN_MODE_HOSTS``), and a write or a WebSocket whose ``Origin`` is
another site is refused. Once keys exist, keys decide (a page cannot send one it does not know).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _host_name(host_header: str) -> str:
    """The name in a Host header, without its port ("[::1]:8000" -> "::1")."""
    return (urlsplit(f"//{host_header}").hostname or "").lower()


def _same_origin(origin: str, host_header: str) -> bool:
    """Whether ``Origin`` names the host (and port) the request was sent to."""
    if origin == "null":
        return False
    return urlsplit(origin).netloc.lower() == host_header.lower()


def refusal(
    *, method: str, headers: Headers, websocket: bool, allowed_hosts: Collection[str]
) -> tuple[str, str] | None:
    """Why an open-mode request is refused (code, message), or None."""
    host = headers.get("host", "")
    if _host_name(host) not in allowed_hosts:
        names = ", ".join(sorted(allowed_hosts))
        return ("host_not_allowed", f"this server has no API keys yet and answers only to {names}")
    origin = headers.get("origin")
    cross_site = headers.get("sec-fetch-site") == "cross-site"
    writes = websocket or method not in SAFE_METHODS
    if writes and (cross_site or (origin is not None and not _same_origin(origin, host))):
        return (
            "cross_origin_refused",
            "this server has no API keys yet: other web sites may not write to it",
        )
    return None


class OpenModeGuard:
    """Refuses open-mode requests for another host name or writes from another site (403)."""

    def __init__(self, app: ASGIApp, *, allowed_hosts: Collection[str]) -> None:
        self.app = app
        self.allowed_hosts = frozenset(name.lower() for name in allowed_hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        websocket = scope["type"] == "websocket"
        problem = refusal(
            method=scope.get("method", "GET"),
            headers=Headers(scope=scope),
            websocket=websocket,
            allowed_hosts=self.allowed_hosts,
        )
        if problem is None or not await self._open(scope):
            await self.app(scope, receive, send)
            return
        if websocket:
            await send({"type": "websocket.close", "code": 4403, "reason": problem[0]})
            return
        code, message = problem
        body = json.dumps({"error": {"code": code, "message": message, "field": "host"}}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 403,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def _open(self, scope: Scope) -> bool:
        access = getattr(scope["app"].state, "access", None)
        if access is None:
            return True
        is_open: bool = await run_in_threadpool(access.gate.open_mode)
        return is_open
