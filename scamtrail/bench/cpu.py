"""CPU time per complaint, per stage, and what it projects for bigger machines.

A stage's cost is the CPU its thread spent on batches (``ConsumerStage.cpu_s``: poll, decode,
handle, commit), divided by the complaints it handled. The rest of the case process's CPU is the
ingest side (reading and encoding the replay, the embedded bus's writes). The services' cost is
the CPU their JVMs (``.services/*/*.pid``) used during the run. These add up to what one
complaint costs the whole deployment, whichever core it runs on, and that is what the scaling
table projects from:

- on ``c`` cores with at least ``c`` partitions and as many workers per stage, every stage
  scales out, so the rate is ``c / total`` (total CPU seconds a complaint costs), unless one stage
  cannot scale out: the SQLite store has one writer, so its rate stays ``1 / index``;
- the projection for one and two cores is checked against the measured runs here: the
  single-process run (every stage stepped in one thread: one core) and the default run (the
  index stage in a child process beside the ingest and process stages: two cores, rate
  ``1 / max(ingest + process, index)``, since each of the two processes is one thread of work
  under its interpreter lock).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

SERVICES_DIR = Path(".services")


def service_cpu_s(services_dir: Path = SERVICES_DIR) -> dict[str, float]:
    """CPU seconds (user + system) each running service's JVM has used so far, by service
    (the folder its pid file is in: ``kafka``, ``search``)."""
    ticks = os.sysconf("SC_CLK_TCK")
    used: dict[str, float] = {}
    for pid_file in sorted(services_dir.glob("*/*.pid")):
        try:
            pid = int(pid_file.read_text().strip())
            stat = Path(f"/proc/{pid}/stat").read_text()
        except (OSError, ValueError):
            continue
        # fields after the command (which may hold spaces) start after the last ")"
        fields = stat.rsplit(")", 1)[1].split()
        name = pid_file.parent.name
        used[name] = used.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / ticks
    return used


def per_complaint_us(cpu: dict[str, float], n: int) -> dict[str, float]:
    """Each part's CPU seconds as microseconds per complaint, with their total."""
    out = {part: seconds / n * 1e6 for part, seconds in cpu.items()}
    out["total"] = sum(out.values())
    return out


def projected_rates(us: dict[str, float], single_writer: bool) -> dict[int, float]:
    """Complaints/s projected on 1, 2, 8 and 32 cores (see the module docstring)."""
    total = us["total"]
    # two cores as `scamtrail run` uses them: ingest + process in one process, index in another
    here, child = us.get("ingest", 0.0) + us.get("process", 0.0), us.get("index", 0.0)
    rates = {1: 1e6 / total, 2: min(2e6 / total, 1e6 / max(here, child, 1e-9))}
    for cores in (8, 32):
        rate = cores * 1e6 / total
        if single_writer:
            rate = min(rate, 1e6 / us.get("index", total))
        rates[cores] = rate
    return rates


def scaling_lines(
    name: str, us: dict[str, float], measured: dict[int, float], single_writer: bool
) -> list[str]:
    """The scaling table of one deployment: projected rates, beside the measured ones."""
    parts = ", ".join(f"{k} {v:,.0f}" for k, v in us.items() if k != "total")
    lines = [
        f"{name}: CPU per complaint {us['total']:,.0f} us ({parts})",
        f"  {'cores':>5} {'projected/s':>12} {'measured/s':>11}",
    ]
    for cores, rate in projected_rates(us, single_writer).items():
        seen = measured.get(cores)
        lines.append(f"  {cores:>5} {rate:>12,.0f} {('-' if seen is None else f'{seen:,.0f}'):>11}")
    if single_writer:
        lines.append("  (SQLite has one writer: from 2 cores on, the index stage bounds the rate)")
    return lines


def cpu_report(result: dict[str, Any]) -> dict[str, float] | None:
    """The per-complaint CPU of an e2e result, when it measured it."""
    cpu = result.get("cpu_s")
    return per_complaint_us(cpu, result["items"]) if cpu else None
