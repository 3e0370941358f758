"""Pictures of the dossier, computed on the server: the complaints-over-time bars (drawn as SVG
by the template) and the ring graph's nodes and edges (laid out and drawn by ``console.js``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

#: Size of the chart's drawing area (SVG user units; the SVG scales to its box).
CHART_W, CHART_H, CHART_PAD = 640, 160, 24
#: Most nodes the ring graph draws (the identifier, its direct links, then the ring's others).
GRAPH_MAX_NODES = 40


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar of the chart: its period, count and rectangle."""

    label: str
    count: int
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True, slots=True)
class Chart:
    """Complaints per day (or per month over long spans), as bars ready to draw."""

    unit: str
    bars: tuple[Bar, ...]
    peak: int
    total: int
    width: int = CHART_W
    height: int = CHART_H
    pad: int = CHART_PAD


def timeline(per_day: Mapping[str, int]) -> Chart | None:
    """Bars of complaints over time from counts per day (``YYYY-MM-DD``); None when empty.

    Days when the complaints span at most 62 days, months beyond that; periods without a
    complaint get an empty bar, so the time axis is even.
    """
    days = sorted((date.fromisoformat(d), n) for d, n in per_day.items() if n > 0)
    if not days:
        return None
    first, last = days[0][0], days[-1][0]
    by_day = (last - first).days <= 62
    counts: Counter[str] = Counter()
    if by_day:
        labels = [(first + timedelta(d)).isoformat() for d in range((last - first).days + 1)]
        for d, n in days:
            counts[d.isoformat()] += n
    else:
        labels = []
        y, m = first.year, first.month
        while (y, m) <= (last.year, last.month):
            labels.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        for d, n in days:
            counts[d.isoformat()[:7]] += n
    peak = max(counts.values())
    inner_w, inner_h = CHART_W - 2 * CHART_PAD, CHART_H - 2 * CHART_PAD
    step = inner_w / len(labels)
    bars = []
    for i, label in enumerate(labels):
        n = counts.get(label, 0)
        h = inner_h * n / peak
        bars.append(
            Bar(
                label,
                n,
                round(CHART_PAD + i * step + step * 0.1, 2),
                round(CHART_PAD + inner_h - h, 2),
                round(max(step * 0.8, 1.0), 2),
                round(h, 2),
            )
        )
    return Chart("day" if by_day else "month", tuple(bars), peak, sum(n for _, n in days))


def dossier_href(kind: str, value: str) -> str:
    """The console address of an identifier's dossier."""
    return "/console/identifier?" + urlencode({"kind": kind, "value": value})


def ring_graph(
    start: tuple[str, str],
    members: Sequence[tuple[str, str]],
    linked: Callable[[tuple[str, str]], Sequence[tuple[str, str, int]]],
) -> dict[str, object]:
    """Nodes and edges of the ring around ``start`` for ``console.js`` to draw.

    ``linked(key)`` gives ``(kind, value, complaints)`` of every identifier linked to ``key``.
    At most :data:`GRAPH_MAX_NODES` nodes: ``start``, its direct links (most complaints first),
    then the ring's other members; edges are the links among the drawn nodes.
    """
    direct = list(linked(start))
    order = [start] + [(k, v) for k, v, _ in direct]
    order += [m for m in members if m not in set(order)]
    nodes = order[:GRAPH_MAX_NODES]
    index = {key: i for i, key in enumerate(nodes)}
    edges: dict[tuple[int, int], int] = {}
    for key in nodes:
        near = direct if key == start else linked(key)
        for k, v, n in near:
            j = index.get((k, v))
            if j is not None and j != index[key]:
                a, b = sorted((index[key], j))
                edges[(a, b)] = max(edges.get((a, b), 0), n)
    direct_keys = {(k, v) for k, v, _ in direct}
    return {
        "nodes": [
            {
                "kind": k,
                "value": v,
                "href": dossier_href(k, v),
                "ring": 0 if (k, v) == start else 1 if (k, v) in direct_keys else 2,
            }
            for k, v in nodes
        ],
        "edges": [[a, b, n] for (a, b), n in sorted(edges.items())],
        "hidden": max(0, len(members) - len(nodes)),
    }
