"""`crosscheck keys`: create (the key printed once, alone on stdout), list, revoke."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cli.main import app


def test_keys_cli_create_list_revoke(cli_env: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    created = runner.invoke(app, ["keys", "create", "--scope", "write", "--name", "ingest bot"])
    assert created.exit_code == 0, created.output
    raw_key = created.stdout.strip()  # stdout holds the key alone, for scripts
    assert raw_key.startswith("cc_") and "\n" not in raw_key
    assert "cannot be shown again" in created.stderr

    listed = runner.invoke(app, ["keys", "list"], terminal_width=200)
    assert listed.exit_code == 0, listed.output
    assert "ingest bot" in listed.stdout and "write" in listed.stdout
    assert raw_key[:12] in listed.stdout and raw_key not in listed.stdout

    revoked = runner.invoke(app, ["keys", "revoke", "1"])
    assert revoked.exit_code == 0, revoked.output
    active = runner.invoke(app, ["keys", "list", "--active"], terminal_width=200)
    assert "ingest bot" not in active.stdout
    assert runner.invoke(app, ["keys", "revoke", "99"]).exit_code == 2
    bad_scope = runner.invoke(app, ["keys", "create", "--scope", "root", "--name", "x"])
    assert bad_scope.exit_code == 2
