"""The dependency parser: spaCy's English model in a worker process of its own, over pipes.

spaCy 2.3 needs numpy<2 and crosscheck numpy 2, so the model runs under .venv-parser's python
(``make install``) as ``parser_worker.py``, which speaks JSON lines.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import select
import subprocess
import threading
import time
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

WORKER = Path(__file__).resolve().with_name("parser_worker.py")
DEFAULT_INTERPRETER = Path(__file__).resolve().parents[2] / ".venv-parser" / "bin" / "python"
MAX_TEXT_CHARS = 5_000  # longer texts are cut: a sentence is far shorter
MAX_TEXTS = 500  # per request to the worker; parse() sends longer lists in chunks
# Also per request: about 4 s of parsing at 50,000 characters a second on one core, far inside
# the timeout (500 texts of 5,000 characters would take most of it).
MAX_REQUEST_CHARS = 200_000
READ_TIMEOUT_SECONDS = 60.0
# spaCy 2 keeps every new word it meets in its vocabulary, so a worker grows as it reads; a
# fresh one (0.7 s to start) is cheaper than the memory.
RECYCLE_AFTER_TEXTS = 100_000
_STOP_GRACE_SECONDS = 2.0
_QUOTE_MARKS = frozenset("\"“”‘’'")
# The model splits "baby’s" wrongly and then misparses the sentence; it was trained on ASCII
# apostrophes. One character for one, so every offset into the text still holds.
_ASCII_APOSTROPHES = str.maketrans({"’": "'", "‘": "'"})


class ParserUnavailableError(RuntimeError):
    """The parser worker could not start, stopped answering, or answered something unreadable."""


class _WorkerGoneError(Exception):
    """The worker exited or closed its pipes: worth one restart."""


@dataclass(frozen=True)
class ParsedToken:
    """One token: its place in the text, tag, dependency to its head (an index), entity, lemma."""

    i: int
    text: str
    start: int
    tag: str
    dep: str
    head: int
    ent_type: str
    ent_iob: str
    lemma: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def is_punct(self) -> bool:
        return self.dep == "punct" or self.text in _QUOTE_MARKS or self.tag in {",", ".", ":"}


@dataclass(frozen=True)
class ParsedEntity:
    """A named entity (PERSON, ORG, GPE, NORP, ...) with its character offsets."""

    text: str
    label: str
    start: int
    end: int


@dataclass(frozen=True)
class ParsedSentence:
    """A parsed text: its tokens, each pointing at its head (a root at itself), and its entities."""

    text: str
    tokens: tuple[ParsedToken, ...]
    entities: tuple[ParsedEntity, ...]

    @cached_property
    def _children(self) -> dict[int, list[ParsedToken]]:
        children: dict[int, list[ParsedToken]] = {}
        for token in self.tokens:
            if token.head != token.i:
                children.setdefault(token.head, []).append(token)
        return children

    def children(self, token: ParsedToken) -> list[ParsedToken]:
        """The tokens whose head is ``token``, in text order."""
        return self._children.get(token.i, [])

    def subtree(self, token: ParsedToken, skip: Collection[str] = ()) -> list[ParsedToken]:
        """``token`` and its descendants in text order, less branches whose dep is in ``skip``."""
        found = [token]
        stack = [token]
        while stack:
            for child in self.children(stack.pop()):
                if child.dep not in skip:
                    found.append(child)
                    stack.append(child)
        return sorted(found, key=lambda t: t.i)

    def root_of(self, token: ParsedToken) -> ParsedToken:
        """The root of the tree that holds ``token`` (a text may hold several)."""
        return self.ancestors(token)[-1]

    def depth(self, token: ParsedToken) -> int:
        """How many heads lie between ``token`` and its root."""
        return len(self.ancestors(token)) - 1

    def ancestors(self, token: ParsedToken) -> list[ParsedToken]:
        """``token``, its head, and so on up to the root."""
        chain = [token]
        while token.head != token.i and len(chain) <= len(self.tokens):
            token = self.tokens[token.head]
            chain.append(token)
        return chain

    def tokens_of(self, entity: ParsedEntity) -> list[ParsedToken]:
        return [t for t in self.tokens if entity.start <= t.start < entity.end]


def _decode(text: str, doc: Any) -> ParsedSentence:
    """A worker's doc over ``text``; token and entity texts are taken from ``text`` as written."""
    tokens = tuple(
        ParsedToken(
            i, text[idx : idx + len(w)], idx, str(tag), str(dep), head, str(et), str(iob), str(lm)
        )
        for i, (w, idx, tag, dep, head, et, iob, lm) in enumerate(doc["tokens"])
    )
    entities = tuple(
        ParsedEntity(text[start:end], str(label), start, end)
        for _, label, start, end in doc["ents"]
    )
    offsets = [(t.start, t.end) for t in tokens] + [(e.start, e.end) for e in entities]
    if not all(
        isinstance(a, int) and isinstance(b, int) and 0 <= a <= b <= len(text) for a, b in offsets
    ):
        raise ValueError("an offset lies outside its text")
    if not all(isinstance(t.head, int) and 0 <= t.head < len(tokens) for t in tokens):
        raise ValueError("a token's head lies outside its text")
    return ParsedSentence(text, tokens, entities)


def _requests(texts: list[str]) -> Iterator[list[str]]:
    """``texts`` in consecutive runs within the per-request limits."""
    chunk: list[str] = []
    size = 0
    for text in texts:
        if chunk and (len(chunk) == MAX_TEXTS or size + len(text) > MAX_REQUEST_CHARS):
            yield chunk
            chunk, size = [], 0
        chunk.append(text)
        size += len(text)
    if chunk:
        yield chunk


class DependencyParser:
    """spaCy's English parser in a worker process, started on first use; safe across threads."""

    def __init__(
        self,
        interpreter: Path,
        *,
        worker: Path = WORKER,
        timeout_seconds: float = READ_TIMEOUT_SECONDS,
    ) -> None:
        self.interpreter = interpreter
        self.model: dict[str, str] = {}  # spaCy's and the model's versions, from the worker
        self._worker = worker
        self._timeout = timeout_seconds
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._pending = bytearray()
        self._texts_parsed = 0  # by the current worker

    @property
    def pid(self) -> int | None:
        """The worker's process id, None before it starts."""
        return self._process.pid if self._process else None

    def start(self) -> None:
        """Start the worker now rather than on the first parse."""
        with self._lock:
            self._running()

    def parse(self, texts: Sequence[str]) -> list[ParsedSentence]:
        """The parse of each text (cut at 5,000 characters), in order, sent in requests of at
        most 500 texts and 200,000 characters."""
        parsed: list[ParsedSentence] = []
        with self._lock:
            for chunk in _requests([text[:MAX_TEXT_CHARS] for text in texts]):
                if self._texts_parsed >= RECYCLE_AFTER_TEXTS:
                    self._stop(_STOP_GRACE_SECONDS)
                parsed.extend(self._parse_chunk(chunk))
                self._texts_parsed += len(chunk)
        return parsed

    def close(self) -> None:
        """Stop the worker; a later parse starts a new one."""
        with self._lock:
            self._stop(_STOP_GRACE_SECONDS)

    def __enter__(self) -> DependencyParser:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _parse_chunk(self, texts: list[str]) -> list[ParsedSentence]:
        sent = [text.translate(_ASCII_APOSTROPHES) for text in texts]
        request = json.dumps({"texts": sent}, ensure_ascii=False).encode() + b"\n"
        try:
            answer = self._exchange(request)
        except _WorkerGoneError:
            self._stop()  # one restart; a worker that dies again on the same texts is not retried
            try:
                answer = self._exchange(request)
            except _WorkerGoneError as exc:
                self._stop()
                raise ParserUnavailableError(f"the parser worker died twice: {exc}") from None
        docs = answer.get("docs")
        try:
            if not isinstance(docs, list) or len(docs) != len(texts):
                raise ValueError(f"expected {len(texts)} docs, got {answer!r:.200}")
            return [_decode(text, doc) for text, doc in zip(texts, docs, strict=True)]
        except (KeyError, TypeError, ValueError) as exc:
            self._stop()
            raise ParserUnavailableError(f"the parser worker answered nonsense: {exc}") from exc

    def _exchange(self, request: bytes) -> dict[str, Any]:
        process = self._running()
        assert process.stdin is not None
        try:
            process.stdin.write(request)
            process.stdin.flush()
        except OSError as exc:  # BrokenPipeError, mostly
            raise _WorkerGoneError(f"writing to it failed: {exc}") from exc
        return self._read_message(process)

    def _running(self) -> subprocess.Popen[bytes]:
        """The live worker, started if there is none; ParserUnavailableError if it cannot be."""
        if self._process is not None:
            if self._process.poll() is None:
                return self._process
            self._stop()
            raise _WorkerGoneError("it had exited")
        try:
            self._process = subprocess.Popen(
                # -I: the worker sees neither PYTHON* variables nor this package's folder.
                [str(self.interpreter), "-I", str(self._worker)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,  # failures come back as {"error": ...} lines
            )
        except OSError as exc:
            raise ParserUnavailableError(f"cannot run {self.interpreter}: {exc}") from exc
        try:
            ready = self._read_message(self._process).get("ready")
        except _WorkerGoneError as exc:
            self._stop()
            raise ParserUnavailableError(f"the parser worker did not start: {exc}") from None
        if not isinstance(ready, dict):
            self._stop()
            raise ParserUnavailableError(f"the parser worker did not start: {ready!r:.200}")
        self.model = {str(k): str(v) for k, v in ready.items()}
        return self._process

    def _read_message(self, process: subprocess.Popen[bytes]) -> dict[str, Any]:
        """The worker's next line as JSON, within the timeout; an {"error"} line raises."""
        line = self._read_line(process)
        try:
            message = json.loads(line)
        except ValueError:
            message = None
        if not isinstance(message, dict):
            self._stop()
            raise ParserUnavailableError(f"the parser worker answered nonsense: {line!r:.200}")
        if "error" in message:
            self._stop()
            raise ParserUnavailableError(f"the parser worker failed: {message['error']}")
        return message

    def _read_line(self, process: subprocess.Popen[bytes]) -> bytes:
        # Raw reads under select, so that the deadline holds for the whole line, however long.
        assert process.stdout is not None
        fd = process.stdout.fileno()
        deadline = time.monotonic() + self._timeout
        searched = 0
        while (end := self._pending.find(b"\n", searched)) < 0:
            searched = len(self._pending)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self._stop()
                raise ParserUnavailableError(
                    f"the parser worker gave no answer within {self._timeout:g} s; it was stopped"
                )
            readable, _, _ = select.select([fd], [], [], remaining)
            if readable:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    raise _WorkerGoneError(f"it exited (status {process.poll()})")
                self._pending += chunk
        line = bytes(self._pending[:end])
        del self._pending[: end + 1]
        return line

    def _stop(self, grace_seconds: float = 0.0) -> None:
        """End the worker: it exits at the end of its input, else within the grace it is killed."""
        process, self._process = self._process, None
        self._pending.clear()
        self._texts_parsed = 0
        if process is None:
            return
        for pipe in (process.stdin, process.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):  # a dead worker's pipe: nothing to flush
                    pipe.close()
        try:
            process.wait(grace_seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


_defaults: dict[Path, DependencyParser] = {}
_defaults_lock = threading.Lock()


def default_parser(interpreter: Path | None = None) -> DependencyParser | None:
    """The process-wide parser of ``interpreter`` (default: the repository's
    .venv-parser/bin/python), or None where it is not installed. One worker serves every
    runtime of the process; it stops when the process exits."""
    interpreter = interpreter or DEFAULT_INTERPRETER
    if not os.access(interpreter, os.X_OK):
        return None
    with _defaults_lock:
        if interpreter not in _defaults:
            _defaults[interpreter] = DependencyParser(interpreter)
            atexit.register(_defaults[interpreter].close)
        return _defaults[interpreter]
