"""Errors raised when asking for a timeline."""

from __future__ import annotations

from crosscheck.errors import InvalidInputError


class NotYetStatedError(InvalidInputError):
    code = "not_yet_stated"
