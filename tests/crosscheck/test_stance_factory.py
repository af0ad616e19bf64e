"""The one factory of stance engines: an engine for a model folder (training and its checks)
judges afresh after its rules change, where the server's remembers its judgements."""

from __future__ import annotations

from pathlib import Path

from crosscheck.settings import DEFAULT_STANCE_MODEL, Settings
from crosscheck.stance.factory import build_stance_engine
from embeddings.encoders.sentence_transformers import SentenceTransformerEncoder

PAIR = (
    "At least 3,000 North Korean soldiers are in Russia.",
    "About 500 North Korean soldiers are in Russia, officials said.",
)


def test_an_engine_for_a_model_folder_judges_again_when_its_rules_change(
    encoder: SentenceTransformerEncoder, tmp_path: Path
) -> None:
    settings = Settings(index_dir=tmp_path / "index", judgement_cache_size=100)
    engine = build_stance_engine(settings, encoder, model_dir=DEFAULT_STANCE_MODEL)
    assert engine.judge_pairs([PAIR], statements=True)[0].rule == "number_conflict"
    # train-stance measures every rule, then judges again with only those it enables.
    engine.overrides = frozenset()
    assert engine.judge_pairs([PAIR], statements=True)[0].rule is None

    served = build_stance_engine(settings, encoder)
    first = served.judge_pairs([PAIR], statements=True)[0]
    assert served.judge_pairs([PAIR], statements=True)[0] is first  # remembered
