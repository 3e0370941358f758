"""The classifier's commands: ``train`` (rebuild the model from the corpus) and ``eval``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scamtrail.cli.app import app, echo_json, settings, short_text


# -- model ----------------------------------------------------------------------------------
@app.command()
def train(
    train_file: Annotated[
        Path | None,
        typer.Option("--train", help="Labelled JSONL (default: the bundled corpus train split)."),
    ] = None,
    dev_file: Annotated[
        Path | None, typer.Option("--dev", help="Labelled JSONL for model selection.")
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
        train_file or classifier.CORPUS_DIR / "train.jsonl",
        dev_file or classifier.CORPUS_DIR / "dev.jsonl",
        output or classifier.DEFAULT_MODEL,
        seed=seed,
        epochs=epochs,
        log=lambda line: typer.echo(line, err=True),
    )
    typer.echo(
        f"model written to {report.output}: best epoch {report.best_epoch}, dev macro-F1 "
        f"{report.dev_macro_f1:.4f} on {report.train_examples} training examples "
        f"in {report.seconds:.1f}s"
    )


@app.command("eval")
def eval_cmd(
    file: Annotated[Path, typer.Argument(help="Labelled JSONL: text, category, identifiers.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the full report as JSON.")] = False,
    min_macro_f1: Annotated[
        float | None, typer.Option(help="Exit 1 when macro-F1 is below this.")
    ] = None,
    min_phone_f1: Annotated[
        float | None, typer.Option(help="Exit 1 when phone F1 is below this.")
    ] = None,
    show_errors: Annotated[int, typer.Option(help="How many errors of each sort to list.")] = 10,
) -> None:
    """Measure the classifier and the identifier extractors on a labelled file."""
    from scamtrail.extract.evaluate import evaluate
    from scamtrail.extract.pipeline import ComplaintExtractor

    s = settings()
    extractor = ComplaintExtractor(s.extract.model_path, s.extract.region, s.extract.batch_size)
    report = evaluate(extractor, str(file))
    if as_json:
        echo_json(report.to_dict())
    else:
        typer.echo(f"{report.examples} examples, model {extractor.model_name}")
        typer.echo(f"{'class':<12} {'P':>6} {'R':>6} {'F1':>6} {'n':>6}")
        for label, m in report.classes.items():
            typer.echo(
                f"{label:<12} {m['precision']:>6.3f} {m['recall']:>6.3f} {m['f1']:>6.3f} "
                f"{int(m.get('support', 0)) if label != 'macro' else '':>6}"
            )
        typer.echo(f"{'identifier':<12} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6}")
        for kind, m in report.identifiers.items():
            typer.echo(
                f"{kind:<12} {m['precision']:>6.3f} {m['recall']:>6.3f} {m['f1']:>6.3f} {int(m['gold']):>6}"
            )
        for err in report.misclassified[:show_errors]:
            typer.echo(f"  class {err['gold']} -> {err['predicted']}: {short_text(err['text'])}")
        for err in report.identifier_errors[:show_errors]:
            typer.echo(
                f"  ids missed={err['missed']} spurious={err['spurious']}: {short_text(str(err['text']))}"
            )
    failed = []
    if min_macro_f1 is not None and report.macro_f1 < min_macro_f1:
        failed.append(f"macro-F1 {report.macro_f1:.4f} < {min_macro_f1}")
    phone_f1 = report.identifiers.get("phone", {}).get("f1", 0.0)
    if min_phone_f1 is not None and phone_f1 < min_phone_f1:
        failed.append(f"phone F1 {phone_f1:.4f} < {min_phone_f1}")
    if failed:
        typer.echo("below the floor: " + "; ".join(failed), err=True)
        raise typer.Exit(1)
