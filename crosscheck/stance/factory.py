"""The one way a process builds its stance engine from the settings."""

from __future__ import annotations

from pathlib import Path

from crosscheck.languages.detection import LanguageSupport
from crosscheck.settings import Settings
from crosscheck.stance.engine import StanceEngine
from embeddings.encoders.base import Encoder


def build_stance_engine(
    settings: Settings, encoder: Encoder, *, model_dir: Path | None = None
) -> StanceEngine:
    """The engine the settings describe: their trained model (or NLI model), classifier backend,
    ONNX export cache, judgement cache and languages.

    ``model_dir``: judge with the trained model in that folder instead (training and its checks);
    a configured NLI model is then ignored, since the folder's own judge is what is wanted, and
    judgements are not cached: training switches the engine's rules and cascade between passes
    over the same pairs, and the cache's key is the pair alone.
    """
    directory = settings.stance_model_dir if model_dir is None else model_dir
    return StanceEngine.from_directory(
        encoder,
        directory,
        related_threshold=settings.related_threshold,
        nli_model=settings.nli_model if model_dir is None else None,
        classifier_backend=settings.encoder_backend,
        onnx_dir=settings.onnx_cache_dir / "stance-classifier",
        onnx_max_batch=settings.onnx_max_batch,
        judgement_cache_size=settings.judgement_cache_size if model_dir is None else 0,
        languages=LanguageSupport.of(settings.model_languages),
    )
