"""Logging set-up shared by the server and the command line."""

from __future__ import annotations

import logging

from rich.console import Console
from rich.logging import RichHandler

QUIET_LOGGERS = ("faiss.loader", "sentence_transformers", "httpx", "alembic.runtime.plugins")


def configure_logging(level: str = "INFO") -> None:
    logging.basicConfig(
        level=level,
        format="%(name)s: %(message)s",
        datefmt="[%X]",
        handlers=[RichHandler(console=Console(stderr=True), show_path=False)],
        force=True,
    )
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
