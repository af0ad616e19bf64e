"""Errors raised by the sources service."""

from __future__ import annotations

from crosscheck.errors import ConflictError, NotFoundError


class SourceNotFoundError(NotFoundError):
    code = "source_not_found"


class SourceNameTakenError(ConflictError):
    code = "source_name_taken"
