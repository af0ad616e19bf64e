"""The model card and metadata written next to trained stance artifacts."""

from __future__ import annotations

import dataclasses
import json
import platform
from datetime import UTC, datetime
from pathlib import Path

from crosscheck.stance.training.evaluate import BenchmarkScores

CARD = """# crosscheck stance model

Decides whether a piece of evidence **corroborates**, **contradicts**, **discusses** or is
**unrelated** to a claim. Two trained parts, used by `crosscheck.stance.engine.StanceEngine`:

- `relatedness.json`: logistic regression over five signals (best and top-3 sentence cosine from
  the packaged all-MiniLM-L6-v2 encoder, content-word overlap, capitalised-name overlap, evidence
  length), trained on FNC-1 related vs unrelated pairs.
- `classifier/`: all-MiniLM-L6-v2 fine-tuned as a 3-label cross-encoder (corroborates /
  contradicts / discusses) on the claim against the evidence sentences nearest to it (at most 3),
  max length {max_length} tokens; stored in half precision.

Explicit rules run on top (`crosscheck/stance/overrides.py`): numbers that cannot both be true
make a contradiction whatever the classifier says, parts that add up to a claimed figure support
it, an explicit denial in the deciding sentence contradicts, and relaying unconfirmed reports is
discussing. The scores below are for the engine as shipped, rules included; `python
bench/stance.py --rules ""` scores the classifier alone (on the shipped run: FNC-1 85.2%,
disagree F1 0.294, SICK-E 82.4%, Emergent 73.4%), so the rules cost about half a point of FNC-1
and buy 1.6 points of Emergent. When the evidence is a stored claim (verification), closeness of
meaning decides between corroborates and discusses, a denial or negation against an assertion
contradicts, and the classifier alone contradicts only when it is sure (p >= 0.8): on statement
pairs the classifier, trained mostly on headlines against articles, calls specific supporting
statements "discusses".

## Data and licenses

Trained only on the training data in `shared/data` (see its README), never on test splits:

| data | pairs used | license |
|---|---|---|
| FNC-1 stage 1, training split (headline vs body) | see below | none stated by the organisers |
| SICK (SemEval-2014 task 1), train and trial | see below | CC BY-NC-SA 3.0 (non-commercial) |
| Emergent (Ferreira and Vlachos 2016), training split | see below | none stated |

Because SICK is CC BY-NC-SA 3.0, this model is for non-commercial use unless retrained without it.

Label mapping: agree / ENTAILMENT / for = corroborates; disagree / CONTRADICTION / against =
contradicts; discuss / observing / NEUTRAL = discusses; FNC-1 unrelated = unrelated.

## Dev splits and scores

Dev pairs are carved from the training data by topic, so no headline, claim or body of a dev pair
is seen in training: FNC-1 stories are the connected components of the headline-body graph of
related pairs (about 20% of related pairs go to dev, with only the unrelated pairs whose headline
and body both fall in dev); SICK pairs sharing a sentence stay together; Emergent is split by
claim. SICK NEUTRAL counts as correct when predicted discusses or unrelated.

```json
{scores}
```

## Training run

```json
{facts}
```

## Rebuild

```sh
crosscheck train-stance --data-dir ../shared/data --output models/stance
```

Trains in well under an hour on 2 CPU cores and prints the dev scores above. `python
bench/stance.py --data-dir ../shared/data` scores the shipped artifacts again.
"""


def write_model_card(
    directory: Path, *, facts: dict[str, object], scores: BenchmarkScores, base_model: str
) -> None:
    from crosscheck.stance.classifier import MAX_LENGTH

    metadata = {
        "base_model": base_model,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "training": facts,
        "dev_scores": dataclasses.asdict(scores),
    }
    (directory / "metadata.json").write_text(json.dumps(metadata, indent=2) + "\n")
    card = CARD.format(
        max_length=MAX_LENGTH,
        scores=json.dumps(dataclasses.asdict(scores), indent=2),
        facts=json.dumps(facts, indent=2),
    )
    (directory / "README.md").write_text(card)
