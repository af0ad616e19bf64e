"""Per-request GraphQL context: the request's session, the runtime, fresh DataLoaders."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterator
from functools import partial
from typing import TypeVar

from graphql import GraphQLError
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection
from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext
from strawberry.types import Info

from api.access import API_KEY_HEADER, Access, AccessDep, CallerDep, key_from
from api.deps import ReviewerDep, RuntimeDep, SessionDep
from api.errors import field_path
from crosscheck.access.exceptions import RateLimitedError
from crosscheck.access.models import Scope
from crosscheck.access.schemas import Caller
from crosscheck.claims import service as claim_service
from crosscheck.deadlines import check_deadline
from crosscheck.errors import CrosscheckError, StorageBusyError
from crosscheck.runtime import Runtime
from crosscheck.storage import STORAGE_EXCEPTIONS, storage_failure
from crosscheck.verdicts.claimreview import Reviewer

T = TypeVar("T")


def to_graphql_error(exc: Exception) -> GraphQLError:
    """A client-facing GraphQL error with ``extensions.code`` (and ``field`` where known)."""
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        field = field_path(first.get("loc", ()))
        return GraphQLError(
            f"{field}: {first['msg']}" if field else str(first["msg"]),
            extensions={"code": "BAD_USER_INPUT", "field": field},
        )
    if isinstance(exc, RateLimitedError):
        extensions = {"code": exc.code.upper(), "retryAfter": exc.retry_after}
        return GraphQLError(exc.message, extensions=extensions)
    if isinstance(exc, CrosscheckError):
        return GraphQLError(exc.message, extensions={"code": exc.code.upper(), "field": exc.field})
    raise exc


class GraphQLContext(BaseContext):
    """What resolvers share within one request (or one WebSocket connection)."""

    def __init__(
        self,
        *,
        runtime: Runtime,
        session: Session | None,
        reviewer: Reviewer,
        access: Access,
        caller: Caller,
        raw_key: str | None = None,
    ) -> None:
        super().__init__()
        self.runtime = runtime
        self.access = access
        # Who sent the request; over a WebSocket, the key in connection_init may replace it.
        self.caller = caller
        # A WebSocket's key, looked up again for each operation and while it stays open.
        self.raw_key = raw_key
        # A WebSocket's watch on its key (schema.py), kept here so it is not collected.
        self.watcher: asyncio.Task[None] | None = None
        self._subscriptions = 0
        # None: each call takes a short session of its own (WebSockets outlive any transaction).
        self.session = session
        self.reviewer = reviewer
        # One session per request: database calls from concurrent resolvers take turns.
        self._session_lock = asyncio.Lock()
        self.source_claim_counts: DataLoader[int, int] = DataLoader(load_fn=self._load_claim_counts)

    @contextlib.contextmanager
    def subscription_slot(self) -> Iterator[None]:
        """Room for one more subscription on this socket and for this caller, while it runs."""
        settings = self.runtime.settings
        with self.access.subscriptions.hold(
            self.caller.rate_identity,
            on_socket=self._subscriptions,
            per_socket=settings.subscriptions_per_socket,
        ):
            self._subscriptions += 1
            try:
                yield
            finally:
                self._subscriptions -= 1

    async def run(self, work: Callable[[Session], T]) -> T:
        """Run blocking ``work(session)`` off the event loop; domain errors become GraphQL ones."""
        async with self._session_lock:
            try:
                # Starlette's thread pool, shared with the sync REST endpoints: wider than
                # asyncio's default executor, so concurrent verifications can batch together.
                return await run_in_threadpool(self._in_session, work)
            except (CrosscheckError, ValidationError) as exc:
                raise to_graphql_error(exc) from exc
            except STORAGE_EXCEPTIONS as exc:
                failure = storage_failure(exc)
                if failure is None:
                    raise
                # Never a 2xx for a write the storage refused, GraphQL's errors list included.
                if self.response is not None:
                    self.response.status_code = failure.status_code
                    if isinstance(failure, StorageBusyError):
                        self.response.headers["Retry-After"] = str(failure.retry_after)
                raise to_graphql_error(failure) from exc

    def _in_session(self, work: Callable[[Session], T]) -> T:
        check_deadline()  # a nested field list stops here once the request's budget is spent
        if self.session is not None:
            return work(self.session)
        with self.runtime.session_factory() as session:
            return work(session)

    async def admit(self, required: Scope, *, calls: int = 1) -> None:
        """Raise a GraphQL error (UNAUTHENTICATED, FORBIDDEN, RATE_LIMITED) unless the caller
        may run an operation that needs ``required`` and counts as ``calls`` calls."""
        try:
            if self.session is None:  # a WebSocket: its key may have been revoked since
                self.caller = await run_in_threadpool(self.identify_again)
            await run_in_threadpool(partial(self.access.admit, self.caller, required, calls=calls))
        except CrosscheckError as exc:
            raise to_graphql_error(exc) from exc

    def identify_again(self) -> Caller:
        """The socket's caller now (through the gate's cache: at most its seconds old)."""
        return self.access.gate.identify(raw_key=self.raw_key, address=self.caller.address)

    async def _load_claim_counts(self, source_ids: list[int]) -> list[int]:
        counts = await self.run(
            lambda session: claim_service.counts_by_source(session=session, source_ids=source_ids)
        )
        return [counts.get(source_id, 0) for source_id in source_ids]


def get_context(
    runtime: RuntimeDep,
    session: SessionDep,
    reviewer: ReviewerDep,
    access: AccessDep,
    caller: CallerDep,
    connection: HTTPConnection,
) -> GraphQLContext:
    """The request's session for queries and mutations; short sessions for a WebSocket."""
    websocket = connection.scope["type"] == "websocket"
    headers = connection.headers
    return GraphQLContext(
        runtime=runtime,
        session=None if websocket else session,
        reviewer=reviewer,
        access=access,
        caller=caller,
        raw_key=key_from(headers.get(API_KEY_HEADER), headers.get("authorization")),
    )


GraphQLInfo = Info[GraphQLContext, None]
