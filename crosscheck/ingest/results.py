"""What happened to each row of a load, and the totals."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from pydantic import BaseModel, ValidationError

from crosscheck.errors import CrosscheckError


class RowStatus(enum.StrEnum):
    CREATED = "created"
    EXISTS = "exists"
    ERROR = "error"


class RowError(BaseModel):
    """Why a row was rejected: the field at fault (if one is) and what is wrong."""

    field: str | None
    message: str


class RowResult(BaseModel):
    """One row's outcome; ``id`` names the stored claim or document."""

    line: int
    status: RowStatus
    id: int | None = None
    error: RowError | None = None


@dataclass
class LoadTotals:
    """Counts over a whole load; ``rows`` is every row read, good or bad."""

    created: int = 0
    existing: int = 0
    rejected: int = 0
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return self.created + self.existing + self.rejected

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    def count(self, result: RowResult) -> None:
        if result.status is RowStatus.CREATED:
            self.created += 1
        elif result.status is RowStatus.EXISTS:
            self.existing += 1
        else:
            self.rejected += 1


def error_from(exc: Exception) -> RowError:
    """A row error from a validation or domain error: the first problem, with its field."""
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or None
        message = first["msg"].removeprefix("Value error, ")
        return RowError(field=where, message=message)
    if isinstance(exc, CrosscheckError):
        return RowError(field=exc.field, message=exc.message)
    return RowError(field=None, message=str(exc))


def rejected(line: int, error: RowError) -> RowResult:
    return RowResult(line=line, status=RowStatus.ERROR, error=error)
