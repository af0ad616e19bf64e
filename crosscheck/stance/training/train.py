"""``crosscheck train-stance``: fit the relatedness model and fine-tune the stance classifier."""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from crosscheck.stance.classifier import CLASSIFIER_LABELS, MAX_LENGTH
from crosscheck.stance.preparation import EvidencePreparer, PreparedPair
from crosscheck.stance.relatedness import RelatednessModel
from crosscheck.stance.schemas import Stance
from crosscheck.stance.training.datasets import StancePair, load_all
from embeddings.encoder import Encoder, resolve_model_path

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class TrainingOptions:
    data_dir: Path
    output_dir: Path
    base_model: str
    epochs: int = 2
    batch_size: int = 16
    learning_rate: float = 4e-5
    contradiction_oversampling: int = 3
    # FNC-1 `discuss` pairs are the largest class; a sample of them keeps training under an hour.
    fnc_discuss_cap: int | None = 4000
    max_pairs: int | None = None
    seed: int = 13


def prepare_pairs(
    preparer: EvidencePreparer, pairs: Sequence[StancePair], chunk: int = 2048
) -> list[PreparedPair]:
    prepared: list[PreparedPair] = []
    for start in range(0, len(pairs), chunk):
        part = pairs[start : start + chunk]
        prepared += preparer.prepare([(p.claim, p.evidence) for p in part])
        log.info("prepared %d / %d pairs", len(prepared), len(pairs))
    return prepared


def fit_relatedness(
    pairs: Sequence[StancePair], prepared: Sequence[PreparedPair]
) -> RelatednessModel:
    """Logistic regression, related vs unrelated, on FNC-1 training pairs."""
    from sklearn.linear_model import LogisticRegression

    rows = [
        (q.signals.vector(), p.label is not Stance.UNRELATED)
        for p, q in zip(pairs, prepared, strict=True)
        if p.dataset == "fnc1"
    ]
    features = np.array([r[0] for r in rows])
    targets = np.array([r[1] for r in rows])
    model = LogisticRegression(max_iter=1000, class_weight="balanced").fit(features, targets)
    return RelatednessModel(
        coefficients=model.coef_[0].tolist(), intercept=float(model.intercept_[0])
    )


def _classifier_examples(
    pairs: Sequence[StancePair], prepared: Sequence[PreparedPair], options: TrainingOptions
) -> list[tuple[str, str, int]]:
    """(claim, selected evidence, label index) for related pairs; contradictions oversampled."""
    index = {label: i for i, label in enumerate(CLASSIFIER_LABELS)}
    related = [
        (p, q) for p, q in zip(pairs, prepared, strict=True) if p.label is not Stance.UNRELATED
    ]
    fnc_discuss = [
        i for i, (p, _) in enumerate(related) if p.dataset == "fnc1" and p.label is Stance.DISCUSSES
    ]
    cap = options.fnc_discuss_cap
    dropped = set()
    if cap is not None and len(fnc_discuss) > cap:
        kept = set(random.Random(options.seed).sample(fnc_discuss, cap))
        dropped = set(fnc_discuss) - kept
    examples = []
    for position, (pair, ready) in enumerate(related):
        if position in dropped:
            continue
        example = (pair.claim, ready.selected_text or pair.evidence, index[pair.label])
        copies = options.contradiction_oversampling if pair.label is Stance.CONTRADICTS else 1
        examples.extend([example] * copies)
    return examples


def fine_tune_classifier(
    examples: list[tuple[str, str, int]], options: TrainingOptions, destination: Path
) -> None:
    """Fine-tune the packaged MiniLM as a 3-label cross-encoder, plain PyTorch, on the CPU."""
    import torch
    from transformers import (
        AutoModelForSequenceClassification,
        AutoTokenizer,
        get_linear_schedule_with_warmup,
    )

    torch.manual_seed(options.seed)
    base = str(resolve_model_path(options.base_model))
    tokenizer = AutoTokenizer.from_pretrained(base)
    model = AutoModelForSequenceClassification.from_pretrained(
        base, num_labels=len(CLASSIFIER_LABELS)
    )
    optimizer = torch.optim.AdamW(model.parameters(), lr=options.learning_rate, weight_decay=0.01)
    steps = options.epochs * ((len(examples) + options.batch_size - 1) // options.batch_size)
    warmup_then_decay: Callable[..., Any] = get_linear_schedule_with_warmup
    scheduler = warmup_then_decay(optimizer, int(0.1 * steps), steps)
    rng = random.Random(options.seed)
    model.train()
    step, started = 0, time.perf_counter()
    for epoch in range(options.epochs):
        order = list(examples)
        rng.shuffle(order)
        for start in range(0, len(order), options.batch_size):
            batch = order[start : start + options.batch_size]
            encoded = tokenizer(
                [b[0] for b in batch],
                [b[1] for b in batch],
                truncation="only_second",
                max_length=MAX_LENGTH,
                padding=True,
                return_tensors="pt",
            )
            loss = model(**encoded, labels=torch.tensor([b[2] for b in batch])).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            step += 1
            if step % 100 == 0:
                rate = step * options.batch_size / (time.perf_counter() - started)
                log.info(
                    "epoch %d step %d/%d loss %.3f (%.0f pairs/s)",
                    epoch + 1,
                    step,
                    steps,
                    loss.item(),
                    rate,
                )
    model.eval()
    destination.mkdir(parents=True, exist_ok=True)
    # Half precision halves the shipped size; the loader converts back to float32 for the CPU.
    model.half().save_pretrained(str(destination), safe_serialization=True)
    tokenizer.save_pretrained(str(destination))
    (destination / "labels.json").write_text(
        json.dumps([label.value for label in CLASSIFIER_LABELS])
    )


def train(options: TrainingOptions, encoder: Encoder) -> dict[str, object]:
    """Train both parts on the training splits and write them to ``options.output_dir``."""
    started = time.perf_counter()
    pairs = [p for p in load_all(options.data_dir) if p.split == "train"]
    if options.max_pairs is not None:
        pairs = random.Random(options.seed).sample(pairs, min(options.max_pairs, len(pairs)))
    log.info("training on %d pairs", len(pairs))
    preparer = EvidencePreparer(encoder)
    prepared = prepare_pairs(preparer, pairs)
    options.output_dir.mkdir(parents=True, exist_ok=True)
    relatedness = fit_relatedness(pairs, prepared)
    relatedness.save(options.output_dir / "relatedness.json")
    examples = _classifier_examples(pairs, prepared, options)
    log.info("fine-tuning the classifier on %d examples", len(examples))
    fine_tune_classifier(examples, options, options.output_dir / "classifier")
    return {
        "training_pairs": len(pairs),
        "classifier_examples": len(examples),
        "seconds": round(time.perf_counter() - started, 1),
        "epochs": options.epochs,
        "learning_rate": options.learning_rate,
        "batch_size": options.batch_size,
        "contradiction_oversampling": options.contradiction_oversampling,
        "fnc_discuss_cap": options.fnc_discuss_cap,
    }
