"""A tiny benchmark folder in the shape of shared/data, written for the tests (the training
tests and those of the commands that train)."""

from __future__ import annotations

import csv
from pathlib import Path

STORIES = [
    (
        "Dam bursts in Eastvale",
        "A dam in Eastvale burst on Monday, flooding farms. Rescuers arrived.",
    ),
    (
        "Comet seen over Lisbon",
        "Astronomers in Lisbon photographed a bright comet. It will fade soon.",
    ),
    (
        "Mayor of Norden resigns",
        "The mayor of Norden stepped down after a vote. A deputy takes over.",
    ),
    (
        "Bakery wins national prize",
        "A small bakery won the national bread prize. Queues formed outside.",
    ),
    ("Ferry strike ends", "Ferry workers ended their strike after a pay deal. Sailings resume."),
    (
        "Bridge closed for repairs",
        "The river bridge closed for repairs lasting a month. Detours apply.",
    ),
]


def write_benchmarks(folder: Path) -> Path:
    """FNC-1, SICK and Emergent files with a few rows each, in their real formats, in
    ``folder``."""
    fnc = folder / "fnc1"
    fnc.mkdir()
    with (fnc / "train_bodies.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Body ID", "articleBody"])
        for number, (_, body) in enumerate(STORIES):
            writer.writerow([number, body])
    labels = ["agree", "disagree", "discuss"]
    with (fnc / "train_stances.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Headline", "Body ID", "Stance"])
        for number, (headline, _) in enumerate(STORIES):
            writer.writerow([headline, number, labels[number % 3]])
            writer.writerow([headline, (number + 1) % len(STORIES), "unrelated"])
            writer.writerow([f"Update: {headline}", number, "discuss"])
    sick = folder / "sick"
    sick.mkdir()
    judgments = ["ENTAILMENT", "CONTRADICTION", "NEUTRAL"]
    for name, offset in (("SICK_train.txt", 0), ("SICK_trial.txt", 100)):
        with (sick / name).open("w", newline="") as handle:
            writer = csv.writer(handle, delimiter="\t")
            writer.writerow(
                ["pair_ID", "sentence_A", "sentence_B", "relatedness_score", "entailment_judgment"]
            )
            for i in range(9):
                writer.writerow(
                    [
                        offset + i,
                        f"A dog {i} runs in a park",
                        f"A dog {i} is running",
                        4.0,
                        judgments[i % 3],
                    ]
                )
    emergent = folder / "emergent"
    emergent.mkdir()
    stances = ["for", "against", "observing"]
    with (emergent / "url-versions-clean-train.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "",
                "claimHeadline",
                "articleHeadline",
                "articleHeadlineStance",
                "articleId",
                "claimId",
            ]
        )
        for i in range(9):
            writer.writerow(
                [
                    i,
                    f"Rumour {i % 3} is true",
                    f"Report on rumour {i % 3}",
                    stances[i % 3],
                    f"a{i}",
                    f"c{i % 3}",
                ]
            )
    return folder
