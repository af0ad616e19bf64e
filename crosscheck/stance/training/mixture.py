"""Which training pairs the classifier sees, and how often: the recipe, chosen on dev figures.

Templated sets (presupposition, monotonicity, one-word swaps) are sub-sampled so they teach their
pattern without drowning the rest; the sets the service is judged on most (statement pairs from
SNLI and SICK, claims against headlines from Emergent) are seen twice per epoch; FNC-1's
plentiful `discuss` pairs are capped and its rare `disagree` pairs repeated.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from crosscheck.stance.schemas import Stance
from crosscheck.stance.training.datasets import StancePair


@dataclass(frozen=True)
class Share:
    """How much of one dataset goes in: at most ``cap`` pairs (sampled), each ``copies`` times."""

    cap: int | None = None
    copies: int = 1
    label_caps: Mapping[Stance, int] = field(default_factory=dict)
    label_copies: Mapping[Stance, int] = field(default_factory=dict)


RECIPE: dict[str, Share] = {
    "fnc1": Share(
        copies=2,
        label_caps={Stance.DISCUSSES: 5000},
        label_copies={Stance.CONTRADICTS: 3},
    ),
    "emergent": Share(copies=3),
    "sick": Share(copies=2),
    "snli": Share(copies=2),
    "contrastive": Share(),
    "other_topic": Share(),
    "same_story": Share(copies=2),
    "cad_snli": Share(),
    "anli_dev_annotated": Share(),
    "mnli_dev_hard": Share(),
    "taxinli": Share(cap=6000),
    "negation_nli_hossain": Share(),
    "healthver": Share(),
    "fool_me_twice": Share(),
    "fever_symmetric": Share(),
    "numeric_nli_equate_numglue": Share(),
    "cannot_components": Share(cap=4000),
    "conjnli": Share(cap=4000),
    "wikifactcheck": Share(cap=4000),
    "perspectrum": Share(cap=3000),
    "xnli_en_negminpairs": Share(cap=4000),
    "breaking_nli": Share(cap=3000),
    "imppres": Share(cap=2000),
    "covidfact": Share(cap=2000),
    "scone": Share(cap=2000),
    "help": Share(cap=1500),
    "med": Share(cap=1500),
    "monli": Share(cap=1000),
    # Left out: `control` (passages far longer than the 128 tokens the classifier reads).
}

# Continuing a judge that already reads headlines against articles (``--init-from``): the
# statement sets, each capped and with its contradictions capped so that no set teaches "one
# detail differs, so it contradicts"; FNC-1 and Emergent replayed so the article reading stays.
CONTINUATION_RECIPE: dict[str, Share] = {
    "fnc1": Share(
        label_caps={Stance.DISCUSSES: 3000},
        label_copies={Stance.CONTRADICTS: 3},
    ),
    "emergent": Share(copies=2),
    "sick": Share(),
    "snli": Share(),
    "contrastive": Share(label_caps={Stance.CONTRADICTS: 1500}),
    "other_topic": Share(cap=1500),
    "same_story": Share(copies=2),
    "cad_snli": Share(cap=3000),
    "anli_dev_annotated": Share(),
    "mnli_dev_hard": Share(cap=3000),
    "taxinli": Share(cap=2000),
    "negation_nli_hossain": Share(),
    "healthver": Share(),
    "fool_me_twice": Share(),
    "fever_symmetric": Share(),
    "numeric_nli_equate_numglue": Share(),
    "cannot_components": Share(label_caps={Stance.CONTRADICTS: 800, Stance.CORROBORATES: 800}),
    "conjnli": Share(cap=2000),
    "wikifactcheck": Share(cap=1500),
    "perspectrum": Share(cap=1500),
    "xnli_en_negminpairs": Share(cap=2000),
    "breaking_nli": Share(cap=1000),
    "imppres": Share(cap=1000),
    "covidfact": Share(cap=800),
    "scone": Share(cap=800),
    "help": Share(cap=800),
    "med": Share(cap=800),
    "monli": Share(cap=500),
}


def training_mixture(
    pairs: Sequence[StancePair], recipe: Mapping[str, Share] = RECIPE, *, seed: int = 13
) -> list[StancePair]:
    """The related training pairs the recipe takes, repeated as it says, in a fixed order."""
    rng = random.Random(seed)
    by_dataset: dict[str, list[StancePair]] = defaultdict(list)
    for pair in pairs:
        if pair.label is not Stance.UNRELATED and pair.dataset in recipe:
            by_dataset[pair.dataset].append(pair)
    chosen: list[StancePair] = []
    for dataset in sorted(by_dataset):
        share = recipe[dataset]
        rows = by_dataset[dataset]
        if share.cap is not None and len(rows) > share.cap:
            rows = rng.sample(rows, share.cap)
        by_label: dict[Stance, list[StancePair]] = defaultdict(list)
        for pair in rows:
            by_label[pair.label].append(pair)
        for label in sorted(by_label):
            kept = by_label[label]
            cap = share.label_caps.get(label)
            if cap is not None and len(kept) > cap:
                kept = rng.sample(kept, cap)
            copies = share.copies * share.label_copies.get(label, 1)
            chosen.extend(kept * copies)
    return chosen


def mixture_summary(pairs: Sequence[StancePair]) -> dict[str, dict[str, int]]:
    """Examples per dataset and label, for the model card."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for pair in pairs:
        counts[pair.dataset][pair.label.value] += 1
    return {name: dict(sorted(labels.items())) for name, labels in sorted(counts.items())}
