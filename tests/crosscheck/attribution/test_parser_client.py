"""The parser client against stand-in workers that misbehave: it gives up clearly, never hangs."""

from __future__ import annotations

import sys
import textwrap
import time
from pathlib import Path

import pytest

from crosscheck.attribution import parser as parser_module
from crosscheck.attribution.parser import (
    MAX_TEXT_CHARS,
    DependencyParser,
    ParsedSentence,
    ParserUnavailableError,
    default_parser,
)

READY = 'print(\'{"ready": {"spacy": "0", "model": "stand-in", "version": "0"}}\', flush=True)'
# Answers each request with one token per text, the whole text, tagged with the request's number.
ECHO = """
import json, sys
for n, line in enumerate(sys.stdin):
    texts = json.loads(line)["texts"]
    docs = [{"tokens": [[t, 0, str(n), "ROOT", 0, "", "O", t]], "ents": []} for t in texts]
    print(json.dumps({"docs": docs}), flush=True)
"""


def stand_in(tmp_path: Path, body: str) -> DependencyParser:
    worker = tmp_path / "worker.py"
    worker.write_text(textwrap.dedent(body))
    return DependencyParser(Path(sys.executable), worker=worker, timeout_seconds=1)


def test_a_missing_interpreter_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ParserUnavailableError, match="cannot run"):
        DependencyParser(tmp_path / "no-python").parse(["Hello."])


def test_a_worker_that_fails_to_load_says_why(tmp_path: Path) -> None:
    parser = stand_in(tmp_path, 'print(\'{"error": "no model here"}\', flush=True)')
    with pytest.raises(ParserUnavailableError, match="no model here"):
        parser.parse(["Hello."])


def test_a_silent_worker_is_stopped_after_the_timeout(tmp_path: Path) -> None:
    parser = stand_in(tmp_path, "import time\ntime.sleep(60)")
    started = time.monotonic()
    with pytest.raises(ParserUnavailableError, match="no answer within 1 s"):
        parser.parse(["Hello."])
    assert time.monotonic() - started < 10
    assert parser.pid is None  # killed, not left behind


def test_a_worker_that_hangs_on_a_request_is_stopped(tmp_path: Path) -> None:
    parser = stand_in(tmp_path, f"{READY}\nimport time\ntime.sleep(60)")
    with pytest.raises(ParserUnavailableError, match="no answer"):
        parser.parse(["Hello."])


def test_garbage_is_refused(tmp_path: Path) -> None:
    parser = stand_in(tmp_path, f"{READY}\ninput()\nprint('not json', flush=True)")
    with pytest.raises(ParserUnavailableError, match="nonsense"):
        parser.parse(["Hello."])


def test_a_worker_that_dies_on_every_request_is_given_up_on(tmp_path: Path) -> None:
    parser = stand_in(tmp_path, f"{READY}\ninput()\nraise SystemExit(3)")
    with pytest.raises(ParserUnavailableError, match="died twice"):
        parser.parse(["Hello."])


def request_numbers(parsed: list[ParsedSentence]) -> list[int]:
    return [int(p.tokens[0].tag) for p in parsed]


def test_texts_are_cut_and_sent_in_order(tmp_path: Path) -> None:
    with stand_in(tmp_path, READY + ECHO) as parser:
        parsed = parser.parse(["x" * (MAX_TEXT_CHARS + 10), "short"])
        assert parser.model["model"] == "stand-in"
        assert [len(p.text) for p in parsed] == [MAX_TEXT_CHARS, 5]
        assert parser.parse([]) == []


def test_requests_hold_at_most_so_many_texts_and_characters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parser_module, "MAX_TEXTS", 2)
    monkeypatch.setattr(parser_module, "MAX_REQUEST_CHARS", 8)
    with stand_in(tmp_path, READY + ECHO) as parser:
        parsed = parser.parse(["a", "b", "c", "12345", "6789", "d"])
    assert [p.text for p in parsed] == ["a", "b", "c", "12345", "6789", "d"]
    assert request_numbers(parsed) == [0, 0, 1, 1, 2, 2]


def test_a_worker_is_replaced_after_so_many_texts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parser_module, "RECYCLE_AFTER_TEXTS", 3)
    with stand_in(tmp_path, READY + ECHO) as parser:
        parser.parse(["a", "b"])
        first = parser.pid
        parser.parse(["c"])
        assert parser.pid == first
        assert request_numbers(parser.parse(["d"])) == [0]  # a new worker's first request
        assert parser.pid != first


def test_no_parser_where_its_interpreter_is_missing(tmp_path: Path) -> None:
    assert default_parser(tmp_path / "no-python") is None
