"""Every GraphQL operation is checked on its own (batched or not, over HTTP or a WebSocket):
queries and subscriptions need a read key, mutations a write key; an operation costlier than
the maximum is refused, and the rest count their cost against the rate limits."""

from __future__ import annotations

from collections.abc import AsyncIterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from api.graphql.context import GraphQLContext
from api.graphql.cost import operation_cost, rate_limit_calls
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
        cost = self._cost(context)
        await context.admit(
            REQUIRED_SCOPE[self.execution_context.operation_type], calls=rate_limit_calls(cost)
        )
        yield

    def _cost(self, context: GraphQLContext) -> int:
        execution = self.execution_context
        if execution.graphql_document is None:
            return 0
        settings = context.runtime.settings
        cost = operation_cost(
            execution.graphql_document,
            operation_name=execution.operation_name,
            variables=execution.variables,
            default_top_k=settings.default_top_k,
        )
        if cost > settings.graphql_max_cost:
            raise GraphQLError(
                f"this operation would cost {cost:,} units, over the maximum of "
                f"{settings.graphql_max_cost:,}: ask for smaller pages or fewer candidates",
                extensions={
                    "code": "QUERY_TOO_COSTLY",
                    "cost": cost,
                    "maximumCost": settings.graphql_max_cost,
                },
            )
        return cost
