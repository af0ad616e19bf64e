"""The model card, metadata and rule figures written next to trained stance artifacts."""

from __future__ import annotations

import dataclasses
import json
import platform
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from crosscheck.stance.training.evaluate import BenchmarkScores, RuleScores

# Where each training set comes from and under which terms (shared/data/README.md).
LICENSES = {
    "fnc1": ("FNC-1 stage 1, training split (headline vs article body)", "none stated"),
    "sick": ("SICK (SemEval-2014 task 1), train and trial", "CC BY-NC-SA 3.0 (non-commercial)"),
    "emergent": ("Emergent (Ferreira and Vlachos 2016), training split", "none stated"),
    "snli": ("SNLI, dev split (e-SNLI repository)", "CC BY-SA 4.0; repository MIT"),
    "contrastive": ("edits of FNC-1 body sentences made by this project's code", "as FNC-1"),
    "same_story": ("pairs of FNC-1 body sentences chosen by this project's code", "as FNC-1"),
    "other_topic": ("statements of the sets above paired across topics", "as their sets"),
    "anli_dev_annotated": ("ANLI dev rounds, annotated", "CC BY-NC 4.0 (non-commercial)"),
    "breaking_nli": ("Breaking NLI", "CC BY-SA 4.0"),
    "cad_snli": ("Counterfactually augmented SNLI", "Apache-2.0"),
    "cannot_components": ("CANNOT", "CC BY-SA 4.0"),
    "conjnli": ("ConjNLI", "MIT"),
    "covidfact": ("COVIDFact", "none stated"),
    "fever_symmetric": ("FEVER Symmetric (dev part)", "CC BY-SA 3.0"),
    "fool_me_twice": ("Fool Me Twice (dev part)", "Apache-2.0"),
    "healthver": ("HealthVer (dev part)", "none stated"),
    "help": ("HELP", "CC BY-SA 4.0"),
    "imppres": ("IMPPRES", "CC BY-NC 4.0 (non-commercial)"),
    "med": ("MED", "CC BY-SA 4.0"),
    "mnli_dev_hard": ("MultiNLI dev, hard subset", "MultiNLI terms"),
    "monli": ("MoNLI (train part)", "none stated"),
    "negation_nli_hossain": ("Negation and NLI (Hossain et al.)", "MIT"),
    "numeric_nli_equate_numglue": ("EQUATE / NumGLUE numeric NLI", "EQUATE MIT"),
    "perspectrum": ("Perspectrum (claim vs perspective)", "CC BY-SA 4.0"),
    "scone": ("ScoNe (train part)", "CC0"),
    "taxinli": ("TaxiNLI", "Computational Use of Data Agreement"),
    "wikifactcheck": ("WikiFactCheck-English", "none stated"),
    "xnli_en_negminpairs": ("Negation minimal pairs (XNLI English)", "none stated (XNLI CC BY-NC)"),
}

CARD = """# crosscheck stance model

Decides whether a piece of evidence **corroborates**, **contradicts**, **discusses** or is
**unrelated** to a claim; used by `crosscheck.stance.engine.StanceEngine` for `/v1/stance`,
`/v1/verify`, evidence, ClaimReview and `stance-batch`.

- `classifier/`: the statement judge, all-MiniLM-L6-v2 fine-tuned as a 3-label cross-encoder
  (entails / contradicts / neutral, read as corroborates / contradicts / discusses) on the claim
  against the evidence: a statement whole, an article's (at most) three sentences nearest the
  claim, marked as such (`classifier/inputs.json`); max length {max_length} tokens; stored in
  half precision.
- `calibration.json`: temperatures for its probabilities, one for statements and one for
  articles, fitted on dev pairs so that a confidence of 0.8 is right about 80% of the time.
- `relatedness.json`: two logistic models over similarity and word / name overlap, one for
  articles (FNC-1 related vs unrelated) and one for statements (sentence pairs vs the same
  claims paired with the most similar of ten statements from other topics).
- `rules.json`: how often each scoped rule (`crosscheck/stance/overrides.py`) was right on dev;
  a rule's confidence combines it with the judge's.

## Data and licenses

Trained only on the training data in `shared/data` (its README lists sources and licenses),
never on test splits. Examples per set and label, after sub-sampling and repetition:

{data_table}

Because SICK, ANLI and IMPPRES are non-commercial (CC BY-NC), **this model is for non-commercial
use** unless retrained without them (drop them from `crosscheck/stance/training/mixture.py`).

Label mapping: agree / ENTAILMENT / for / entailment = corroborates; disagree / CONTRADICTION /
against / contradiction = contradicts; discuss / observing / NEUTRAL / neutral = discusses;
FNC-1 unrelated = unrelated.

## Dev splits and figures

Dev pairs are carved from the training data by topic, never seen in training: FNC-1 stories
are the connected components of the headline-body graph of related pairs; SICK pairs sharing
a sentence stay together; Emergent is split by claim; SNLI and the 22 sets in `nli/` are split
by connected components of shared sentences across all of them (15% of topics); contrastive
edits come from the bodies of dev stories only; `other_topic` pairs 2,000 dev statements each
with the most similar of ten statements from other dev topics (right when no side is taken:
how often the engine takes a side on another matter); `same_story` pairs two plain statements
of one dev story's body, near in meaning but not restating each other (how often it takes a
side on a shared topic; left out of the statement contradiction F1, as contrastive edits are).
On 3-way sets, "unrelated" counts as right for a neutral pair. ECE: expected calibration error
of the engine's confidence (15 bins).

{dev_table}

FNC-1 relative score {fnc_score}; contradiction F1 over all statement pairs
{statement_f1}; ECE over all dev pairs {ece}.

The figures above are the service's: the judge with the rules `rules.json` enables. Every rule
is measured on dev with all rules on (fired, precision, right answers gained over the judge
alone); a rule is on in service only where it gained:

{rule_table}

Contrastive edits (dev stories), accuracy per edit: {contrastive}

## The cascade's first judge

{cascade}

## Training run

```json
{facts}
```

## Rebuild

```sh
crosscheck train-stance --data-dir ../shared/data --output models/stance
```

On 2 CPU cores: about {minutes} minutes (fine-tuning {tuning_minutes}), then the dev figures
above are printed and written here. `python bench/stance.py --data-dir ../shared/data` scores
the shipped artifacts again, with `--rules` to score any subset of the rules.
"""


def _data_table(facts: dict[str, object]) -> str:
    per_set = facts.get("examples_per_dataset", {})
    rows = ["| set | examples (label: count) | license |", "|---|---|---|"]
    if isinstance(per_set, dict):
        for name, labels in per_set.items():
            title, license_ = LICENSES.get(name, (name, "see shared/data/README.md"))
            counts = ", ".join(f"{label} {count}" for label, count in dict(labels).items())
            rows.append(f"| {title} (`{name}`) | {counts} | {license_} |")
    return "\n".join(rows)


def _dev_table(scores: BenchmarkScores) -> str:
    rows = [
        "| dev set | pairs | accuracy | macro-F1 "
        "| F1 corroborates / contradicts / discusses | ECE |",
        "|---|---|---|---|---|---|",
    ]
    for name, data in scores.datasets.items():
        f1 = " / ".join(
            f"{data.f1[label]:.3f}" if label in data.f1 else "-"
            for label in ("corroborates", "contradicts", "discusses")
        )
        rows.append(
            f"| {name} | {data.pairs} | {data.accuracy:.1%} | {data.macro_f1:.3f} | {f1} | "
            f"{data.ece:.3f} |"
        )
    return "\n".join(rows)


def _rule_table(scores: BenchmarkScores) -> str:
    rows = [
        "| rule | fired | precision | net gain | largest gains and losses | in service |",
        "|---|---|---|---|---|---|",
    ]
    for name, rule in scores.rules.items():
        on = "yes" if rule_enabled(rule) else "no"
        largest = sorted(rule.net_gain_by_dataset.items(), key=lambda item: -abs(item[1]))
        where = ", ".join(f"{dataset} {gain:+d}" for dataset, gain in largest[:4] if gain)
        rows.append(
            f"| {name} | {rule.fired} | {rule.precision:.3f} | {rule.net_gain:+d} "
            f"| {where or '-'} | {on} |"
        )
    return "\n".join(rows)


def rule_enabled(rule: RuleScores) -> bool:
    """A rule overrules the judge in service only where it gained right answers on dev."""
    return rule.net_gain > 0


def write_rule_precision(directory: Path, rules: Mapping[str, RuleScores]) -> None:
    """``rules.json``: each rule's dev precision, which weighs its confidence when it fires."""
    payload = {
        name: {
            "fired": rule.fired,
            "precision": rule.precision,
            "net_gain": rule.net_gain,
            "enabled": rule_enabled(rule),
        }
        for name, rule in rules.items()
    }
    (directory / "rules.json").write_text(json.dumps(payload, indent=2) + "\n")


def _cascade_section(report: Mapping[str, object] | None) -> str:
    if report is None or not report.get("fitted"):
        return "Not fitted: every statement pair goes to the classifier."

    def share(key: str, digits: int = 1) -> str:
        return f"{float(str(report[key])):.{digits}%}"

    return (
        "`cascade.npz`: a one-hidden-layer network over the pair's vectors, relatedness signals "
        "and word cues, distilled from this engine's labels on "
        f"{report['training_pairs']} training statement pairs, settles a statement pair as "
        f"unsided (discusses / unrelated) at probability {report['threshold']} or more, without "
        "the classifier. On the dev statement pairs that did not choose that threshold "
        f"({report['dev_pairs_measured']}), it settled {share('dev_settled_share')} "
        f"of pairs (the engine left {share('dev_unsided_share')} unsided), and "
        f"its label differed from the full engine's on {share('dev_disagreement', 2)} "
        "of pairs. Rebuilt by `crosscheck fit-cascade` (also the last step of `train-stance`); "
        "the figures above are the full engine's."
    )


def write_model_card(
    directory: Path,
    *,
    facts: dict[str, object],
    scores: BenchmarkScores,
    base_model: str,
    cascade: Mapping[str, object] | None = None,
) -> None:
    from crosscheck.stance.classifier import MAX_LENGTH

    metadata = {
        "base_model": base_model,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "training": facts,
        "dev_scores": dataclasses.asdict(scores),
        "cascade": cascade,
    }
    (directory / "metadata.json").write_text(json.dumps(metadata, indent=2) + "\n")
    seconds = float(str(facts.get("seconds", 0.0)))
    tuning = float(str(facts.get("fine_tuning_seconds", 0.0)))
    card = CARD.format(
        max_length=MAX_LENGTH,
        data_table=_data_table(facts),
        dev_table=_dev_table(scores),
        fnc_score=f"{scores.fnc1.get('relative_score', 0.0):.1%}" if scores.fnc1 else "n/a",
        statement_f1=scores.statement_contradiction_f1,
        ece=scores.ece,
        rule_table=_rule_table(scores),
        contrastive=", ".join(f"{k} {v:.0%}" for k, v in scores.contrastive_accuracy.items()),
        facts=json.dumps(facts, indent=2),
        cascade=_cascade_section(cascade),
        minutes=round((seconds + scores.seconds) / 60),
        tuning_minutes=round(tuning / 60),
    )
    (directory / "README.md").write_text(card)
