"""The commands run in-process (typer's runner) against a real SQLite file of their own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crosscheck.settings import get_settings
from tests.crosscheck.training.benchmarks import write_benchmarks


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Settings from the environment, as a command reads them: a new database and index."""
    monkeypatch.setenv("CROSSCHECK_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("CROSSCHECK_INDEX_DIR", str(tmp_path / "index"))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


@pytest.fixture
def benchmark_dir(tmp_path: Path) -> Path:
    """FNC-1, SICK and Emergent files with a few rows each, in their real formats."""
    return write_benchmarks(tmp_path)
