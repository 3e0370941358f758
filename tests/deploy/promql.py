"""A small PromQL checker for the rules and dashboards in deploy/: balanced brackets, known
functions, every metric a series that scamtrail.metrics exports, every label one that series has.

Not a full parser: it tokenises the expression and reads the few shapes that matter here —
``metric{label="v"}``, ``agg by (labels) (expr)`` / ``agg (expr) by (labels)`` and
``rate(counter[5m])``. Grafana's ``$__rate_interval``-style variables are read as durations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from prometheus_client import REGISTRY

import scamtrail.metrics  # noqa: F401  (registers every scamtrail metric in REGISTRY)

FUNCTIONS = {
    "abs", "absent", "absent_over_time", "acos", "acosh", "asin", "asinh", "atan", "atanh",
    "avg_over_time", "ceil", "changes", "clamp", "clamp_max", "clamp_min", "cos", "cosh",
    "count_over_time", "day_of_month", "day_of_week", "day_of_year", "days_in_month", "deg",
    "delta", "deriv", "exp", "floor", "histogram_avg", "histogram_count", "histogram_fraction",
    "histogram_quantile", "histogram_stddev", "histogram_stdvar", "histogram_sum", "holt_winters",
    "hour", "idelta", "increase", "irate", "label_join", "label_replace", "last_over_time", "ln",
    "log10", "log2", "max_over_time", "min_over_time", "minute", "month", "pi", "predict_linear",
    "present_over_time", "quantile_over_time", "rad", "rate", "resets", "round", "scalar", "sgn",
    "sin", "sinh", "sort", "sort_desc", "sqrt", "stddev_over_time", "stdvar_over_time",
    "sum_over_time", "tan", "tanh", "time", "timestamp", "vector", "year",
}  # fmt: skip
AGGREGATIONS = {
    "avg", "bottomk", "count", "count_values", "group", "limitk", "limit_ratio", "max", "min",
    "quantile", "stddev", "stdvar", "sum", "topk",
}  # fmt: skip
#: Keywords that take a label list in parentheses.
GROUPING = {"by", "without", "on", "ignoring", "group_left", "group_right"}
KEYWORDS = GROUPING | {"and", "or", "unless", "bool", "offset", "atan2"}
#: Functions whose argument must be a counter (or a histogram's counter series).
COUNTER_FUNCTIONS = {"rate", "irate", "increase", "resets"}
#: Series Prometheus itself writes for every target; they carry only target labels.
SYNTHETIC = {"up", "scrape_duration_seconds", "scrape_samples_scraped"}

_TOKEN = re.compile(
    r"""(?P<ws>\s+)
      | (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
      | (?P<number>(?:\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(?:(?:ms|[smhdwy])(?:\d+(?:ms|[smhdwy]))*)?)
      | (?P<ident>[A-Za-z_:][A-Za-z0-9_:]*)
      | (?P<op>=~|!~|!=|==|>=|<=|[-+*/%^<>=,])
      | (?P<bracket>[(){}\[\]])""",
    re.VERBOSE,
)
_GRAFANA_VAR = re.compile(r"\$__\w+|\$\{__\w+\}")
_PAIRS = {")": "(", "]": "[", "}": "{"}


class PromQLError(ValueError):
    """An expression this checker rejects, with the reason."""


@dataclass(frozen=True)
class Family:
    """One metric as exported: its type, label names and the series names it produces."""

    name: str
    type: str
    labels: frozenset[str]

    def series(self) -> dict[str, frozenset[str]]:
        """Series name -> labels of that series (``le`` on histogram buckets)."""
        if self.type == "counter":
            return {f"{self.name}_total": self.labels, f"{self.name}_created": self.labels}
        if self.type == "histogram":
            return {
                f"{self.name}_bucket": self.labels | {"le"},
                f"{self.name}_sum": self.labels,
                f"{self.name}_count": self.labels,
                f"{self.name}_created": self.labels,
            }
        if self.type == "summary":
            return {
                self.name: self.labels | {"quantile"},
                f"{self.name}_sum": self.labels,
                f"{self.name}_count": self.labels,
            }
        return {self.name: self.labels}


def registered_series() -> dict[str, tuple[Family, frozenset[str]]]:
    """Every series name the process-wide registry can export -> (family, its labels)."""
    out = {}
    # The registry keeps no public list of label names (a labelled metric without children has
    # no samples), so read them from the collectors it holds.
    for collector in list(REGISTRY._collector_to_names):  # noqa: SLF001
        labels = frozenset(getattr(collector, "_labelnames", ()))
        describe = getattr(collector, "describe", None)
        for metric in describe() if describe else collector.collect():
            fam = Family(metric.name, metric.type, labels)
            for name, series_labels in fam.series().items():
                out[name] = (fam, series_labels)
    return out


@dataclass
class Checked:
    """What an expression uses: series names, and each label with the series it must be on."""

    metrics: list[str] = field(default_factory=list)
    labels: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    matchers: list[tuple[str, str, str, str]] = field(default_factory=list)


def _tokens(expr: str) -> list[tuple[str, str]]:
    text = _GRAFANA_VAR.sub("5m", expr)
    out, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise PromQLError(f"unexpected character {text[pos]!r} at {pos} in {expr!r}")
        pos = m.end()
        if m.lastgroup != "ws":
            out.append((m.lastgroup or "", m.group()))
    return out


def _match_brackets(tokens: list[tuple[str, str]], expr: str) -> dict[int, int]:
    """Index of each opening bracket -> index of its closing one; raises when unbalanced."""
    stack: list[int] = []
    pairs = {}
    for i, (kind, value) in enumerate(tokens):
        if kind != "bracket":
            continue
        if value in "([{":
            stack.append(i)
        elif not stack or tokens[stack[-1]][1] != _PAIRS[value]:
            raise PromQLError(f"unbalanced {value!r} in {expr!r}")
        else:
            pairs[stack.pop()] = i
    if stack:
        raise PromQLError(f"unclosed {tokens[stack[-1]][1]!r} in {expr!r}")
    return pairs


def check(
    expr: str, series: dict[str, tuple[Family, frozenset[str]]], target_labels: set[str]
) -> Checked:
    """Check one expression; return what it uses. Raises PromQLError naming the first problem."""
    tokens = _tokens(expr)
    if not tokens:
        raise PromQLError("empty expression")
    close = _match_brackets(tokens, expr)
    inside: list[str] = []  # bracket kinds enclosing each token
    metric_at: dict[int, str] = {}
    found = Checked()

    def labels_of(name: str) -> frozenset[str]:
        if name in SYNTHETIC:
            return frozenset()
        return series[name][1]

    for i, (kind, value) in enumerate(tokens):
        if kind == "bracket":
            if value in "([{":
                # "g": the label list of by/without/on/ignoring/group_left/group_right.
                grouping = value == "(" and i > 0 and tokens[i - 1][1] in GROUPING
                inside.append("g" if grouping else value)
            else:
                inside.pop()
            continue
        if kind != "ident":
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ("", "")
        if inside and inside[-1] in "{g":
            continue  # a label name, read with its selector or its grouping below
        if inside and inside[-1] == "[":
            raise PromQLError(f"{value!r} inside a range in {expr!r}")
        low = value.lower()
        if low in KEYWORDS or (low in AGGREGATIONS and nxt[1] in ("by", "without")):
            continue
        if nxt == ("bracket", "("):
            if low not in FUNCTIONS | AGGREGATIONS:
                raise PromQLError(f"unknown function {value!r} in {expr!r}")
            continue
        # A metric name: it must be exported (or written by Prometheus itself).
        if value not in series and value not in SYNTHETIC:
            raise PromQLError(f"unknown metric {value!r} in {expr!r}")
        metric_at[i] = value
        found.metrics.append(value)
        if i >= 2 and tokens[i - 1] == ("bracket", "(") and tokens[i - 2][1] in COUNTER_FUNCTIONS:
            fam = series[value][0] if value in series else None
            counter_series = value.endswith(("_total", "_bucket", "_sum", "_count"))
            if fam is None or fam.type == "gauge" or not counter_series:
                raise PromQLError(f"{tokens[i - 2][1]}() of non-counter {value!r} in {expr!r}")
        if nxt == ("bracket", "{"):
            end = close[i + 1]
            body = tokens[i + 2 : end]
            for j in range(0, len(body), 4):
                name, op, val = body[j], body[j + 1], body[j + 2]
                if name[0] != "ident" or op[0] != "op" or val[0] != "string":
                    raise PromQLError(f"malformed matcher in {expr!r}")
                found.matchers.append((value, name[1], op[1], val[1][1:-1]))
                if name[1] not in labels_of(value) | target_labels:
                    raise PromQLError(f"{value!r} has no label {name[1]!r} in {expr!r}")

    # Grouping labels: ``agg by (x) (arg)`` and ``agg (arg) by (x)`` need x on every metric of
    # arg; ``on``/``ignoring``/``group_*`` need it on some metric of the expression.
    all_labels = set(target_labels)
    for name in metric_at.values():
        all_labels |= labels_of(name)
    for i, (_kind, value) in enumerate(tokens):
        if value not in GROUPING or tokens[i + 1] != ("bracket", "("):
            continue
        end = close[i + 1]
        names = [v for k, v in tokens[i + 2 : end] if k == "ident"]
        if value in ("by", "without"):
            if i >= 1 and tokens[i - 1][1].lower() in AGGREGATIONS:
                start = end + 1  # agg by (x) (arg)
            elif i >= 1 and tokens[i - 1] == ("bracket", ")"):
                start = next(o for o, c in close.items() if c == i - 1)  # agg (arg) by (x)
            else:
                raise PromQLError(f"{value} without an aggregation in {expr!r}")
            arg = [m for j, m in metric_at.items() if start < j < close[start]]
            for label in names:
                for m in arg:
                    if label not in labels_of(m) | target_labels:
                        raise PromQLError(f"{m!r} has no label {label!r} (by) in {expr!r}")
                found.labels.append((label, tuple(arg)))
        else:
            for label in names:
                if label not in all_labels:
                    raise PromQLError(f"no metric has label {label!r} ({value}) in {expr!r}")
                found.labels.append((label, tuple(metric_at.values())))
    return found
