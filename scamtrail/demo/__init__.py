"""``scamtrail demo``: the bundled sample through the embedded pipeline, and a short report."""

from __future__ import annotations

import shutil
import sys
import time
from importlib import resources
from pathlib import Path

import typer

from scamtrail.records import Alert
from scamtrail.settings import load_settings


def sample_path() -> Path:
    """The bundled sample of complaint tweets (X API v2 payload lines)."""
    return Path(str(resources.files("scamtrail") / "data" / "demo_tweets.jsonl"))


def run_demo(home: Path, region: str = "IN") -> None:
    """Replay the sample into a fresh embedded home under ``home`` and print the report."""
    from scamtrail.bus import open_bus
    from scamtrail.extract.pipeline import ComplaintExtractor
    from scamtrail.index import open_store
    from scamtrail.ingest.replay import ReplaySource
    from scamtrail.runtime.ingestor import Ingestor
    from scamtrail.runtime.run import run_all
    from scamtrail.runtime.stages import IndexStage, ProcessStage

    if home.exists():
        shutil.rmtree(home)
    s = load_settings(home=home, bus=None, store=None)
    sample = sample_path()
    typer.echo(f"scamtrail demo: replaying {sample.name} into {home}", err=True)
    started = time.perf_counter()
    with open_bus(s) as bus, open_store(s) as store:
        extractor = ComplaintExtractor(region=region)
        process = ProcessStage(bus, extractor, settings=s.stage)
        index = IndexStage(bus, store, settings=s.stage)
        ingestor = Ingestor(bus)
        run_all(
            process,
            index,
            source=ReplaySource(sample, progress=True),
            ingestor=ingestor,
            until_drained=True,
        )
        elapsed = time.perf_counter() - started
        st = store.stats()
        repeats = store.top_identifiers(limit=15, min_count=2)
        alerts = store.alerts(limit=500)

    echo = typer.echo
    echo("")
    echo(
        f"Indexed {st.complaints} complaints in {elapsed:.1f}s "
        f"({ingestor.rejected} input lines rejected to the dead-letter topic)."
    )
    echo("")
    echo("Complaints by category")
    for cat in ("bank_fraud", "traffic", "other"):
        echo(f"  {cat:<11} {st.by_category.get(cat, 0):>5}")
    echo("")
    echo(
        f"Identifiers extracted: {st.identifiers} distinct "
        + ", ".join(f"{k} {n}" for k, n in sorted(st.by_kind.items()))
    )
    echo("")
    echo("Repeat identifiers (named in two or more complaints)")
    for e in repeats:
        echo(
            f"  {e.kind:<8} {e.value:<28} {e.complaint_count:>3} complaints  "
            f"{e.first_seen[:10] if e.first_seen else ''} .. {e.last_seen[:10] if e.last_seen else ''}"
            f"  {'/'.join(e.categories)}"
        )
    echo("")
    # One line per identifier, at the highest level its alerts reached.
    highest: dict[tuple[str, str], Alert] = {}
    for a in alerts:
        key = (a.identifier.kind, a.identifier.value)
        if key not in highest or a.level > highest[key].level:
            highest[key] = a
    echo(
        f"Alerts raised: {len(alerts)} for {len(highest)} identifiers (levels at 2, 5, 10 complaints)"
    )
    for a in sorted(highest.values(), key=lambda a: (-a.complaint_count, a.identifier.value))[:12]:
        ids = a.complaint_ids
        echo(
            f"  [{a.rule} level {a.level}] {a.identifier.kind} {a.identifier.value}: "
            f"{a.complaint_count} complaints ({', '.join(ids[:3])}{', ...' if len(ids) > 3 else ''})"
        )
    echo("")
    echo("What to type next (the demo's data stays in place):")
    if sys.prefix != sys.base_prefix:
        echo(f"  source {Path(sys.prefix) / 'bin' / 'activate'}    # puts scamtrail on your PATH")
    phone = next((e.value for e in repeats if e.kind == "phone"), "+919876543210")
    typed = f"{phone[3:8]} {phone[8:]}" if phone.startswith("+91") and len(phone) == 13 else phone
    env = f"SCAMTRAIL_HOME={home}"
    echo(f"  {env} scamtrail lookup '{typed}'     # typed any way: +91-..., 0..., spaces")
    echo(f"  {env} scamtrail search 'otp' --category bank_fraud")
    echo(f"  {env} scamtrail alerts")
    echo(f"  {env} scamtrail stats --json")
