"""Logging set-up shared by the server and the command line.

On a terminal, lines are readable (rich). Elsewhere (a container, a service manager, a pipe) each
record is one JSON object a line, for log collectors. Records logged while the API serves a
request carry its ``request_id`` (the ``X-Request-ID`` the API returns).
"""

from __future__ import annotations

import logging
import sys
from typing import Literal, TextIO

from asgi_correlation_id import CorrelationIdFilter
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter
from rich.console import Console
from rich.logging import RichHandler

QUIET_LOGGERS = ("faiss.loader", "sentence_transformers", "httpx", "alembic.runtime.plugins")

LogFormat = Literal["auto", "json", "text"]

# Log record attribute -> JSON key.
JSON_FIELDS = {
    "levelname": "level",
    "name": "logger",
    "correlation_id": "request_id",
}
# uvicorn repeats its message with terminal colours: not for a log collector.
NOT_LOGGED = ("color_message",)


class StandardErrorHandler(logging.StreamHandler[TextIO]):
    """Writes to the current ``sys.stderr``, which test and CLI runners replace for a while."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr  # emit runs under the handler's lock
        super().emit(record)


def json_formatter() -> JsonFormatter:
    """One JSON object per record: time, level, logger, message, request id and any extras."""
    return JsonFormatter(
        "{levelname}{name}{message}{correlation_id}",
        style="{",
        rename_fields=JSON_FIELDS,
        reserved_attrs=[*RESERVED_ATTRS, *NOT_LOGGED],
        timestamp="time",
    )


def wants_json(log_format: LogFormat, stream: TextIO) -> bool:
    if log_format == "auto":
        return not stream.isatty()
    return log_format == "json"


def configure_logging(
    level: str = "INFO", *, log_format: LogFormat = "auto", stream: TextIO | None = None
) -> None:
    """Send every logger's records to ``stream`` (stderr): JSON lines, or text on a terminal."""
    target = stream if stream is not None else sys.stderr
    handler: logging.Handler
    if wants_json(log_format, target):
        handler = logging.StreamHandler(stream) if stream is not None else StandardErrorHandler()
        handler.setFormatter(json_formatter())
    else:
        console = Console(stderr=True) if stream is None else Console(file=stream)
        handler = RichHandler(console=console, show_path=False)
        handler.setFormatter(logging.Formatter("%(name)s: %(message)s", datefmt="[%X]"))
    handler.addFilter(CorrelationIdFilter(default_value=None))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
