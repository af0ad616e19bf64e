"""wrk, the HTTP load generator both load benchmarks drive: install it, run a script, read it."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

# The end of every wrk script: one JSON line with the figures run_wrk reads. The scripts are
# filled in with %-formatting, hence the doubled percent signs.
REPORT_LUA = """
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %%d, "seconds": %%f, "p50": %%f, "p99": %%f, "connect": %%d, '
    .. '"read": %%d, "write": %%d, "status": %%d, "timeout": %%d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, e.connect, e.read, e.write, e.status, e.timeout))
end
"""
ERROR_KINDS = ("connect", "read", "write", "status", "timeout")


def ensure_wrk() -> str:
    """wrk's path, installing it with apt when it is missing."""
    found = shutil.which("wrk")
    if found:
        return found
    print("installing wrk (apt)...", flush=True)
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=False, capture_output=True)
    if shutil.which("wrk") is None:
        subprocess.run(["apt-get", "update", "-q"], check=False, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, capture_output=True)
    return shutil.which("wrk") or "wrk"


def run_wrk(
    script: Path, *, port: int, connections: int, duration: int, timeout: str
) -> dict[str, float]:
    """Run ``script`` (ending in REPORT_LUA) against the local server; its figures, with
    ``errors`` summed over every kind wrk counts."""
    completed = subprocess.run(
        [
            ensure_wrk(),
            f"-t{min(2, connections)}",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            timeout,
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(x for x in completed.stdout.splitlines() if x.startswith("WRKJSON "))
    data: dict[str, float] = json.loads(line.removeprefix("WRKJSON "))
    data["errors"] = sum(data[kind] for kind in ERROR_KINDS)
    return data
