"""Attribution scores on the hand-keyed articles: statements found, sources right, non-claims kept.

Usage: python bench/attribution.py [folder ...]
(default: fixtures/articles, then fixtures/articles-heldout)
"""

from __future__ import annotations

import sys
from pathlib import Path

from crosscheck.attribution.scoring import score_folder

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FOLDERS = [ROOT / "fixtures" / "articles", ROOT / "fixtures" / "articles-heldout"]


def main() -> None:
    folders = [Path(arg) for arg in sys.argv[1:]] or DEFAULT_FOLDERS
    for folder in folders:
        scores = score_folder(folder)
        statements = sum(s.statements for s in scores.values())
        found = sum(s.found for s in scores.values())
        attributed = sum(s.attributed for s in scores.values())
        kept = sum(len(s.non_claims_extracted) for s in scores.values())
        print(f"{folder.name}: {len(scores)} articles, {statements} keyed statements")
        for name, score in scores.items():
            found_of = f"{score.found}/{score.statements}"
            print(f"  {name}: found {found_of}, attributed {score.attributed}/{score.found}")
        print(
            f"  found {found / statements:.1%}, attributed right {attributed / max(found, 1):.1%}, "
            f"non-claims stored {kept}"
        )


if __name__ == "__main__":
    main()
