"""Errors raised by the claims service."""

from __future__ import annotations

from crosscheck.errors import ConflictError, NotFoundError


class ClaimNotFoundError(NotFoundError):
    code = "claim_not_found"


class ExternalIdTakenError(ConflictError):
    code = "external_id_taken"
