"""Scoring extraction against a hand-made answer key: recall of statements, accuracy of sources."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crosscheck.attribution.extractor import ExtractedStatement, extract_statements
from crosscheck.textnorm import name_key


@dataclass
class KeyScore:
    """How extraction did on one article."""

    statements: int = 0
    found: int = 0
    attributed: int = 0
    misattributed: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    non_claims_extracted: list[str] = field(default_factory=list)
    # keyed statements found, and those attributed right, by the cue their attribution rests on
    found_by_cue: Counter[str] = field(default_factory=Counter)
    right_by_cue: Counter[str] = field(default_factory=Counter)


def _key(name: str) -> str:
    """A name as compared with the key: curly apostrophes and a leading "the" ignored."""
    return name_key(name.replace("\u2019", "'")).removeprefix("the ")


def _names_for(key: dict[str, Any], source: str) -> set[str]:
    names = {_key(source)}
    for entry in key["sources"]:
        if _key(entry["name"]) == _key(source):
            names |= {_key(alias) for alias in entry.get("aliases", [])}
    return names


def _same_source(
    extracted: ExtractedStatement, expected: dict[str, Any], key: dict[str, Any]
) -> bool:
    accepted = _names_for(key, expected["source"])
    if expected.get("speaker"):
        accepted.add(_key(expected["speaker"]))
    said = {_key(extracted.source)} | ({_key(extracted.person)} if extracted.person else set())
    return bool(said & accepted) or any(
        a in s or s in a for a in accepted for s in said if min(len(a), len(s)) >= 4
    )


Extract = Callable[[str, str], list[ExtractedStatement]]


def score_article(
    text: str, key: dict[str, Any], extract: Extract = extract_statements
) -> KeyScore:
    statements = extract(text, key["publisher"])
    score = KeyScore(statements=len(key["statements"]))
    for expected in key["statements"]:
        start = text.index(expected["quote"])
        end = start + len(expected["quote"])
        overlapping = [s for s in statements if s.start < end and start < s.end]
        if not overlapping:
            score.missed.append(expected["quote"])
            continue
        score.found += 1
        cue = overlapping[0].cue.value
        score.found_by_cue[cue] += 1
        if any(_same_source(s, expected, key) for s in overlapping):
            score.attributed += 1
            score.right_by_cue[cue] += 1
        else:
            got = ", ".join(sorted({s.source for s in overlapping}))
            score.misattributed.append(f"{expected['source']} <- {got}: {expected['quote'][:60]}")
    for quote in key.get("not_claims", []):
        start = text.index(quote)
        end = start + len(quote)
        if any(s.start < end and start < s.end for s in statements):
            score.non_claims_extracted.append(quote)
    return score


def score_folder(folder: Path, extract: Extract = extract_statements) -> dict[str, KeyScore]:
    """Scores for every ``*.key.json`` in ``folder`` against its ``.txt`` article."""
    results = {}
    for key_path in sorted(folder.glob("*.key.json")):
        article = key_path.with_name(key_path.name.removesuffix(".key.json") + ".txt")
        key = json.loads(key_path.read_text())
        results[article.stem] = score_article(article.read_text(), key, extract)
    return results
