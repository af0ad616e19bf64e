"""Errors of live feeds."""

from __future__ import annotations

from crosscheck.errors import CrosscheckError


class SubscriberTooSlowError(CrosscheckError):
    """The subscriber fell so far behind that its queue filled; the feed let it go."""

    code = "subscriber_too_slow"
    status_code = 409
