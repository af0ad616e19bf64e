"""Keyset pagination over integer ids, with opaque cursors shared by REST and GraphQL.

A cursor names the id of one row. A page is a window on the id-ordered list: the first rows after
a cursor (REST's ``cursor``, GraphQL's ``first``/``after``) or the last rows before one (GraphQL's
``last``/``before``). REST and GraphQL read the same window from the same query.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from crosscheck.database import MAX_ID
from crosscheck.errors import InvalidInputError

T = TypeVar("T")

_CURSOR = re.compile(r"id:(0|[1-9][0-9]{0,18})")
DEFAULT_LIMIT = 50
MAX_CURSOR_CHARS = 200  # issued cursors are about 30 characters
MAX_LIMIT = 500
PAGE_LIMIT_DOC = "Rows per page, at most CROSSCHECK_MAX_PAGE_SIZE (default 500)"


class PageSizeError(InvalidInputError):
    """More rows asked for in one page than the service allows."""

    code = "page_size_exceeded"


class Page(BaseModel, Generic[T]):
    """One page of results in id order; ``next_cursor`` is null on the last page."""

    items: list[T]
    total: int = Field(description="How many items match the filters, over all pages")
    next_cursor: str | None = Field(default=None, description="Pass as `cursor` for the next page")


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, *, field: str = "cursor") -> int:
    """The id after which the next page starts (0 for the first page)."""
    if not cursor:
        return 0
    if len(cursor) > MAX_CURSOR_CHARS:
        raise InvalidInputError("cursor is not one this service issued", field=field)
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidInputError("cursor is not one this service issued", field=field) from exc
    match = _CURSOR.fullmatch(raw)
    if match is None or int(match.group(1)) > MAX_ID:
        raise InvalidInputError("cursor is not one this service issued", field=field)
    return int(match.group(1))


def check_limit(limit: int, *, field: str = "limit", maximum: int = MAX_LIMIT) -> int:
    if limit > maximum:
        raise PageSizeError(f"must be between 1 and {maximum}", field=field)
    if limit < 1:
        raise InvalidInputError(f"must be between 1 and {maximum}", field=field)
    return limit


@dataclass(frozen=True)
class PageRequest:
    """A window on an id-ordered list: ``size`` rows from its start, or from its end.

    ``after`` and ``before`` bound the list (exclusive ids); ``from_end`` takes the rows nearest
    ``before`` (GraphQL's ``last``) instead of those nearest ``after``.
    """

    size: int = DEFAULT_LIMIT
    after: int | None = None
    before: int | None = None
    from_end: bool = False


def forward_page(*, limit: int, cursor: str | None, maximum: int = MAX_LIMIT) -> PageRequest:
    """REST's page: ``limit`` rows after ``cursor``.

    The default size shrinks to ``maximum`` when that is set lower, so a plain listing works.
    """
    if limit == DEFAULT_LIMIT:
        limit = min(limit, maximum)
    check_limit(limit, maximum=maximum)
    return PageRequest(size=limit, after=decode_cursor(cursor) or None)


def window(
    *,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    maximum: int = MAX_LIMIT,
) -> PageRequest:
    """GraphQL's page (Relay connection arguments); ``first`` and ``last`` exclude each other."""
    if first is not None and last is not None:
        raise InvalidInputError("give `first` or `last`, not both", field="last")
    after_id = decode_cursor(after, field="after") if after else None
    before_id = decode_cursor(before, field="before") if before else None
    if last is not None:
        return PageRequest(
            size=check_limit(last, field="last", maximum=maximum),
            after=after_id,
            before=before_id,
            from_end=True,
        )
    size = DEFAULT_LIMIT if first is None else check_limit(first, field="first", maximum=maximum)
    return PageRequest(size=min(size, maximum), after=after_id, before=before_id)


@dataclass(frozen=True)
class ResultPage(Generic[T]):
    """What a service returns for one page: rows, the total over all pages, and what lies beyond.

    ``has_next`` says rows follow the page, ``has_previous`` that rows precede it.
    """

    items: list[T]
    total: int
    has_next: bool = False
    has_previous: bool = False

    @property
    def next_cursor(self) -> str | None:
        """REST's cursor for the following page (the last row's), or ``None`` on the last page."""
        return encode_cursor(row_id(self.items[-1])) if self.items and self.has_next else None


def row_id(item: Any) -> int:
    """The id a row is paged by (every paged model has an integer ``id``)."""
    identifier: int = item.id
    return identifier


def paginate(
    *,
    session: Session,
    model: type[T],
    id_column: InstrumentedAttribute[int],
    filters: Sequence[ColumnElement[bool]],
    page: PageRequest,
) -> ResultPage[T]:
    """One window of ``model`` rows matching ``filters``, always returned in id order."""
    bounds: list[ColumnElement[bool]] = []
    if page.after is not None:
        bounds.append(id_column > page.after)
    if page.before is not None:
        bounds.append(id_column < page.before)
    total = session.scalar(select(func.count()).select_from(model).where(*filters)) or 0
    order = id_column.desc() if page.from_end else id_column.asc()
    statement: Any = select(model).where(*filters, *bounds).order_by(order).limit(page.size + 1)
    rows = list(session.scalars(statement))
    more = len(rows) > page.size
    items = rows[: page.size]

    def any_beyond(condition: ColumnElement[bool]) -> bool:
        # Cheap: the id index finds the nearest such row, if there is one.
        return session.scalar(select(id_column).where(*filters, condition).limit(1)) is not None

    if page.from_end:
        items.reverse()
        has_previous = more
        has_next = page.before is not None and any_beyond(id_column >= page.before)
    else:
        has_next = more
        has_previous = page.after is not None and any_beyond(id_column <= page.after)
    return ResultPage(items=items, total=total, has_next=has_next, has_previous=has_previous)
