"""Work a server spends on a request after its client left, and a request past its time budget.

Usage: python bench/abandoned.py [--aliases 30] [--leave-after 1.0] [--budget 2.0]
       [--work-dir var/bench-abandoned]

Starts `crosscheck serve` on the demo data (stance graph off, so every candidate is judged
live) and sends one GraphQL operation of ``--aliases`` verifications of different texts
(``topK: 50``, within the default cost maximum). It prints, from the server's request log:
- the operation answered in full (the client waits): its server time;
- the same work, client gone after ``--leave-after`` s: the server time of the abandoned request
  (before work stopped on a hang-up, this equalled the full time);
- the same work under a ``--budget`` s time budget: how long until the answer, its error codes
  (DEADLINE_EXCEEDED expected) and how many verifications it still holds.
Each run asks for texts not asked before, so no judgement cache helps it. Figures only.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serving import BIN, free_port, server

TEXTS = [
    "North Korean soldiers are in Russia",
    "Tap water in Riverton is safe to drink",
    "Twelve people needed hospital treatment after the leak",
    "The bridge will reopen next month",
    "Pyongyang has sent troops to fight in Ukraine",
]


def _operation(aliases: int, run: int) -> str:
    fields = " ".join(
        f'v{i}: verify(text: "{TEXTS[i % len(TEXTS)]} (run {run}, variant {i})", topK: 50)'
        " { verdict }"
        for i in range(aliases)
    )
    return "{ " + fields + " }"


def _server_ms(log: Path, request_id: str) -> float:
    """The logged duration of the request with ``request_id``."""
    for line in reversed(log.read_text().splitlines()):
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue
        if entry.get("request_id") == request_id and "duration_ms" in entry:
            return float(entry["duration_ms"])
    raise RuntimeError(f"no request {request_id} in {log}")


def _leave_early(port: int, query: str, leave_after: float, request_id: str) -> None:
    """POST ``query`` over a raw socket and hang up after ``leave_after`` seconds."""
    body = json.dumps({"query": query}).encode()
    head = (
        f"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        f"X-Request-ID: {request_id}\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.sendall(head + body)
        time.sleep(leave_after)


def _wait_for_log(log: Path, request_id: str, timeout: float = 600) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            return _server_ms(log, request_id)
        except RuntimeError:
            time.sleep(0.1)
    raise RuntimeError(f"request {request_id} not logged within {timeout} s")


def _run(env: dict[str, str], log: Path, args: argparse.Namespace, *, budget: bool) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/graphql"
    with server(env, port, log):
        httpx.post(url, json={"query": _operation(1, 0)}, timeout=120)  # warm the judge
        if not budget:
            started = time.perf_counter()
            answer = httpx.post(
                url,
                json={"query": _operation(args.aliases, 1)},
                headers={"X-Request-ID": "bench-full"},
                timeout=600,
            )
            waited = time.perf_counter() - started
            assert not answer.json().get("errors"), answer.text
            server_s = _server_ms(log, "bench-full") / 1000
            print(f"answered in full:        {waited:7.2f} s (server {server_s:.2f} s)")
            _leave_early(port, _operation(args.aliases, 2), args.leave_after, "bench-gone")
            after = _wait_for_log(log, "bench-gone") / 1000
            print(
                f"client gone after {args.leave_after:.1f} s: server stopped at {after:7.2f} s "
                f"({after - args.leave_after:.2f} s after the hang-up)"
            )
            return
        started = time.perf_counter()
        answer = httpx.post(url, json={"query": _operation(args.aliases, 3)}, timeout=600)
        waited = time.perf_counter() - started
        body = answer.json()
        codes = sorted({e.get("extensions", {}).get("code") for e in body.get("errors") or []})
        answered = sum(1 for value in (body.get("data") or {}).values() if value is not None)
        print(
            f"time budget {args.budget:.1f} s:         answered in {waited:7.2f} s with errors "
            f"{codes}; {answered} of {args.aliases} verifications in data"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aliases", type=int, default=30)
    parser.add_argument("--leave-after", type=float, default=1.0)
    parser.add_argument("--budget", type=float, default=2.0)
    parser.add_argument("--work-dir", type=Path, default=Path("var/bench-abandoned"))
    args = parser.parse_args()
    shutil.rmtree(args.work_dir, ignore_errors=True)
    args.work_dir.mkdir(parents=True)
    env = {
        **os.environ,
        "CROSSCHECK_DATABASE_URL": f"sqlite:///{args.work_dir / 'crosscheck.db'}",
        "CROSSCHECK_INDEX_DIR": str(args.work_dir / "index"),
        "CROSSCHECK_STANCE_GRAPH": "false",
        "CROSSCHECK_LOG_FORMAT": "json",
        "CROSSCHECK_RATE_LIMIT_READ": "100000/minute",
    }
    for command in (["db", "upgrade"], ["demo"]):
        subprocess.run(
            [str(BIN / "crosscheck"), *command], env=env, check=True, capture_output=True
        )
    _run(env, args.work_dir / "server.log", args, budget=False)
    budgeted = {**env, "CROSSCHECK_REQUEST_DEADLINE_SECONDS": str(args.budget)}
    _run(budgeted, args.work_dir / "server-budget.log", args, budget=True)


if __name__ == "__main__":
    main()
