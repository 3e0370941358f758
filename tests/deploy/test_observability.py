"""Prometheus configuration, alert rules and the Grafana dashboard in deploy/: they parse, and
every PromQL expression uses metrics and labels that scamtrail.metrics really exports."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.deploy.promql import PromQLError, check, registered_series

yaml = pytest.importorskip("yaml", reason="PyYAML reads the YAML files (dev dependency)")

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
PROMETHEUS_CONFIGS = sorted((DEPLOY / "prometheus").glob("prometheus*.yml"))
RULE_FILES = sorted((DEPLOY / "prometheus" / "rules").glob("*.yml"))
DASHBOARDS = sorted((DEPLOY / "grafana" / "dashboards").glob("*.json"))
PROVISIONING = sorted((DEPLOY / "grafana" / "provisioning").rglob("*.yml"))
SEVERITIES = {"critical", "warning", "info"}
_DURATION = re.compile(r"^(\d+(ms|[smhdwy]))+$")


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _rules() -> list[dict[str, Any]]:
    return [r for path in RULE_FILES for g in _load(path)["groups"] for r in g["rules"]]


def _dashboard_targets() -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    out = []
    for path in DASHBOARDS:
        for panel in json.loads(path.read_text(encoding="utf-8"))["panels"]:
            for target in panel.get("targets", []):
                out.append((path.name, panel, target))
    return out


def _target_labels() -> set[str]:
    """Labels Prometheus attaches to every scraped series, from the scrape configs."""
    labels = {"job", "instance"}
    for path in PROMETHEUS_CONFIGS:
        for job in _load(path)["scrape_configs"]:
            for static in job.get("static_configs", []):
                labels |= set(static.get("labels", {}))
            for relabel in job.get("relabel_configs", []):
                target = relabel.get("target_label", "")
                if target and not target.startswith("__"):
                    labels.add(target)
    return labels


def _job_names() -> set[str]:
    """Job names the scrape configs give: literal names, and "scamtrail-<component>" where
    prometheus-kubernetes.yml names jobs after the Deployments' component labels."""
    components = {
        doc["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/component"]
        for path in (DEPLOY / "k8s").glob("deployment-*.yaml")
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8"))
        if doc and doc["kind"] == "Deployment"
    }
    names = set()
    for path in PROMETHEUS_CONFIGS:
        for job in _load(path)["scrape_configs"]:
            names.add(job["job_name"])
            for relabel in job.get("relabel_configs", []):
                if relabel.get("target_label") == "job":
                    names |= {relabel["replacement"].replace("$1", c) for c in components}
    return names


def test_kubernetes_jobs_are_named_like_the_compose_jobs() -> None:
    assert {"scamtrail-ingest", "scamtrail-process", "scamtrail-index", "scamtrail-api"} <= (
        _job_names()
    )


def test_files_exist_and_parse() -> None:
    assert PROMETHEUS_CONFIGS and RULE_FILES and DASHBOARDS and PROVISIONING
    for path in [*PROMETHEUS_CONFIGS, *RULE_FILES, *PROVISIONING]:
        assert isinstance(_load(path), dict), path
    for path in DASHBOARDS:
        assert json.loads(path.read_text(encoding="utf-8"))["panels"], path


def test_prometheus_scrapes_every_scamtrail_process_and_the_api() -> None:
    compose = {
        job["job_name"]: job
        for job in _load(DEPLOY / "prometheus" / "prometheus.yml")["scrape_configs"]
    }
    for job in ("scamtrail-ingest", "scamtrail-process", "scamtrail-index", "scamtrail-api"):
        assert job in compose, job
        assert compose[job].get("static_configs") or compose[job].get("dns_sd_configs"), job
    for path in PROMETHEUS_CONFIGS:
        config = _load(path)
        assert config["rule_files"], path
        for job in config["scrape_configs"]:
            assert _DURATION.match(job.get("scrape_interval", config["global"]["scrape_interval"]))


def test_alert_rules_have_a_severity_a_summary_and_a_runbook() -> None:
    rules = _rules()
    names = [r["alert"] for r in rules]
    assert len(names) == len(set(names)), "alert names are unique"
    for rule in rules:
        assert rule["labels"]["severity"] in SEVERITIES, rule["alert"]
        assert rule["annotations"]["summary"].strip(), rule["alert"]
        assert len(rule["annotations"]["runbook"].split()) >= 10, rule["alert"]
        if "for" in rule:
            assert _DURATION.match(rule["for"]), rule["alert"]
    wanted = {
        "scamtrail_consumer_lag": "consumer lag growing",
        "scamtrail_dead_letters_total": "dead-letter rate",
        "scamtrail_stream_connected": "stream without a connection",
        "scamtrail_last_complaint_timestamp_seconds": "no complaints for N minutes",
        "scamtrail_store_errors_total": "store write errors",
        "scamtrail_alerts_total": "alert storm",
        "up": "a process down",
    }
    used = {
        m for r in rules for m in check(r["expr"], registered_series(), _target_labels()).metrics
    }
    missing = {what for metric, what in wanted.items() if metric not in used}
    assert not missing, f"no rule for: {missing}"


def test_every_rule_expression_uses_exported_metrics_and_their_labels() -> None:
    series, targets, jobs = registered_series(), _target_labels(), _job_names()
    for rule in _rules():
        found = check(rule["expr"], series, targets)
        assert found.metrics, rule["alert"]
        for _metric, label, op, value in found.matchers:
            if label == "job":
                assert any(re.fullmatch(value, j) if op == "=~" else value == j for j in jobs), (
                    f"{rule['alert']}: job {value!r} is not scraped"
                )


def test_every_dashboard_target_uses_exported_metrics_and_their_labels() -> None:
    series, targets = registered_series(), _target_labels()
    used = set()
    for name, panel, target in _dashboard_targets():
        try:
            used |= set(check(target["expr"], series, targets).metrics)
        except PromQLError as exc:
            pytest.fail(f"{name}, panel {panel['title']!r}: {exc}")
    families = {series[m][0].name for m in used if m in series}
    # The operations view the dashboard promises: ingest by source, categories, identifiers,
    # DLQ, lag, e2e latency, store latency and errors, alerts by rule, API requests.
    for family in (
        "scamtrail_complaints_ingested",
        "scamtrail_complaints_processed",
        "scamtrail_identifiers_extracted",
        "scamtrail_dead_letters",
        "scamtrail_consumer_lag",
        "scamtrail_end_to_end_seconds",
        "scamtrail_store_write_seconds",
        "scamtrail_store_errors",
        "scamtrail_alerts",
        "scamtrail_api_requests",
    ):
        assert family in families, family


def test_dashboard_panels_use_the_provisioned_data_source_and_fit_the_grid() -> None:
    sources = [ds for path in PROVISIONING for ds in (_load(path) or {}).get("datasources", [])]
    uids = {ds["uid"] for ds in sources if ds["type"] == "prometheus"}
    assert uids
    for path in DASHBOARDS:
        dash = json.loads(path.read_text(encoding="utf-8"))
        assert dash["uid"] and dash["title"]
        ids = [p["id"] for p in dash["panels"]]
        assert len(ids) == len(set(ids)), path
        cells: set[tuple[int, int]] = set()
        for panel in dash["panels"]:
            pos = panel["gridPos"]
            assert pos["x"] >= 0 and pos["x"] + pos["w"] <= 24, panel["title"]
            mine = {
                (x, y)
                for x in range(pos["x"], pos["x"] + pos["w"])
                for y in range(pos["y"], pos["y"] + pos["h"])
            }
            assert not mine & cells, f"{panel['title']} overlaps another panel"
            cells |= mine
            if panel["type"] != "row":
                assert panel["datasource"]["uid"] in uids, panel["title"]
                assert panel["targets"], panel["title"]


@pytest.mark.parametrize(
    ("expr", "problem"),
    [
        ("sum(rate(scamtrail_end_to_end_seconds[5m]))", "unknown metric"),
        ("sum by (stage) (rate(scamtrail_alerts_total[5m]))", "no label 'stage'"),
        ("sum(rate(scamtrail_alerts_total[5m])) by (le)", "no label 'le'"),
        ('scamtrail_alerts_total{stage="x"}', "no label 'stage'"),
        ("rate(scamtrail_consumer_lag[5m])", "non-counter"),
        ("sum(rate(scamtrail_alerts_total[5m])", "unclosed"),
        ("sum(rate(scamtrail_alerts_total[5m]]))", "unbalanced"),
        ("ratez(scamtrail_alerts_total[5m])", "unknown function"),
        ("scamtrail_alerts_total ; 1", "unexpected character"),
    ],
)
def test_the_checker_rejects_what_prometheus_or_the_metrics_would_not_answer(
    expr: str, problem: str
) -> None:
    with pytest.raises(PromQLError, match=re.escape(problem)):
        check(expr, registered_series(), {"job", "instance"})
