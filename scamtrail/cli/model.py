"""The classifier's commands: ``train`` (rebuild the model from the corpus) and ``eval``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scamtrail.cli.app import app, echo_json, settings


# -- model ----------------------------------------------------------------------------------
@app.command()
def train(
    train_file: Annotated[
        list[Path] | None,
        typer.Option(
            "--train",
            help="Labelled JSONL, repeatable (default: textcat.cfg's train_files).",
        ),
    ] = None,
    dev_file: Annotated[
        Path | None,
        typer.Option("--dev", help="Labelled JSONL for model selection (default: textcat.cfg's)."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option(help="Where to write the model (default: the packaged model).")
    ] = None,
    seed: Annotated[
        int | None, typer.Option(help="Random seed (default from textcat.cfg).")
    ] = None,
    epochs: Annotated[int | None, typer.Option(help="Epochs (default from textcat.cfg).")] = None,
) -> None:
    """Train the complaint classifier from extract/textcat.cfg on the project's corpus."""
    from scamtrail.extract import classifier

    report = classifier.train(
        train_file or None,
        dev_file,
        output or classifier.DEFAULT_MODEL,
        seed=seed,
        epochs=epochs,
        log=lambda line: typer.echo(line, err=True),
    )
    typer.echo(
        f"model written to {report.output}: best epoch {report.best_epoch}, dev macro-F1 "
        f"{report.dev_macro_f1:.4f} on {report.train_examples} training examples, "
        f"temperature {report.temperature}, in {report.seconds:.1f}s"
    )


@app.command("eval")
def eval_cmd(
    file: Annotated[
        Path, typer.Argument(help="Labelled JSONL: text, category, identifiers; lang, style.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the full report as JSON.")] = False,
    min_macro_f1: Annotated[
        float | None, typer.Option(help="Exit 1 when macro-F1 is below this.")
    ] = None,
    min_class_f1: Annotated[
        float | None, typer.Option(help="Exit 1 when any class's F1 is below this.")
    ] = None,
    min_phone_f1: Annotated[
        float | None, typer.Option(help="Exit 1 when phone F1 is below this.")
    ] = None,
    show_errors: Annotated[int, typer.Option(help="How many errors of each sort to list.")] = 10,
) -> None:
    """Measure the classifier and the identifier extractors on a labelled file: per class, per
    language and per style, the confusion matrix, the reliability of the scores."""
    from scamtrail.extract.evaluate import evaluate, format_report
    from scamtrail.extract.pipeline import ComplaintExtractor

    s = settings()
    extractor = ComplaintExtractor(
        s.extract.model_path,
        s.extract.region,
        s.extract.batch_size,
        review_below=s.extract.review_below,
    )
    report = evaluate(extractor, str(file))
    if as_json:
        echo_json({"model": extractor.model_name, **report.to_dict()})
    else:
        typer.echo(f"model {extractor.model_name}")
        typer.echo(format_report(report, show_errors))
    failed = []
    if min_macro_f1 is not None and report.macro_f1 < min_macro_f1:
        failed.append(f"macro-F1 {report.macro_f1:.4f} < {min_macro_f1}")
    if min_class_f1 is not None:
        failed += [
            f"{label} F1 {m['f1']:.4f} < {min_class_f1}"
            for label, m in report.classes.items()
            if label != "macro" and m["f1"] < min_class_f1
        ]
    phone_f1 = report.identifiers.get("phone", {}).get("f1", 0.0)
    if min_phone_f1 is not None and phone_f1 < min_phone_f1:
        failed.append(f"phone F1 {phone_f1:.4f} < {min_phone_f1}")
    if failed:
        typer.echo("below the floor: " + "; ".join(failed), err=True)
        raise typer.Exit(1)
