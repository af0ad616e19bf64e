"""`crosscheck db`: migrations, after the settings are checked."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from crosscheck.settings import get_settings


def test_invalid_settings_fail_fast(cli_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CROSSCHECK_MODEL", str(cli_env / "no-such-model"))
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["db", "upgrade"])
    assert result.exit_code == 2
    assert "invalid settings" in result.output and "model" in result.output


def test_upgrade_then_downgrade_to_base(cli_env: Path) -> None:
    runner = CliRunner()
    upgraded = runner.invoke(app, ["db", "upgrade"])
    assert upgraded.exit_code == 0 and "database at revision head" in upgraded.output
    downgraded = runner.invoke(app, ["db", "downgrade", "base"])
    assert downgraded.exit_code == 0 and "database at revision base" in downgraded.output
