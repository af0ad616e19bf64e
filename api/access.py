"""Access control at the edge: who sent the request (its key), what a route needs, rate limits.

Open routes (no key ever): /healthz, /readyz, /metrics, /docs, /redoc (and their files under
/docs/assets/), /openapi.json, /favicon.ico, / and the page at /app/ (its HTML, CSS and
JavaScript; the data it shows comes from /v1, which asks for keys).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, FastAPI, Request, Security
from fastapi.params import Depends as DependsParam
from fastapi.responses import JSONResponse
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from starlette.requests import HTTPConnection

from api.errors import error_response
from api.graphql.subscription_slots import SubscriptionSlots
from crosscheck.access.binding import is_loopback
from crosscheck.access.exceptions import RateLimitedError, UnauthenticatedError
from crosscheck.access.gate import AccessGate
from crosscheck.access.models import Scope
from crosscheck.access.rate_limits import RateLimits
from crosscheck.access.schemas import Caller
from crosscheck.runtime import Runtime

API_KEY_HEADER = "X-API-Key"
WWW_AUTHENTICATE = f'ApiKey header="{API_KEY_HEADER}", Bearer'
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

API_KEY_SCHEME = APIKeyHeader(
    name=API_KEY_HEADER,
    auto_error=False,
    description="An API key (crosscheck keys create); not needed while the server has none",
)
BEARER_SCHEME = HTTPBearer(auto_error=False, description="The same API key, as a bearer token")


@dataclass
class Access:
    """The process's key lookups and rate limits."""

    gate: AccessGate
    rate_limits: RateLimits
    subscriptions: SubscriptionSlots

    @classmethod
    def for_runtime(cls, runtime: Runtime) -> Access:
        settings = runtime.settings
        return cls(
            gate=AccessGate(
                runtime.session_factory,
                cache_seconds=settings.api_key_cache_seconds,
                allow_open_mode=is_loopback(settings.host),
            ),
            rate_limits=RateLimits(
                read=settings.rate_limit_read,
                write=settings.rate_limit_write,
                storage_url=settings.rate_limit_storage,
            ),
            subscriptions=SubscriptionSlots(per_caller=settings.subscriptions_per_caller),
        )

    def admit(self, caller: Caller, required: Scope, *, calls: int = 1) -> None:
        """Raise 401, 403 or 429 unless ``caller`` may make ``calls`` calls that need
        ``required``."""
        caller.authorize(required)
        self.rate_limits.hit(caller, required, calls=calls)


def get_access(connection: HTTPConnection) -> Access:
    access: Access = connection.app.state.access
    return access


AccessDep = Annotated[Access, Depends(get_access)]


def key_from(header_key: str | None, authorization: str | None) -> str | None:
    """The key sent in ``X-API-Key``, else as ``Authorization: Bearer``."""
    if header_key and header_key.strip():
        return header_key.strip()
    if authorization:
        kind, _, token = authorization.partition(" ")
        if kind.lower() == "bearer" and token.strip():
            return token.strip()
    return None


def identify(access: Access, connection: HTTPConnection, raw_key: str | None) -> Caller:
    address = connection.client.host if connection.client is not None else None
    return access.gate.identify(raw_key=raw_key, address=address)


def get_caller(connection: HTTPConnection, access: AccessDep) -> Caller:
    """Who the request (or WebSocket handshake) is from; checks nothing by itself."""
    headers = connection.headers
    return identify(
        access, connection, key_from(headers.get(API_KEY_HEADER), headers.get("authorization"))
    )


CallerDep = Annotated[Caller, Depends(get_caller)]


def _requirement(scope: Scope | None) -> Callable[..., Caller]:
    def require(
        request: Request,
        access: AccessDep,
        # Declared so that OpenAPI (and /docs) describe how to send a key; read as headers below.
        _api_key: Annotated[str | None, Security(API_KEY_SCHEME)],
        _bearer: Annotated[HTTPAuthorizationCredentials | None, Security(BEARER_SCHEME)],
    ) -> Caller:
        authorization = request.headers.get("authorization")
        if authorization is not None and key_from(None, authorization) is None:
            # A malformed credential is refused, not ignored for another one beside it.
            raise UnauthenticatedError("the Authorization header must be 'Bearer <API key>'")
        caller = get_caller(request, access)
        needed = scope or (Scope.READ if request.method in SAFE_METHODS else Scope.WRITE)
        access.admit(caller, needed)
        return caller

    return require


# Applied to whole routers in the app factory.
READ_ACCESS: DependsParam = Depends(_requirement(Scope.READ))
WRITE_ACCESS: DependsParam = Depends(_requirement(Scope.WRITE))
# GET and HEAD read; POST, PUT, PATCH and DELETE write.
METHOD_ACCESS: DependsParam = Depends(_requirement(None))


async def _unauthenticated(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, UnauthenticatedError)
    response = error_response(exc.status_code, exc.code, exc.message)
    response.headers["WWW-Authenticate"] = WWW_AUTHENTICATE
    return response


async def _rate_limited(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RateLimitedError)
    response = error_response(exc.status_code, exc.code, exc.message)
    response.headers["Retry-After"] = str(exc.retry_after)
    return response


def install_access(app: FastAPI, runtime: Runtime) -> None:
    """Key lookups and rate limits for this app (limits validated now: at start-up)."""
    app.state.access = Access.for_runtime(runtime)
    app.add_exception_handler(UnauthenticatedError, _unauthenticated)
    app.add_exception_handler(RateLimitedError, _rate_limited)
