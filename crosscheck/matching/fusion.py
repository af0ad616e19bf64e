"""Reciprocal rank fusion: several rankings made one, by rank alone (scores need no scaling)."""

from __future__ import annotations

from collections.abc import Sequence

# Chosen on the CheckThat! 2020 train tweets (k 5, 10, 20, 60: 10 best; dev agrees).
RRF_K = 10


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[int]], *, k: int = RRF_K
) -> list[tuple[int, float]]:
    """Ids by the sum over rankings of 1 / (k + rank), best first (ties: first seen first)."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(fused.items(), key=lambda pair: -pair[1])
