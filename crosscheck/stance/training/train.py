"""``crosscheck train-stance``: fit relatedness, fine-tune the statement judge, calibrate it.

The judge is all-MiniLM-L6-v2 fine-tuned as a 3-label cross-encoder (entails / contradicts /
neutral, read as corroborates / contradicts / discusses) on the claim against the evidence: a
whole statement, or for articles the sentences nearest the claim. Plain PyTorch on the CPU.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crosscheck.stance.calibration import CALIBRATION_FILE, Calibration, fit_temperature
from crosscheck.stance.classifier import (
    ARTICLE_PREFIX,
    CLASSIFIER_LABELS,
    INPUTS_FILE,
    MAX_LENGTH,
    StanceClassifier,
    article_prefix,
    with_prefix,
)
from crosscheck.stance.preparation import EvidencePreparer, PreparedPair
from crosscheck.stance.relatedness import Relatedness
from crosscheck.stance.schemas import Stance
from crosscheck.stance.training.contrastive import from_articles
from crosscheck.stance.training.corpus import ARTICLE_DATASETS, DEV_SAME_STORY_PAIRS, load_all
from crosscheck.stance.training.datasets import StancePair
from crosscheck.stance.training.mixture import RECIPE, Share, mixture_summary, training_mixture
from crosscheck.stance.training.negatives import DATASET as OTHER_TOPIC
from crosscheck.stance.training.negatives import other_topic_pairs
from crosscheck.stance.training.relatedness_fit import fit_article_model, fit_statement_model
from crosscheck.stance.training.same_story import same_story_pairs
from embeddings.encoders.base import Encoder, resolve_model_path

log = logging.getLogger(__name__)

LABEL_INDEX = {label: i for i, label in enumerate(CLASSIFIER_LABELS)}
# Statements paired with another topic's: neutral for the judge, unrelated for relatedness.
OTHER_TOPIC_PAIRS = 8000
# Two statements of one story's body: neutral for the judge (see same_story.py).
SAME_STORY_PAIRS = 6000
RELATEDNESS_SAMPLE = 6000
# Dev pairs per dataset used to fit the temperatures (more adds time, not precision).
CALIBRATION_PAIRS_PER_SET = 600


@dataclass(frozen=True)
class TrainingOptions:
    data_dir: Path
    output_dir: Path
    base_model: str
    epochs: int = 1
    batch_size: int = 32
    learning_rate: float = 3e-5
    max_length: int = MAX_LENGTH
    max_pairs: int | None = None
    seed: int = 13
    recipe: Mapping[str, Share] = field(default_factory=lambda: dict(RECIPE))
    # A trained judge to continue from instead of the packaged MiniLM; its evidence marks kept.
    init_from: Path | None = None

    @property
    def article_prefix(self) -> str:
        return ARTICLE_PREFIX if self.init_from is None else article_prefix(self.init_from)


@dataclass
class Corpus:
    """Every labelled pair, contrastive ones included, and the prepared articles."""

    pairs: list[StancePair]
    articles: dict[tuple[str, str], PreparedPair]
    article_prefix: str = ARTICLE_PREFIX

    def evidence_text(self, pair: StancePair) -> str:
        """What the classifier reads as evidence: an article's nearest sentences (marked as
        such), or the statement."""
        prepared = self.articles.get((pair.claim, pair.evidence))
        if prepared is None:
            return pair.evidence
        return with_prefix(self.article_prefix, prepared.selected_text or pair.evidence)

    def split(self, name: str) -> list[StancePair]:
        return [pair for pair in self.pairs if pair.split == name]


def prepare_pairs(
    preparer: EvidencePreparer, pairs: Sequence[StancePair], chunk: int = 2048
) -> list[PreparedPair]:
    prepared: list[PreparedPair] = []
    for start in range(0, len(pairs), chunk):
        part = pairs[start : start + chunk]
        prepared += preparer.prepare([(p.claim, p.evidence) for p in part])
        log.info("prepared %d / %d article pairs", len(prepared), len(pairs))
    return prepared


def build_corpus(
    data_dir: Path, preparer: EvidencePreparer, *, seed: int, prefix: str = ARTICLE_PREFIX
) -> Corpus:
    """The benchmark pairs, articles prepared (sentences selected), contrastive pairs, and
    statements paired with another topic's."""
    pairs = load_all(data_dir)
    articles = [p for p in pairs if p.dataset in ARTICLE_DATASETS]
    prepared = prepare_pairs(preparer, articles)
    edited = from_articles(articles, preparer.sentences, seed=seed)
    log.info("%d contrastive pairs", len(edited))
    statements = [
        p for p in [*pairs, *edited] if p.dataset not in ARTICLE_DATASETS and p.split == "train"
    ]
    unrelated = other_topic_pairs(statements, preparer, count=OTHER_TOPIC_PAIRS, seed=seed)
    log.info("%d other-topic pairs", len(unrelated))
    same_story = [
        pair
        for split, count in (("train", SAME_STORY_PAIRS), ("dev", DEV_SAME_STORY_PAIRS))
        for pair in same_story_pairs(
            [p for p in articles if p.split == split], preparer, count=count, seed=seed
        )
    ]
    log.info("%d same-story pairs", len(same_story))
    return Corpus(
        pairs=[*pairs, *edited, *unrelated, *same_story],
        articles={(p.claim, p.evidence): q for p, q in zip(articles, prepared, strict=True)},
        article_prefix=prefix,
    )


def _length_batches(lengths: Sequence[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Batches of similar length (less padding), in random order; each example once."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    window = batch_size * 50
    batches = []
    for start in range(0, len(order), window):
        chunk = sorted(order[start : start + window], key=lambda i: lengths[i])
        batches += [chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return batches


Examples = list[tuple[str, str, int]]


def fine_tune_classifier(examples: Examples, options: TrainingOptions, destination: Path) -> None:
    """Fine-tune the packaged MiniLM (or the judge in ``options.init_from``) as a 3-label
    cross-encoder, plain PyTorch, on the CPU."""
    import torch
    from transformers import (
        AutoModelForSequenceClassification,
        AutoTokenizer,
        get_linear_schedule_with_warmup,
    )

    torch.manual_seed(options.seed)
    if options.init_from is None:
        base = str(resolve_model_path(options.base_model))
    else:
        base = str(options.init_from)
        labels = json.loads((options.init_from / "labels.json").read_text())
        if labels != [label.value for label in CLASSIFIER_LABELS]:
            raise ValueError(f"{options.init_from} judges {labels}, not {CLASSIFIER_LABELS}")
    tokenizer = AutoTokenizer.from_pretrained(base)
    model = AutoModelForSequenceClassification.from_pretrained(
        base, num_labels=len(CLASSIFIER_LABELS), dtype=torch.float32
    )
    encoded = tokenizer(
        [e[0] for e in examples],
        [e[1] for e in examples],
        truncation="only_second",
        max_length=options.max_length,
    )["input_ids"]
    lengths = [len(ids) for ids in encoded]
    optimizer = torch.optim.AdamW(model.parameters(), lr=options.learning_rate, weight_decay=0.01)
    per_epoch = (len(examples) + options.batch_size - 1) // options.batch_size
    steps = options.epochs * per_epoch
    warmup_then_decay: Callable[..., Any] = get_linear_schedule_with_warmup
    scheduler = warmup_then_decay(optimizer, int(0.06 * steps), steps)
    rng = random.Random(options.seed)
    model.train()
    step, started = 0, time.perf_counter()
    for epoch in range(options.epochs):
        for batch_ids in _length_batches(lengths, options.batch_size, rng):
            batch = [examples[i] for i in batch_ids]
            inputs = tokenizer(
                [b[0] for b in batch],
                [b[1] for b in batch],
                truncation="only_second",
                max_length=options.max_length,
                padding=True,
                return_tensors="pt",
            )
            loss = model(**inputs, labels=torch.tensor([b[2] for b in batch])).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            step += 1
            if step % 200 == 0:
                elapsed = time.perf_counter() - started
                log.info(
                    "epoch %d step %d/%d loss %.3f (%.0f pairs/s, %.0f min left)",
                    epoch + 1,
                    step,
                    steps,
                    loss.item(),
                    step * options.batch_size / elapsed,
                    (steps - step) * elapsed / step / 60,
                )
    model.eval()
    destination.mkdir(parents=True, exist_ok=True)
    # Half precision halves the shipped size; the loader converts back to float32 for the CPU.
    model.half().save_pretrained(str(destination), safe_serialization=True)
    tokenizer.save_pretrained(str(destination))
    (destination / "labels.json").write_text(
        json.dumps([label.value for label in CLASSIFIER_LABELS])
    )
    (destination / INPUTS_FILE).write_text(json.dumps({"article_prefix": options.article_prefix}))


def calibrate(
    classifier: StanceClassifier, corpus: Corpus, *, seed: int
) -> tuple[Calibration, dict[str, float]]:
    """Temperatures fitted on related dev pairs, per kind of evidence; NLL before and after."""
    rng = random.Random(seed)
    by_set: dict[str, list[StancePair]] = {}
    for pair in corpus.split("dev"):
        if pair.label is not Stance.UNRELATED:
            by_set.setdefault(pair.dataset, []).append(pair)
    temperatures, report = {}, {}
    for kind in ("statement", "article"):
        chosen = [
            pair
            for name, rows in sorted(by_set.items())
            if (name in ARTICLE_DATASETS) == (kind == "article")
            for pair in rng.sample(rows, min(len(rows), CALIBRATION_PAIRS_PER_SET))
        ]
        probabilities = classifier.predict(
            [p.claim for p in chosen], [corpus.evidence_text(p) for p in chosen]
        )
        gold = [LABEL_INDEX[p.label] for p in chosen]
        temperatures[kind] = fit_temperature(probabilities, gold)
        report[f"{kind}_temperature"] = temperatures[kind]
        report[f"{kind}_calibration_pairs"] = len(chosen)
    calibration = Calibration(
        statement_temperature=temperatures["statement"],
        article_temperature=temperatures["article"],
    )
    return calibration, report


def _sample(pairs: Sequence[StancePair], count: int, *, seed: int) -> list[StancePair]:
    return random.Random(seed).sample(list(pairs), min(count, len(pairs)))


def train(options: TrainingOptions, encoder: Encoder) -> dict[str, object]:
    """Train every part on the training splits and write them to ``options.output_dir``."""
    started = time.perf_counter()
    preparer = EvidencePreparer(encoder)
    corpus = build_corpus(
        options.data_dir, preparer, seed=options.seed, prefix=options.article_prefix
    )
    training = corpus.split("train")
    options.output_dir.mkdir(parents=True, exist_ok=True)
    Relatedness(
        article=fit_article_model(
            [p for p in training if p.dataset in ARTICLE_DATASETS], corpus.articles
        ),
        statement=fit_statement_model(
            _sample(
                [p for p in training if p.dataset not in (*ARTICLE_DATASETS, OTHER_TOPIC)],
                RELATEDNESS_SAMPLE,
                seed=options.seed,
            ),
            [p for p in training if p.dataset == OTHER_TOPIC],
            preparer,
        ),
    ).save(options.output_dir / "relatedness.json")
    mixture = training_mixture(training, options.recipe, seed=options.seed)
    if options.max_pairs is not None:
        mixture = _sample(mixture, options.max_pairs, seed=options.seed)
    examples = [(p.claim, corpus.evidence_text(p), LABEL_INDEX[p.label]) for p in mixture]
    log.info("fine-tuning the classifier on %d examples", len(examples))
    tuning_started = time.perf_counter()
    fine_tune_classifier(examples, options, options.output_dir / "classifier")
    tuning_seconds = time.perf_counter() - tuning_started
    classifier = StanceClassifier.load(options.output_dir / "classifier")
    calibration, calibration_report = calibrate(classifier, corpus, seed=options.seed)
    calibration.save(options.output_dir / CALIBRATION_FILE)
    return {
        "classifier_examples": len(examples),
        "examples_per_dataset": mixture_summary(mixture),
        "seconds": round(time.perf_counter() - started, 1),
        "fine_tuning_seconds": round(tuning_seconds, 1),
        "epochs": options.epochs,
        "learning_rate": options.learning_rate,
        "batch_size": options.batch_size,
        "max_length": options.max_length,
        "continued_from": None if options.init_from is None else str(options.init_from),
        "calibration": calibration_report,
    }
