"""All the labelled pairs under a data folder, each with its dataset, topic and split."""

from __future__ import annotations

from pathlib import Path

from crosscheck.stance.evidence import split_sentences
from crosscheck.stance.preparation import EvidencePreparer
from crosscheck.stance.training.contrastive import from_articles
from crosscheck.stance.training.datasets import (
    StancePair,
    load_emergent,
    load_fnc1,
    load_sick,
)
from crosscheck.stance.training.negatives import other_topic_pairs
from crosscheck.stance.training.same_story import same_story_pairs
from crosscheck.stance.training.sentence_pairs import load_sentence_pairs

# Sets whose evidence is a whole article rather than one statement.
ARTICLE_DATASETS = frozenset({"fnc1"})
# Dev statements paired with another dev topic's: how often a side is taken on another matter.
DEV_OTHER_TOPIC_PAIRS = 2000
# Dev statement pairs from one dev story's body: how often a side is taken on a shared topic.
DEV_SAME_STORY_PAIRS = 1000


def load_all(data_dir: Path) -> list[StancePair]:
    """Every pair under ``data_dir``: fnc1/, sick/, emergent/, and snli/ and nli/ where present."""
    return [
        *load_fnc1(data_dir / "fnc1"),
        *load_sick(data_dir / "sick"),
        *load_emergent(data_dir / "emergent"),
        *load_sentence_pairs(data_dir),
    ]


def dev_pairs(
    data_dir: Path, *, seed: int = 13, preparer: EvidencePreparer | None = None
) -> list[StancePair]:
    """The dev split of every dataset, with the contrastive pairs edited from dev stories and,
    given a ``preparer`` (to find near statements), dev statements paired across topics and
    within one story."""
    pairs = load_all(data_dir)
    dev = [pair for pair in pairs if pair.split == "dev"]
    articles = [pair for pair in dev if pair.dataset in ARTICLE_DATASETS]
    edited = from_articles(articles, split_sentences, seed=seed)
    if preparer is None:
        return [*dev, *edited]
    statements = [pair for pair in [*dev, *edited] if pair.dataset not in ARTICLE_DATASETS]
    other = other_topic_pairs(statements, preparer, count=DEV_OTHER_TOPIC_PAIRS, seed=seed)
    same_story = same_story_pairs(articles, preparer, count=DEV_SAME_STORY_PAIRS, seed=seed)
    return [*dev, *edited, *other, *same_story]
