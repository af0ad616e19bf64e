"""The training tests' benchmark folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.crosscheck.training.benchmarks import write_benchmarks


@pytest.fixture
def benchmark_dir(tmp_path: Path) -> Path:
    """FNC-1, SICK and Emergent files with a few rows each, in their real formats."""
    return write_benchmarks(tmp_path)
