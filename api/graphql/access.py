"""Every GraphQL operation is checked on its own (batched or not, over HTTP or a WebSocket):
queries and subscriptions need a read key, mutations a write key."""

from __future__ import annotations

from collections.abc import AsyncIterator

from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from api.graphql.context import GraphQLContext
from crosscheck.access.models import Scope

REQUIRED_SCOPE = {
    OperationType.QUERY: Scope.READ,
    OperationType.SUBSCRIPTION: Scope.READ,
    OperationType.MUTATION: Scope.WRITE,
}


class OperationAccess(SchemaExtension):
    """Refuses an operation before it runs; the error carries ``extensions.code``."""

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context.context
        if not isinstance(context, GraphQLContext):  # a schema run without the router's context
            raise TypeError("GraphQL operations need the API's context (access control)")
        # Raised here, strawberry turns the error into the operation's result, nothing runs.
        await context.admit(REQUIRED_SCOPE[self.execution_context.operation_type])
        yield
