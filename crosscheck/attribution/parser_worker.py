"""The dependency parser's worker process: JSON lines in, parses out.

Runs under .venv-parser's python (spaCy 2.3 and en_core_web_sm, which need numpy<2), never in
crosscheck's own environment, so it imports only the standard library and the model. The
protocol, one line each way (``parser.py`` is the client):

- on start: ``{"ready": {"spacy": ..., "model": ..., "version": ...}}`` or ``{"error": ...}``;
- per request ``{"texts": [str, ...]}``: ``{"docs": [{"tokens": [[text, idx, tag, dep, head,
  ent_type, ent_iob, lemma], ...], "ents": [[text, label, start_char, end_char], ...]}, ...]}``,
  where ``head`` is the index of the head token in the same doc; a bad request gets
  ``{"error": ...}``.

It exits at the end of its input.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import warnings
from collections.abc import Iterator
from typing import IO, Any

MAX_TEXT_CHARS = 5_000
MAX_TEXTS = 500

# W031: the model's meta asks for spaCy <2.3; 2.3 loads it unchanged.
warnings.filterwarnings("ignore", message=r".*\[W031\]")


def _protocol_channel() -> IO[str]:
    """The real stdout, for answers only; anything else printed goes to stderr instead."""
    channel = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr
    return channel


def _send(channel: IO[str], message: dict[str, Any]) -> None:
    channel.write(json.dumps(message, ensure_ascii=False) + "\n")
    channel.flush()


def _doc_to_json(doc: Any) -> dict[str, list[list[Any]]]:
    tokens = [
        [t.text, t.idx, t.tag_, t.dep_, t.head.i, t.ent_type_, t.ent_iob_, t.lemma_] for t in doc
    ]
    ents = [[e.text, e.label_, e.start_char, e.end_char] for e in doc.ents]
    return {"tokens": tokens, "ents": ents}


def _texts_of(line: str) -> list[str]:
    """The texts of one request, capped; ValueError when the line is not a request."""
    request = json.loads(line)
    texts = request.get("texts") if isinstance(request, dict) else None
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        raise ValueError('a request is {"texts": [str, ...]}')
    return [t[:MAX_TEXT_CHARS] for t in texts[:MAX_TEXTS]]


def _requests(stream: IO[str]) -> Iterator[str]:
    for line in stream:
        if line.strip():
            yield line


def main() -> int:
    """Answer requests from stdin until it closes."""
    channel = _protocol_channel()
    try:
        spacy = importlib.import_module("spacy")
        # The model lives in .venv-parser only; it is imported by name, not as a dependency.
        nlp = importlib.import_module("en_core_web_sm").load()
    except Exception as exc:  # any failure to load is reported to the client, which gives up
        _send(channel, {"error": f"the parser could not load: {type(exc).__name__}: {exc}"})
        return 1
    model = f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}"
    ready = {"spacy": spacy.__version__, "model": model, "version": nlp.meta.get("version")}
    _send(channel, {"ready": ready})
    for line in _requests(sys.stdin):
        try:
            texts = _texts_of(line)
        except ValueError as exc:
            _send(channel, {"error": f"bad request: {exc}"})
            continue
        _send(channel, {"docs": [_doc_to_json(doc) for doc in nlp.pipe(texts)]})
    return 0


if __name__ == "__main__":
    sys.exit(main())
