"""Neutral pairs from one story's body: two of its plain statements, near but not restated."""

from __future__ import annotations

from crosscheck.stance.preparation import EvidencePreparer
from crosscheck.stance.schemas import Stance
from crosscheck.stance.training.datasets import StancePair
from crosscheck.stance.training.same_story import DATASET, same_story_pairs
from embeddings.encoders.sentence_transformers import SentenceTransformerEncoder

FLOOD = (
    "The flood in Eastvale forced two hundred residents from their homes on Monday. "
    "Rescue crews in Eastvale used boats to reach homes cut off by the flood. "
    "The Eastvale flood closed every school in the town for the week. "
    "Flood water in Eastvale rose higher than in any year since records began. "
    "Farmers near Eastvale lost much of the spring harvest to the flood."
)
STRIKE = (
    "The ferry strike in Norden left island residents without boats on Tuesday. "
    "Ferry workers in Norden went on strike after pay talks broke down. "
    "The Norden ferry operator offered striking workers a four percent raise. "
    "Island shops near Norden ran short of food during the ferry strike."
)


def pair(body: str, topic: str, split: str, label: Stance = Stance.CORROBORATES) -> StancePair:
    return StancePair("fnc1", f"Headline about {topic}", body, label, topic, split)


def test_pairs_are_two_statements_of_one_body_left_neutral(
    encoder: SentenceTransformerEncoder,
) -> None:
    preparer = EvidencePreparer(encoder)
    stories = [
        pair(FLOOD, "flood", "train"),
        pair(FLOOD, "flood", "train", Stance.DISCUSSES),  # one body, read once
        pair(STRIKE, "strike", "dev"),
        pair(STRIKE, "flood", "train", Stance.UNRELATED),  # an unrelated body is not the story
    ]
    made = same_story_pairs(stories, preparer, count=100, seed=1)
    assert made
    for result in made:
        body = FLOOD if result.topic == "flood" else STRIKE
        assert result.claim in body and result.evidence in body and result.claim != result.evidence
        assert result.dataset == DATASET and result.label is Stance.DISCUSSES
        assert result.split == ("train" if result.topic == "flood" else "dev")
        similarity = float(encoder.encode([result.claim])[0] @ encoder.encode([result.evidence])[0])
        assert 0.35 <= similarity <= 0.75
    assert len({(p.claim, p.evidence) for p in made}) == len(made)
    assert len(same_story_pairs(stories, preparer, count=1, seed=1)) == 1
