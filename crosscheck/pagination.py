"""Keyset pagination over integer ids, with opaque cursors shared by REST and GraphQL."""

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
MAX_LIMIT = 500


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
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidInputError("cursor is not one this service issued", field=field) from exc
    match = _CURSOR.fullmatch(raw)
    if match is None or int(match.group(1)) > MAX_ID:
        raise InvalidInputError("cursor is not one this service issued", field=field)
    return int(match.group(1))


def check_limit(limit: int, *, field: str = "limit") -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInputError(f"must be between 1 and {MAX_LIMIT}", field=field)
    return limit


@dataclass(frozen=True)
class ResultPage(Generic[T]):
    """What a service returns for one page: rows, the total over all pages, the next cursor."""

    items: list[T]
    total: int
    next_cursor: str | None


def paginate(
    *,
    session: Session,
    model: type[T],
    id_column: InstrumentedAttribute[int],
    filters: Sequence[ColumnElement[bool]],
    limit: int,
    cursor: str | None,
) -> ResultPage[T]:
    """One page of ``model`` rows matching ``filters``, in id order after ``cursor``."""
    check_limit(limit)
    after_id = decode_cursor(cursor)
    total = session.scalar(select(func.count()).select_from(model).where(*filters)) or 0
    statement: Any = select(model).where(id_column > after_id, *filters)
    rows = list(session.scalars(statement.order_by(id_column).limit(limit + 1)))
    items = rows[:limit]
    last_id = getattr(items[-1], "id", 0) if items else 0
    return ResultPage(
        items=items, total=total, next_cursor=encode_cursor(last_id) if len(rows) > limit else None
    )
