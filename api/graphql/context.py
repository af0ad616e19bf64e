"""Per-request GraphQL context: the request's session, the runtime, fresh DataLoaders."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

from graphql import GraphQLError
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext
from strawberry.types import Info

from api.deps import RuntimeDep, SessionDep
from api.errors import field_path
from crosscheck.errors import CrosscheckError
from crosscheck.runtime import Runtime
from crosscheck.sources import service as source_service

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
    if isinstance(exc, CrosscheckError):
        return GraphQLError(exc.message, extensions={"code": exc.code.upper(), "field": exc.field})
    raise exc


class GraphQLContext(BaseContext):
    """What resolvers share within one request."""

    def __init__(self, *, runtime: Runtime, session: Session) -> None:
        super().__init__()
        self.runtime = runtime
        self.session = session
        # One session per request: database calls from concurrent resolvers take turns.
        self._session_lock = asyncio.Lock()
        self.source_claim_counts: DataLoader[int, int] = DataLoader(load_fn=self._load_claim_counts)

    async def run(self, work: Callable[[Session], T]) -> T:
        """Run blocking ``work(session)`` off the event loop; domain errors become GraphQL ones."""
        async with self._session_lock:
            try:
                # Starlette's thread pool, shared with the sync REST endpoints: wider than
                # asyncio's default executor, so concurrent verifications can batch together.
                return await run_in_threadpool(work, self.session)
            except (CrosscheckError, ValidationError) as exc:
                raise to_graphql_error(exc) from exc

    async def _load_claim_counts(self, source_ids: list[int]) -> list[int]:
        counts = await self.run(
            lambda session: source_service.claim_counts(session=session, source_ids=source_ids)
        )
        return [counts.get(source_id, 0) for source_id in source_ids]


def get_context(runtime: RuntimeDep, session: SessionDep) -> GraphQLContext:
    return GraphQLContext(runtime=runtime, session=session)


GraphQLInfo = Info[GraphQLContext, None]
