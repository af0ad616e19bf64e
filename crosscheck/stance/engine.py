"""The stance engine: relatedness, a learned statement judge, and scoped rules.

Long evidence is cut to the sentences nearest the claim; a statement is read whole. The judge's
probabilities are calibrated (``calibration.json``), so a confidence of 0.8 is right about 80%
of the time on dev pairs. Without trained artifacts the engine still works, from the rules alone.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from crosscheck.deadlines import check_deadline
from crosscheck.languages.detection import ENGLISH_ONLY, LanguageSupport
from crosscheck.stance.calibration import CALIBRATION_FILE, Calibration
from crosscheck.stance.cascade import CASCADE_FILE, Cascade, Features, pair_features
from crosscheck.stance.classifier import (
    CLASSIFIER_LABELS,
    PairClassifier,
    article_prefix,
    load_classifier,
    with_prefix,
)
from crosscheck.stance.cues import find_cues
from crosscheck.stance.explanations import model_reasons, unrelated_reason
from crosscheck.stance.nli import NliClassifier
from crosscheck.stance.overrides import RULES, Overrule, RuleInput, first_overrule
from crosscheck.stance.preparation import EvidencePreparer, LruCache, PreparedPair
from crosscheck.stance.quantization import QUANTIZATION_FILE, int8_allowed
from crosscheck.stance.relatedness import STATEMENT_SENTENCES, Relatedness
from crosscheck.stance.rules import RuleStanceJudge
from crosscheck.stance.schemas import EvidenceSpan, Stance, StanceJudgement
from embeddings.encoders.base import Encoder, Vectors

log = logging.getLogger(__name__)

RELATEDNESS_FILE = "relatedness.json"
RULE_PRECISION_FILE = "rules.json"
RULES_ONLY_VERSION = "rules-only"
# What a model's version is a digest of (metadata.json records when and how it was built).
VERSIONED_FILES = (
    "metadata.json",
    CALIBRATION_FILE,
    RELATEDNESS_FILE,
    RULE_PRECISION_FILE,
    "classifier/inputs.json",
    CASCADE_FILE,
    QUANTIZATION_FILE,
)
DEFAULT_OVERRIDES = frozenset(RULES)
CLASSIFIER_DIR = "classifier"
# How often a rule is taken to be right before dev figures say otherwise.
DEFAULT_RULE_PRECISION = 0.75
# Statement pairs this unlikely to be about one matter are unrelated even when the judge takes
# a side (chosen on the other-topic dev pairs: see the model card).
STATEMENT_RELATED_FLOOR = 0.1


def _bounded(value: float) -> float:
    return round(min(0.99, max(0.01, value)), 3)


def overrule_confidence(precision: float, p_model: float, p_related: float) -> float:
    """A rule and the judge as two witnesses: the stance is wrong only if both are wrong."""
    return _bounded(p_related * (1.0 - (1.0 - precision) * (1.0 - p_model)))


def load_rule_precision(path: Path) -> dict[str, float]:
    """Each rule's precision on the dev splits, as ``crosscheck train-stance`` measured it."""
    if not path.is_file():
        return {}
    payload = json.loads(path.read_text())
    return {name: float(entry["precision"]) for name, entry in payload.items()}


def model_version(directory: Path | None, *, nli_model: str | None = None) -> str:
    """A short digest of the artifacts that decide judgements (rules alone: a fixed name)."""
    if directory is None and nli_model is None:
        return RULES_ONLY_VERSION
    digest = hashlib.sha256((nli_model or "").encode())
    if directory is not None:
        for name in VERSIONED_FILES:
            path = directory / name
            digest.update(name.encode() + (path.read_bytes() if path.is_file() else b""))
    return digest.hexdigest()[:16]


def load_enabled_rules(path: Path) -> frozenset[str]:
    """The rules that earned their place on dev (``rules.json``); all of them without it."""
    if not path.is_file():
        return DEFAULT_OVERRIDES
    payload = json.loads(path.read_text())
    return frozenset(
        name for name, entry in payload.items() if entry.get("enabled", True) and name in RULES
    )


class StanceEngine:
    """Judges evidence against a claim; batch-first, so verification and benchmarks share it."""

    def __init__(
        self,
        encoder: Encoder,
        *,
        classifier: PairClassifier | None = None,
        relatedness: Relatedness | None = None,
        calibration: Calibration | None = None,
        rule_precision: Mapping[str, float] | None = None,
        related_threshold: float = 0.35,
        overrides: frozenset[str] = DEFAULT_OVERRIDES,
        judgement_cache_size: int = 0,
        languages: LanguageSupport = ENGLISH_ONLY,
        version: str = RULES_ONLY_VERSION,
        article_prefix: str = "",
        cascade: Cascade | None = None,
    ) -> None:
        self.languages = languages
        # Settles statement pairs the full judge would leave unsided, before it runs.
        self.cascade = cascade
        # Put before an article's sentences, as the judge saw them in training.
        self.article_prefix = article_prefix
        # Names the models and rules that judge: stored judgements of another version are stale.
        self.version = version
        self.preparer = EvidencePreparer(encoder)
        # A judgement depends only on the two texts (and the models): asking again about the
        # same pair, as verification of a repeated or stored claim does, costs a lookup.
        self._judgements: LruCache[tuple[str, str, bool], StanceJudgement] = LruCache(
            judgement_cache_size
        )
        # Which scoped rules overrule the classifier (see overrides.py); chosen on dev data.
        self.overrides = overrides
        self.classifier = classifier
        self.relatedness = relatedness
        self.calibration = calibration or Calibration()
        self.rule_precision = dict(rule_precision or {})
        self.rules_only = RuleStanceJudge(related_threshold=related_threshold)
        self.related_threshold = related_threshold
        # Below this relatedness a statement pair is unrelated whatever the judge says.
        self.statement_related_floor = STATEMENT_RELATED_FLOOR

    @classmethod
    def from_directory(
        cls,
        encoder: Encoder,
        directory: Path | None,
        *,
        related_threshold: float = 0.35,
        nli_model: str | None = None,
        classifier_backend: str = "torch",
        onnx_dir: Path | None = None,
        onnx_max_batch: int = 512,
        judgement_cache_size: int = 0,
        languages: LanguageSupport = ENGLISH_ONLY,
    ) -> StanceEngine:
        """The trained artifacts in ``directory`` (rules alone if none); an NLI model if named.

        ``classifier_backend``: ``torch``, ``onnx`` or ``auto`` (ONNX Runtime for up to
        ``onnx_max_batch`` pairs), the ONNX export cached in ``onnx_dir``.
        """
        trained = directory is not None and (directory / RELATEDNESS_FILE).is_file()
        if not trained and nli_model is None:
            log.warning("no trained stance model at %s: judging stance by rules alone", directory)
        classifier: PairClassifier | None = None
        calibration = Calibration()
        prefix = ""
        if nli_model is not None:
            classifier = NliClassifier.load(nli_model)
        elif trained and directory is not None:
            backend = classifier_backend if onnx_dir is not None else "torch"
            # int8 only where quantize-stance measured it faithful for these very files.
            int8 = backend != "torch" and int8_allowed(directory, directory / CLASSIFIER_DIR)
            classifier = load_classifier(
                directory / CLASSIFIER_DIR,
                backend=backend,
                onnx_dir=onnx_dir or directory,
                onnx_max_batch=onnx_max_batch,
                int8=int8,
            )
            log.info("stance classifier: %s%s", backend, " (ONNX int8)" if int8 else "")
            calibration = Calibration.load(directory / CALIBRATION_FILE)
            prefix = article_prefix(directory / CLASSIFIER_DIR)
        return cls(
            encoder,
            classifier=classifier,
            relatedness=Relatedness.load(directory / RELATEDNESS_FILE)
            if trained and directory is not None
            else None,
            calibration=calibration,
            rule_precision=load_rule_precision(directory / RULE_PRECISION_FILE)
            if trained and directory is not None
            else None,
            related_threshold=related_threshold,
            overrides=load_enabled_rules(directory / RULE_PRECISION_FILE)
            if trained and directory is not None
            else DEFAULT_OVERRIDES,
            judgement_cache_size=judgement_cache_size,
            languages=languages,
            version=model_version(directory if trained else None, nli_model=nli_model),
            article_prefix=prefix,
            cascade=Cascade.load(directory) if trained and directory is not None else None,
        )

    @property
    def learned(self) -> bool:
        return self.classifier is not None

    def related_probability(self, pair: PreparedPair, *, statement: bool = False) -> float:
        """From the trained relatedness models, else from similarity around the threshold."""
        if self.relatedness is not None:
            sentences = 1 if statement else pair.sentence_count
            return self.relatedness.probability(pair.signals, sentences=sentences)
        margin = pair.signals.max_similarity - self.related_threshold
        return 1.0 / (1.0 + math.exp(-20.0 * margin))

    def judge(self, *, claim: str, evidence: str) -> StanceJudgement:
        return self.judge_many(claim, [evidence])[0]

    def judge_many(
        self,
        claim: str,
        evidences: Sequence[str],
        *,
        statements: bool = False,
        known_vectors: Mapping[str, Vectors] | None = None,
    ) -> list[StanceJudgement]:
        return self.judge_pairs(
            [(claim, evidence) for evidence in evidences],
            statements=statements,
            known_vectors=known_vectors,
        )

    def judge_pairs(
        self,
        pairs: Sequence[tuple[str, str]],
        *,
        statements: bool = False,
        known_vectors: Mapping[str, Vectors] | None = None,
    ) -> list[StanceJudgement]:
        """One judgement per (claim, evidence) pair, in order; the classifier runs once.

        ``statements``: each evidence text is one stored statement (as in verification), read
        whole and weighed for relatedness as a statement however many sentences it has.
        """
        keys = [(claim, evidence, statements) for claim, evidence in pairs]
        known = [self._judgements.get(key) for key in keys]
        todo = [i for i, judgement in enumerate(known) if judgement is None]
        if todo:
            if known_vectors:
                # A one-sentence statement's sentence is its whole text: its stored vector is
                # the one encoding would give, so the encoder is spared.
                self.preparer.remember(known_vectors)
            fresh = self._judge_uncached([pairs[i] for i in todo], statements=statements)
            for i, judgement in zip(todo, fresh, strict=True):
                known[i] = judgement
                self._judgements.put(keys[i], judgement)
        return [judgement for judgement in known if judgement is not None]

    def _judge_uncached(
        self, pairs: Sequence[tuple[str, str]], *, statements: bool
    ) -> list[StanceJudgement]:
        check_deadline()
        prepared = self.preparer.prepare(pairs)
        check_deadline()
        if self.classifier is None:
            return [self._by_rules(pair) for pair in prepared]
        related = [self.related_probability(pair, statement=statements) for pair in prepared]
        # Articles far from the claim are unrelated before the judge reads them. Statement
        # pairs are all judged: a short contradiction often shares few words with its claim,
        # and relatedness then only tells "discusses" from "unrelated" (see _decide).
        to_classify = [
            i for i, p in enumerate(related) if p >= 0.5 or _is_statement(prepared[i], statements)
        ]
        settled = self._settled_by_cascade(prepared, to_classify, statements=statements)
        to_classify = [i for i in to_classify if i not in settled]
        check_deadline()
        articles = np.array(
            [not _is_statement(prepared[i], statements) for i in to_classify], dtype=bool
        )
        probabilities = self.classifier.predict(
            [prepared[i].claim for i in to_classify],
            [self._classifier_evidence(prepared[i], statements=statements) for i in to_classify],
        )
        calibrated = np.zeros_like(probabilities)
        for article in (False, True):
            rows = articles == article
            if rows.any():
                calibrated[rows] = self.calibration.apply(probabilities[rows], article=article)
        by_pair = dict(zip(to_classify, calibrated, strict=True))
        return [
            self._unsided(pair, related[i], settled[i])
            if i in settled
            else self._decide(pair, related[i], by_pair.get(i), statement=statements)
            for i, pair in enumerate(prepared)
        ]

    def _classifier_evidence(self, pair: PreparedPair, *, statements: bool) -> str:
        """The evidence text the classifier reads: a statement whole, an article's nearest
        sentences marked as the judge learned them."""
        prefix = "" if _is_statement(pair, statements) else self.article_prefix
        return with_prefix(prefix, _judged_text(pair, statement=statements))

    def classifier_inputs(
        self, pairs: Sequence[tuple[str, str]], *, statements: bool = False
    ) -> list[tuple[str, str]]:
        """The (claim, evidence) texts the classifier reads when judging ``pairs``."""
        return [
            (pair.claim, self._classifier_evidence(pair, statements=statements))
            for pair in self.preparer.prepare(pairs)
        ]

    def cascade_features(self, pair: PreparedPair, *, statements: bool) -> Features:
        """The first judge's features for a statement pair (vectors come from the cache)."""
        evidence = _judged_text(pair, statement=statements)
        deciding = pair.deciding_sentence
        vectors = self.preparer.vectors([pair.claim, deciding.text if deciding else evidence])
        return pair_features(vectors[0], vectors[1], pair.signals, pair.claim, evidence)

    def _settled_by_cascade(
        self, prepared: Sequence[PreparedPair], candidates: Sequence[int], *, statements: bool
    ) -> dict[int, float]:
        """The statement pairs the first judge settles as unsided, with its probability."""
        cascade = self.cascade
        pairs = [i for i in candidates if _is_statement(prepared[i], statements)]
        if cascade is None or not pairs:
            return {}
        features = np.vstack(
            [self.cascade_features(prepared[i], statements=statements) for i in pairs]
        )
        unsided = cascade.unsided_probability(features)
        return {i: float(p) for i, p in zip(pairs, unsided, strict=True) if p >= cascade.threshold}

    def _unsided(self, pair: PreparedPair, p_related: float, p_unsided: float) -> StanceJudgement:
        """A statement pair the first judge settled: as ``_decide`` reads an unsided label."""
        spans = _spans(pair)
        if p_related < 0.5:
            return StanceJudgement(
                Stance.UNRELATED, _bounded(1.0 - p_related), [unrelated_reason(pair)], spans
            )
        deciding_text = _judged_text(pair, statement=True)
        where = f'deciding sentence: "{_excerpt(deciding_text)}"'
        reasons = model_reasons(
            Stance.DISCUSSES,
            claim=pair.claim,
            deciding_text=deciding_text,
            probability=p_unsided,
            similarity=pair.signals.max_similarity,
        )
        return StanceJudgement(
            Stance.DISCUSSES,
            _bounded(p_related * p_unsided),
            [*reasons, "settled by the first judge", where],
            spans,
            judge_probability=p_unsided,
            related_probability=p_related,
        )

    def _by_rules(self, pair: PreparedPair) -> StanceJudgement:
        judgement = self.rules_only.judge(
            claim=pair.claim,
            evidence=pair.selected_text or pair.evidence,
            similarity=pair.signals.max_similarity,
        )
        return StanceJudgement(
            judgement.stance, judgement.confidence, judgement.reasons, _spans(pair)
        )

    def similarity_to(self, claim: str, text: str) -> float:
        """Cosine between ``text`` and ``claim`` (both cached by the preparer)."""
        vectors = self.preparer.vectors([claim, text])
        return float(vectors[0] @ vectors[1])

    def _decide(
        self,
        pair: PreparedPair,
        p_related: float,
        probabilities: npt.NDArray[np.float32] | None,
        *,
        statement: bool = False,
    ) -> StanceJudgement:
        spans = _spans(pair)
        statement_pair = _is_statement(pair, statement)
        unsided = probabilities is not None and CLASSIFIER_LABELS[
            int(np.argmax(probabilities))
        ] not in (Stance.CORROBORATES, Stance.CONTRADICTS)
        if (statement_pair and p_related < self.statement_related_floor) or (
            statement_pair and unsided and p_related < 0.5
        ):
            probabilities = None
        if probabilities is None:
            return StanceJudgement(
                Stance.UNRELATED, _bounded(1.0 - p_related), [unrelated_reason(pair)], spans
            )
        decided = pair.deciding_sentence
        deciding_text = (
            _judged_text(pair, statement=True) if statement or decided is None else decided.text
        )
        label = CLASSIFIER_LABELS[int(np.argmax(probabilities))]
        claim_cues, evidence_cues = find_cues(pair.claim), find_cues(deciding_text)
        overrule = first_overrule(
            RuleInput(
                claim=pair.claim,
                deciding_text=deciding_text,
                similarity=pair.signals.max_similarity,
                label=label,
                claim_cues=claim_cues,
                evidence_cues=evidence_cues,
                similarity_to_claim=lambda text: self.similarity_to(pair.claim, text),
            ),
            self.overrides,
        )
        where = [f'deciding sentence: "{_excerpt(deciding_text)}"']
        if overrule is not None:
            return self._overruled(overrule, probabilities, p_related, [*where], spans)
        probability = float(np.max(probabilities))
        reasons = model_reasons(
            label,
            claim=pair.claim,
            deciding_text=deciding_text,
            probability=probability,
            similarity=pair.signals.max_similarity,
        )
        # A statement's sided verdict stands on the calibrated judge alone (relatedness
        # cannot make a contradiction less of one); an article's is weighed by relatedness.
        weight = 1.0 if statement_pair and label is not Stance.DISCUSSES else p_related
        return StanceJudgement(
            label,
            _bounded(weight * probability),
            [*reasons, *where],
            spans,
            judge_probability=probability,
            related_probability=p_related,
        )

    def _overruled(
        self,
        overrule: Overrule,
        probabilities: npt.NDArray[np.float32],
        p_related: float,
        where: list[str],
        spans: list[EvidenceSpan],
    ) -> StanceJudgement:
        p_model = float(probabilities[CLASSIFIER_LABELS.index(overrule.stance)])
        precision = self.rule_precision.get(overrule.rule, DEFAULT_RULE_PRECISION)
        return StanceJudgement(
            overrule.stance,
            overrule_confidence(precision, p_model, p_related),
            [overrule.reason, *where],
            spans,
            rule=overrule.rule,
            overruled=CLASSIFIER_LABELS[int(np.argmax(probabilities))],
            judge_probability=p_model,
            related_probability=p_related,
        )


def _is_statement(pair: PreparedPair, statements: bool) -> bool:
    return statements or pair.sentence_count <= STATEMENT_SENTENCES


def _judged_text(pair: PreparedPair, *, statement: bool) -> str:
    """What the judge reads: a stored statement whole, else the sentences nearest the claim."""
    if statement or pair.sentence_count <= STATEMENT_SENTENCES:
        return pair.evidence.strip()
    return pair.selected_text or pair.evidence


def _excerpt(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _spans(pair: PreparedPair) -> list[EvidenceSpan]:
    return [EvidenceSpan(s.start, s.end, s.text) for s in pair.selected]
