"""Relay-style connections over the domain's id-ordered pages (crosscheck.pagination)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

import strawberry

from crosscheck.pagination import PageRequest, ResultPage, encode_cursor, row_id, window
from crosscheck.settings import Settings

NodeT = TypeVar("NodeT")
RowT = TypeVar("RowT")


@strawberry.type(description="Where a page starts and ends, and whether rows lie beyond it")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Rows follow this page")
    has_previous_page: bool = strawberry.field(description="Rows precede this page")
    start_cursor: str | None = strawberry.field(description="The first edge's cursor (`before`)")
    end_cursor: str | None = strawberry.field(description="The last edge's cursor (`after`)")


@strawberry.type(description="One item of a page and the cursor that marks its place")
class Edge(Generic[NodeT]):
    cursor: str
    node: NodeT


@strawberry.type(description="A page of items in id order: edges, page info, and the total")
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]]
    page_info: PageInfo
    total_count: int = strawberry.field(description="Items matching the filters, over all pages")


def page_request(
    settings: Settings,
    *,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> PageRequest:
    """The domain's page for Relay arguments; sizes over the configured cap are refused."""
    return window(
        first=first, after=after, last=last, before=before, maximum=settings.max_page_size
    )


def connection(page: ResultPage[RowT], node: Callable[[RowT], NodeT]) -> Connection[NodeT]:
    """A connection whose edge cursors are the rows' ids, as REST's cursors are."""
    edges = [Edge(cursor=encode_cursor(row_id(row)), node=node(row)) for row in page.items]
    return Connection(
        edges=edges,
        total_count=page.total,
        page_info=PageInfo(
            has_next_page=page.has_next,
            has_previous_page=page.has_previous,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
    )
