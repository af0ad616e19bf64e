"""Errors raised by the documents service."""

from __future__ import annotations

from crosscheck.errors import NotFoundError


class DocumentNotFoundError(NotFoundError):
    code = "document_not_found"
