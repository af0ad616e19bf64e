"""Errors raised by access control: who is calling, may they, and how often."""

from __future__ import annotations

from crosscheck.errors import CrosscheckError, NotFoundError


class ApiKeyNotFoundError(NotFoundError):
    code = "api_key_not_found"


class UnauthenticatedError(CrosscheckError):
    """No valid key where one is needed."""

    code = "unauthenticated"
    status_code = 401


class ForbiddenError(CrosscheckError):
    """A valid key whose scope does not reach what the call needs."""

    code = "forbidden"
    status_code = 403


class RateLimitedError(CrosscheckError):
    """Too many calls in the window; ``retry_after`` seconds until the next is allowed."""

    code = "rate_limited"
    status_code = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
