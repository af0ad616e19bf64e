"""Domain errors: each carries a stable code, a message, and the field at fault if any."""

from __future__ import annotations


class CrosscheckError(Exception):
    """Base of every error the service reports to a client."""

    code = "error"
    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFoundError(CrosscheckError):
    code = "not_found"
    status_code = 404


class ConflictError(CrosscheckError):
    code = "conflict"
    status_code = 409


class InvalidInputError(CrosscheckError):
    code = "invalid_input"
    status_code = 422


class UnsupportedMediaError(CrosscheckError):
    code = "unsupported_media_type"
    status_code = 415


class NotReadyError(CrosscheckError):
    code = "not_ready"
    status_code = 503


class PayloadTooLargeError(CrosscheckError):
    code = "payload_too_large"
    status_code = 413


class StorageFullError(CrosscheckError):
    """The disk (or quota) holding the database or the index is full: nothing was acknowledged."""

    code = "insufficient_storage"
    status_code = 507


class StorageBusyError(CrosscheckError):
    """Another writer held the database's write lock past the wait allowed: retry shortly."""

    code = "storage_busy"
    status_code = 503
    retry_after = 5


class StorageUnavailableError(CrosscheckError):
    """The database or the index could not be written (an I/O error): retry later."""

    code = "storage_unavailable"
    status_code = 503


class DeadlineExceededError(CrosscheckError):
    """The request's time budget ran out before its judging was done; nothing was changed."""

    code = "deadline_exceeded"
    status_code = 504


class ClientGoneError(CrosscheckError):
    """The client closed the connection: the work it asked for stopped (nobody reads this)."""

    code = "client_closed_request"
    status_code = 499
