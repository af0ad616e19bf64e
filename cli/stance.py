"""``crosscheck stance-batch``, ``train-stance``, ``fit-cascade``, ``quantize-stance``: the
stance judge in bulk, and training and measuring it.

Every engine here is built by the one factory the server uses (``build_stance_engine``), over
the encoder the runtime loads, so a command judges as the service does.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from cli.common import console, load_settings, out, settings_encoder
from crosscheck.settings import DEFAULT_STANCE_MODEL, Settings
from crosscheck.stance.batch import judge_stream
from crosscheck.stance.engine import (
    DEFAULT_OVERRIDES,
    RULE_PRECISION_FILE,
    StanceEngine,
    load_enabled_rules,
)
from crosscheck.stance.factory import build_stance_engine

app = typer.Typer()


@app.command("stance-batch")
def stance_batch(
    path: Annotated[str, typer.Argument(help='JSONL of {"id", "claim", "evidence"}; - for stdin')],
    batch_size: Annotated[int, typer.Option(min=1, max=100_000, help="Pairs per batch")] = 1024,
) -> None:
    """Write {"id", "label", "confidence"} per input line to stdout, in input order."""
    settings = load_settings()
    engine = build_stance_engine(settings, settings_encoder(settings))
    started = time.perf_counter()
    with (
        contextlib.nullcontext(sys.stdin) if path == "-" else Path(path).open(encoding="utf-8")
    ) as lines:
        report = judge_stream(engine, lines, sys.stdout, batch_size=batch_size)
    seconds = time.perf_counter() - started
    console.print(
        f"{report.judged} pairs judged, {report.rejected} rejected in {seconds:.1f}s "
        f"({report.judged / max(seconds, 1e-9):.0f} pairs/s)",
        markup=False,
    )
    if report.rejected:
        raise typer.Exit(3)


@app.command("train-stance")
def train_stance(
    data_dir: Annotated[
        Path, typer.Option(exists=True, file_okay=False, help="Folder with fnc1/, sick/, emergent/")
    ],
    output: Annotated[Path, typer.Option(help="Where the artifacts go")] = DEFAULT_STANCE_MODEL,
    epochs: Annotated[int, typer.Option(min=1, max=10)] = 1,
    max_pairs: Annotated[
        int | None, typer.Option(min=10, help="Train on a sample (smoke runs)")
    ] = None,
    score_only: Annotated[
        bool,
        typer.Option(
            "--score-only", help="Keep the trained artifacts in OUTPUT; rescore them on dev"
        ),
    ] = False,
    init_from: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            file_okay=False,
            help="Continue this trained judge (a classifier/ folder) on the continuation recipe",
        ),
    ] = None,
) -> None:
    """Train the stance model on the benchmarks' training data; score it on the dev splits."""
    # Training needs scikit-learn and the benchmark readers; serving does not.
    from crosscheck.stance.training.cascade_fit import TRAINING_PAIRS as CASCADE_TRAINING_PAIRS
    from crosscheck.stance.training.cascade_fit import fit_cascade
    from crosscheck.stance.training.corpus import dev_pairs
    from crosscheck.stance.training.evaluate import (
        judge_all,
        rule_scores,
        score,
        with_rule_precision,
    )
    from crosscheck.stance.training.mixture import CONTINUATION_RECIPE, RECIPE
    from crosscheck.stance.training.model_card import write_model_card, write_rule_precision
    from crosscheck.stance.training.train import TrainingOptions, train

    settings = load_settings()
    encoder = settings_encoder(settings)
    options = TrainingOptions(
        data_dir=data_dir,
        output_dir=output,
        base_model=settings.model,
        epochs=epochs,
        max_pairs=max_pairs,
        recipe=dict(RECIPE if init_from is None else CONTINUATION_RECIPE),
        learning_rate=3e-5 if init_from is None else 2e-5,
        init_from=init_from,
    )
    if score_only:
        metadata = output / "metadata.json"
        if not metadata.is_file():
            console.print(f"[red]--score-only: no trained artifacts in {output}[/red]")
            raise typer.Exit(2)
        facts = json.loads(metadata.read_text())["training"]
    else:
        facts = train(options, encoder)
    engine = build_stance_engine(settings, encoder, model_dir=output)
    # Every rule is measured; rules.json then enables those that gain right answers.
    engine.overrides = DEFAULT_OVERRIDES
    dev = dev_pairs(data_dir, preparer=engine.preparer)
    if max_pairs is not None:
        dev = dev[: max(10, max_pairs // 4)]
    started = time.perf_counter()
    judged = judge_all(engine, dev)
    # Each rule's confidence is weighed by how often it was right on dev (rules.json).
    measured = rule_scores(judged)
    precision = {name: rule.precision for name, rule in measured.items()}
    write_rule_precision(output, measured)
    # The figures reported are those of the service: only the rules rules.json enables.
    engine.overrides = load_enabled_rules(output / RULE_PRECISION_FILE)
    if engine.overrides != DEFAULT_OVERRIDES:
        judged = judge_all(engine, dev)
    scores = score(with_rule_precision(judged, precision), seconds=time.perf_counter() - started)
    scores.rules = measured
    # Last, the cascade is distilled from the engine as the service runs it (rules included).
    cascade = fit_cascade(
        engine, data_dir, output, training_pairs=max_pairs or CASCADE_TRAINING_PAIRS
    )
    write_model_card(
        output, facts=facts, scores=scores, base_model=encoder.model_name, cascade=cascade
    )
    out.print_json(
        json.dumps({"training": facts, "dev": dataclasses.asdict(scores), "cascade": cascade})
    )


def _trained_engine(settings: Settings, model_dir: Path) -> StanceEngine:
    """The engine of the trained model in ``model_dir``; exit 2 without one."""
    engine = build_stance_engine(settings, settings_encoder(settings), model_dir=model_dir)
    if not engine.learned:
        console.print(f"[red]no trained stance model in {model_dir}[/red]")
        raise typer.Exit(2)
    return engine


@app.command("fit-cascade")
def fit_cascade_command(
    data_dir: Annotated[
        Path, typer.Option(exists=True, file_okay=False, help="Folder with fnc1/, sick/, nli/, ...")
    ],
    model_dir: Annotated[
        Path, typer.Option(exists=True, file_okay=False, help="The trained stance model")
    ] = DEFAULT_STANCE_MODEL,
    pairs: Annotated[
        int, typer.Option(min=40, help="Training pairs labelled by the full engine")
    ] = 30_000,
) -> None:
    """Fit the cascade's first judge for a trained stance model (writes cascade.npz beside it)."""
    from crosscheck.stance.training.cascade_fit import fit_cascade

    engine = _trained_engine(load_settings(), model_dir)
    report = fit_cascade(engine, data_dir, model_dir, training_pairs=pairs)
    out.print_json(json.dumps(report))


@app.command("quantize-stance")
def quantize_stance(
    data_dir: Annotated[
        Path, typer.Option(exists=True, file_okay=False, help="Folder with fnc1/, sick/, nli/, ...")
    ],
    model_dir: Annotated[
        Path, typer.Option(exists=True, file_okay=False, help="The trained stance model")
    ] = DEFAULT_STANCE_MODEL,
    pairs: Annotated[int, typer.Option(min=10, help="Dev pairs to compare on")] = 4000,
) -> None:
    """Measure the int8 judge against full precision on dev pairs; quantization.json says
    whether the service may use it (labels agree on at least 99% of pairs)."""
    import random

    import numpy as np

    from crosscheck.stance.classifier import OnnxStanceClassifier
    from crosscheck.stance.quantization import QuantizationCheck, label_agreement
    from crosscheck.stance.training.corpus import ARTICLE_DATASETS, dev_pairs
    from embeddings.encoders.onnx_export import source_digest

    settings = load_settings()
    engine = _trained_engine(settings, model_dir)
    dev = random.Random(13).sample(dev_pairs(data_dir), pairs)
    statements = [(p.claim, p.evidence) for p in dev if p.dataset not in ARTICLE_DATASETS]
    articles = [(p.claim, p.evidence) for p in dev if p.dataset in ARTICLE_DATASETS]
    inputs = [
        *engine.classifier_inputs(statements, statements=True),
        *engine.classifier_inputs(articles),
    ]
    claims, evidences = [c for c, _ in inputs], [e for _, e in inputs]
    classifier_dir = model_dir / "classifier"
    cache = settings.onnx_cache_dir / "stance-classifier"
    started = time.perf_counter()
    full = OnnxStanceClassifier(classifier_dir, cache_dir=cache).predict(claims, evidences)
    full_seconds = time.perf_counter() - started
    started = time.perf_counter()
    int8 = OnnxStanceClassifier(classifier_dir, cache_dir=cache, int8=True).predict(
        claims, evidences
    )
    int8_seconds = time.perf_counter() - started
    kind = np.asarray([False] * len(statements) + [True] * len(articles))
    check = QuantizationCheck(
        label_agreement=round(label_agreement(full, int8), 4),
        pairs=len(dev),
        statement_agreement=round(label_agreement(full[~kind], int8[~kind]), 4),
        article_agreement=round(label_agreement(full[kind], int8[kind]), 4),
        classifier_sha256=source_digest(classifier_dir),
    )
    check.save(model_dir)
    verdict = "used" if check.faithful else "NOT used (below 99%)"
    console.print(
        f"int8 labels agree with full precision on {check.label_agreement:.2%} of {len(dev)} "
        f"dev pairs (statements {check.statement_agreement:.2%}, articles "
        f"{check.article_agreement:.2%}): {verdict}; {full_seconds:.1f}s full precision, "
        f"{int8_seconds:.1f}s int8",
        markup=False,
    )
