"""Attribution scores on the hand-keyed articles: statements found, sources right, non-claims kept.

Usage: python bench/attribution.py [--by-cue] [--misses] [--speed] [folder ...]
(default: fixtures/articles, the articles the rules were first built on; then
fixtures/articles-heldout, fixtures/articles-dev and fixtures/articles-eval, written apart and
scored apart). Each folder is scored with the rules alone and, where the dependency parser is
installed, with its second reading. --speed times a 2,000-word article and reports the parser's
memory.
"""

from __future__ import annotations

import argparse
import resource
import time
from collections import Counter
from functools import partial
from pathlib import Path

from crosscheck.attribution.extractor import extract_statements
from crosscheck.attribution.parser import DependencyParser, default_parser
from crosscheck.attribution.scoring import Extract, KeyScore, score_folder
from crosscheck.attribution.second_reading import read_statements

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FOLDERS = [
    ROOT / "fixtures" / "articles",
    ROOT / "fixtures" / "articles-heldout",
    ROOT / "fixtures" / "articles-dev",
    ROOT / "fixtures" / "articles-eval",
]


def _print_folder(label: str, scores: dict[str, KeyScore], *, by_cue: bool, misses: bool) -> None:
    statements = sum(s.statements for s in scores.values())
    found = sum(s.found for s in scores.values())
    attributed = sum(s.attributed for s in scores.values())
    kept = sum(len(s.non_claims_extracted) for s in scores.values())
    print(f"{label}: {len(scores)} articles, {statements} keyed statements")
    for name, score in scores.items():
        found_of = f"{score.found}/{score.statements}"
        print(f"  {name}: found {found_of}, attributed {score.attributed}/{score.found}")
        for line in score.misattributed if misses else []:
            print(f"      wrong: {line}")
    print(
        f"  found {found / max(statements, 1):.1%}, "
        f"attributed right {attributed / max(found, 1):.1%}, "
        f"found and right {attributed / max(statements, 1):.1%}, non-claims stored {kept}"
    )
    if by_cue:
        found_by: Counter[str] = sum((s.found_by_cue for s in scores.values()), Counter())
        right_by: Counter[str] = sum((s.right_by_cue for s in scores.values()), Counter())
        for cue, count in found_by.most_common():
            print(f"    cue {cue!r}: {right_by[cue]}/{count} right = {right_by[cue] / count:.1%}")


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _speed(parser: DependencyParser | None) -> None:
    """Articles per second for one 2,000-word article made of keyed articles, both readings."""
    words: list[str] = []
    for path in sorted((ROOT / "fixtures" / "articles").glob("*.txt")):
        words.extend(path.read_text().split(" "))
        if len(" ".join(words).split()) >= 2000:
            break
    article = " ".join(words)
    publisher = article.splitlines()[0]
    print(f"speed: one article of {len(article.split())} words")
    readings: list[tuple[str, Extract]] = [("rules alone", extract_statements)]
    if parser is not None:
        readings.append(("with the parser", partial(read_statements, parser=parser)))
    for label, extract in readings:
        extract(article, publisher)  # warm: the worker starts, the model loads
        runs, started = 5, time.perf_counter()
        for _ in range(runs):
            extract(article, publisher)
        elapsed = (time.perf_counter() - started) / runs
        print(f"  {label}: {elapsed * 1000:.0f} ms per article = {1 / elapsed:.1f} articles/s")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  this process peak RSS {own:.0f} MiB")
    if parser is not None and parser.pid is not None:
        print(f"  parser worker RSS {_rss_mib(parser.pid):.0f} MiB (the memory the parser adds)")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--by-cue", action="store_true", help="accuracy by attribution cue")
    parser.add_argument("--misses", action="store_true", help="list misattributed statements")
    parser.add_argument("--speed", action="store_true", help="time a 2,000-word article")
    parser.add_argument("folders", nargs="*", type=Path)
    args = parser.parse_args()
    dependency_parser = default_parser()
    if dependency_parser is None:
        print("dependency parser not installed (make install builds .venv-parser): rules only")
    for folder in args.folders or [f for f in DEFAULT_FOLDERS if f.is_dir()]:
        readings: list[tuple[str, Extract]] = [("rules alone", extract_statements)]
        if dependency_parser is not None:
            reading = partial(read_statements, parser=dependency_parser)
            readings.append(("rules + parser", reading))
        for label, extract in readings:
            scores = score_folder(folder, extract)
            _print_folder(
                f"{folder.name} ({label})", scores, by_cue=args.by_cue, misses=args.misses
            )
    if args.speed:
        _speed(dependency_parser)


if __name__ == "__main__":
    main()
