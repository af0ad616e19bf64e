"""What a GraphQL operation will cost, worked out from its document before anything runs.

Depth, alias and token limits bound a document's size, not its work: ``verify(topK: 100)``
thirty times, or ``evidence`` inside ``evidence``, stay small documents that buy minutes of
CPU. Each field costs one unit; verification, evidence and stance cost what judging costs;
a list multiplies the cost of what is selected inside it by its page size (``first``/``last``,
``topK``, else the default). Written here because the cost weights are this service's own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_operation_ast,
    value_from_ast_untyped,
)

from crosscheck.pagination import DEFAULT_LIMIT

# Judging candidates: a verification or a claim's evidence costs this much plus ``PER_CANDIDATE``
# per candidate (topK); judging one pair, or exporting a verdict, costs ``JUDGED``.
JUDGED = 100
PER_CANDIDATE = 10
RANKED_FIELDS = frozenset({"verify", "evidence", "evidenceAdded"})
JUDGED_FIELDS = frozenset({"stance", "claimReview"})
TIMELINE = 20
# Connections: their page size multiplies what is selected inside them.
CONNECTION_FIELDS = frozenset({"sources", "claims", "documents"})
# An operation's cost counts against the rate limits in calls of this many units (at least 1).
UNITS_PER_CALL = 100


@dataclass
class CostModel:
    """Costs of one document's selections; fragments are costed once each (per unit)."""

    fragments: Mapping[str, FragmentDefinitionNode]
    variables: Mapping[str, Any]
    default_top_k: int
    _fragment_costs: dict[str, int] = field(default_factory=dict)

    def selections(self, selection_set: SelectionSetNode | None) -> int:
        """The cost of ``selection_set`` when it is selected once."""
        if selection_set is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self._field(selection)
            elif isinstance(selection, InlineFragmentNode):
                total += self.selections(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                total += self._fragment(selection.name.value)
        return total

    def _fragment(self, name: str) -> int:
        if name not in self._fragment_costs:
            fragment = self.fragments.get(name)
            self._fragment_costs[name] = 0  # validation forbids cycles; this guards anyway
            cost = self.selections(fragment.selection_set) if fragment is not None else 0
            self._fragment_costs[name] = cost
        return self._fragment_costs[name]

    def _field(self, node: FieldNode) -> int:
        name = node.name.value
        arguments = {
            argument.name.value: value_from_ast_untyped(argument.value, dict(self.variables))
            for argument in node.arguments or ()
        }
        own, size = 1, 1
        if name in RANKED_FIELDS:
            size = _count(arguments.get("topK"), self.default_top_k)
            own = JUDGED + PER_CANDIDATE * size
        elif name in JUDGED_FIELDS:
            own = JUDGED
        elif name == "timeline":
            own = TIMELINE
        elif name in CONNECTION_FIELDS:
            size = _count(arguments.get("first"), None) or _count(
                arguments.get("last"), DEFAULT_LIMIT
            )
        return own + size * self.selections(node.selection_set)


def _count(value: object, default: int | None) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return default or 0


def operation_cost(
    document: DocumentNode,
    *,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
    default_top_k: int,
) -> int:
    """The cost of the operation ``operation_name`` of ``document`` (0 if there is none)."""
    operation: OperationDefinitionNode | None = get_operation_ast(document, operation_name)
    if operation is None:
        return 0
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    model = CostModel(fragments, variables or {}, default_top_k)
    return model.selections(operation.selection_set)


def rate_limit_calls(cost: int) -> int:
    """How many calls an operation of ``cost`` counts as against the rate limits."""
    return max(1, -(-cost // UNITS_PER_CALL))
