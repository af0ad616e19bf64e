"""The stance engine: relatedness, a learned classifier, and explicit rules for numbers and denial.

Long evidence is cut to the sentences nearest the claim; the judgement says which ones decided it.
Without trained artifacts the engine still works, from the rules alone.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from crosscheck.stance.classifier import CLASSIFIER_LABELS, PairClassifier, load_classifier
from crosscheck.stance.cues import Cues, find_cues
from crosscheck.stance.nli import NliClassifier
from crosscheck.stance.overrides import RULES, RuleInput, first_overrule
from crosscheck.stance.preparation import EvidencePreparer, LruCache, PreparedPair
from crosscheck.stance.quantities import find_agreement
from crosscheck.stance.relatedness import RelatednessModel
from crosscheck.stance.rules import RuleStanceJudge
from crosscheck.stance.schemas import EvidenceSpan, Stance, StanceJudgement
from embeddings.encoder import Encoder, Vectors

log = logging.getLogger(__name__)

RELATEDNESS_FILE = "relatedness.json"
DEFAULT_OVERRIDES = frozenset(RULES)
CLASSIFIER_DIR = "classifier"


def _quoted(words: Sequence[str]) -> str:
    return ", ".join(f"'{w}'" for w in dict.fromkeys(words))


def _excerpt(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _bounded(value: float) -> float:
    return round(min(0.99, max(0.01, value)), 3)


class StanceEngine:
    """Judges evidence against a claim; batch-first, so verification and benchmarks share it."""

    def __init__(
        self,
        encoder: Encoder,
        *,
        classifier: PairClassifier | None = None,
        relatedness: RelatednessModel | None = None,
        related_threshold: float = 0.35,
        overrides: frozenset[str] = DEFAULT_OVERRIDES,
        judgement_cache_size: int = 0,
    ) -> None:
        self.preparer = EvidencePreparer(encoder)
        # A judgement depends only on the two texts (and the models): asking again about the
        # same pair, as verification of a repeated or stored claim does, costs a lookup.
        self._judgements: LruCache[tuple[str, str, bool], StanceJudgement] = LruCache(
            judgement_cache_size
        )
        # Which explicit rules overrule the classifier (see overrides.py); chosen on dev data.
        self.overrides = overrides
        self.classifier = classifier
        self.relatedness = relatedness
        self.rules_only = RuleStanceJudge(related_threshold=related_threshold)
        self.related_threshold = related_threshold

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
    ) -> StanceEngine:
        """The trained artifacts in ``directory`` (rules alone if none); an NLI model if named.

        ``classifier_backend``: ``torch``, ``onnx`` or ``auto`` (ONNX Runtime for up to
        ``onnx_max_batch`` pairs), the ONNX export cached in ``onnx_dir``.
        """
        trained = directory is not None and (directory / RELATEDNESS_FILE).is_file()
        if not trained and nli_model is None:
            log.warning("no trained stance model at %s: judging stance by rules alone", directory)
        classifier: PairClassifier | None = None
        if nli_model is not None:
            classifier = NliClassifier.load(nli_model)
        elif trained and directory is not None:
            classifier = load_classifier(
                directory / CLASSIFIER_DIR,
                backend=classifier_backend if onnx_dir is not None else "torch",
                onnx_dir=onnx_dir or directory,
                onnx_max_batch=onnx_max_batch,
            )
        relatedness = (
            RelatednessModel.load(directory / RELATEDNESS_FILE)
            if trained and directory is not None
            else None
        )
        return cls(
            encoder,
            classifier=classifier,
            relatedness=relatedness,
            related_threshold=related_threshold,
            judgement_cache_size=judgement_cache_size,
        )

    @property
    def learned(self) -> bool:
        return self.classifier is not None

    def related_probability(self, pair: PreparedPair) -> float:
        """From the trained relatedness model, else from similarity around the threshold."""
        if self.relatedness is not None:
            return self.relatedness.probability(pair.signals)
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

        ``statements``: the evidence texts are stored claims (one statement each, as in
        verification). The classifier, trained mostly on headlines against articles, calls a
        specific statement that backs a general claim "discusses"; there closeness of meaning
        decides between corroborates and discusses, and a contradiction the classifier alone
        finds must be clear-cut.
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
        prepared = self.preparer.prepare(pairs)
        if self.classifier is None:
            return [self._by_rules(pair) for pair in prepared]
        related = [self.related_probability(pair) for pair in prepared]
        to_classify = [i for i, p in enumerate(related) if p >= 0.5]
        probabilities = self.classifier.predict(
            [prepared[i].claim for i in to_classify],
            [prepared[i].selected_text or prepared[i].evidence for i in to_classify],
        )
        by_pair = dict(zip(to_classify, probabilities, strict=True))
        return [
            self._decide(pair, related[i], by_pair.get(i), statements=statements)
            for i, pair in enumerate(prepared)
        ]

    def _by_rules(self, pair: PreparedPair) -> StanceJudgement:
        judgement = self.rules_only.judge(
            claim=pair.claim,
            evidence=pair.selected_text or pair.evidence,
            similarity=pair.signals.max_similarity,
        )
        return StanceJudgement(
            judgement.stance, judgement.confidence, judgement.reasons, _spans(pair)
        )

    def _decide(
        self,
        pair: PreparedPair,
        p_related: float,
        probabilities: npt.NDArray[np.float32] | None,
        *,
        statements: bool = False,
    ) -> StanceJudgement:
        spans = _spans(pair)
        signals = pair.signals
        if probabilities is None:
            shared = (
                f"shares only {_quoted(signals.shared_names)}"
                if signals.shared_names
                else "shares no names with the claim"
            )
            return StanceJudgement(
                Stance.UNRELATED,
                _bounded(1.0 - p_related),
                [f"about something else: best similarity {signals.max_similarity:.2f}, {shared}"],
                spans,
            )
        decided = pair.deciding_sentence
        where = [f'deciding sentence: "{_excerpt(decided.text)}"'] if decided else []
        text = pair.selected_text or pair.evidence
        label = CLASSIFIER_LABELS[int(np.argmax(probabilities))]
        probability = float(np.max(probabilities))
        claim_cues = find_cues(pair.claim)
        evidence_cues = find_cues(decided.text if decided else text)
        overrule = first_overrule(
            RuleInput(
                claim=pair.claim,
                deciding_text=decided.text if decided else text,
                similarity=pair.signals.max_similarity,
                label=label,
                claim_cues=claim_cues,
                evidence_cues=evidence_cues,
            ),
            self.overrides,
        )
        if overrule is not None:
            p_new = float(probabilities[CLASSIFIER_LABELS.index(overrule.stance)])
            confidence = _bounded(max(0.6, p_new) * (0.5 + 0.5 * p_related))
            return StanceJudgement(overrule.stance, confidence, [overrule.reason, *where], spans)
        opposed = claim_cues.negative != evidence_cues.negative
        if statements and opposed and pair.signals.max_similarity >= STATEMENT_OPPOSED:
            # One statement denies or negates what the other asserts.
            words = evidence_cues.polarity_words or claim_cues.polarity_words
            side = "this statement" if evidence_cues.negative else "the claim"
            reason = f"{side} denies or negates what the other asserts: {_quoted(words)}"
            confidence = _bounded(max(0.6, probability) * (0.5 + 0.5 * p_related))
            return StanceJudgement(Stance.CONTRADICTS, confidence, [reason, *where], spans)
        if statements:
            label, probability = _statement_stance(label, probability, pair.signals.max_similarity)
        confidence = _bounded(probability * (0.5 + 0.5 * p_related))
        reasons = _reasons(label, pair, claim_cues, find_cues(text), probability)
        return StanceJudgement(label, confidence, [*reasons, *where], spans)


STATEMENT_CORROBORATES = 0.6
STATEMENT_OPPOSED = 0.5
STATEMENT_CLEAR_CONTRADICTION = 0.8


def _statement_stance(label: Stance, probability: float, similarity: float) -> tuple[Stance, float]:
    """Corroborates or discusses by closeness of meaning; contradicts only when clear-cut."""
    if label is Stance.CONTRADICTS and probability >= STATEMENT_CLEAR_CONTRADICTION:
        return label, probability
    if similarity >= STATEMENT_CORROBORATES:
        return Stance.CORROBORATES, max(probability, similarity)
    return Stance.DISCUSSES, max(
        1.0 - probability, 0.5
    ) if label is Stance.CONTRADICTS else probability


def _spans(pair: PreparedPair) -> list[EvidenceSpan]:
    return [EvidenceSpan(s.start, s.end, s.text) for s in pair.selected]


def _reasons(
    label: Stance, pair: PreparedPair, claim: Cues, evidence: Cues, probability: float
) -> list[str]:
    model = f"classifier {probability:.2f}"
    if label is Stance.CONTRADICTS:
        if evidence.denials:
            return [f"denies it: {_quoted(evidence.denials)} ({model})"]
        if evidence.negative != claim.negative:
            words = evidence.polarity_words or claim.polarity_words
            return [f"one side negates what the other asserts: {_quoted(words)} ({model})"]
        return [f"its wording is incompatible with the claim ({model})"]
    if label is Stance.CORROBORATES:
        reasons = [f"states the same thing (similarity {pair.signals.max_similarity:.2f}, {model})"]
        agreement = find_agreement(pair.claim, pair.selected_text or pair.evidence)
        if agreement is not None:
            reasons.append(f"numbers agree: '{agreement[0].text}' and '{agreement[1].text}'")
        return reasons
    if evidence.hedges:
        return [f"reports it without asserting it: {_quoted(evidence.hedges)} ({model})"]
    return [f"on the same subject without taking a side ({model})"]
