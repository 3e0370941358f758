"""deploy/compose.yaml, deploy/k8s and deploy/Dockerfile: they parse, every SCAMTRAIL_* variable
they name is a real setting, every command they run is a real CLI command, and every probe points
at a path and port the process serves."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import typer
from pydantic import BaseModel
from typer.testing import CliRunner

from scamtrail.cli.app import app
from scamtrail.settings import Settings, load_settings

yaml = pytest.importorskip("yaml", reason="PyYAML reads the YAML files (dev dependency)")

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
COMPOSE = DEPLOY / "compose.yaml"
K8S = DEPLOY / "k8s"
SECRETS_EXAMPLE = DEPLOY / "secrets.example"
#: Read by the settings loader itself (which TOML file), not a Settings field.
LOADER_VARIABLES = {"SCAMTRAIL_CONFIG"}
_VARIABLE = re.compile(r"\bSCAMTRAIL_[A-Z0-9_]*[A-Z0-9]")
_URL = re.compile(r"http://(?:127\.0\.0\.1|localhost):(\d+)(/[\w/]*)")
#: Services and containers that run the scamtrail image (its entrypoint is `scamtrail`).
SCAMTRAIL_IMAGE = re.compile(r"(^|/)scamtrail(:|$)")


def _compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def _k8s_docs() -> list[tuple[Path, dict[str, Any]]]:
    return [
        (path, doc)
        for path in sorted(K8S.glob("*.yaml"))
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8"))
        if doc
    ]


def _k8s(kind: str) -> list[dict[str, Any]]:
    return [doc for _, doc in _k8s_docs() if doc["kind"] == kind]


def _scamtrail_services() -> dict[str, dict[str, Any]]:
    return {
        name: svc
        for name, svc in _compose()["services"].items()
        if SCAMTRAIL_IMAGE.search(svc.get("image", ""))
    }


def _env_file(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            out[key.strip()] = value
    return out


def _compose_env(svc: dict[str, Any]) -> dict[str, str]:
    env = svc.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: str(v) for k, v in env.items()}


def _example_of(compose_path: str) -> Path:
    """deploy/secrets/x is what users create from deploy/secrets.example/x."""
    rel = Path(compose_path)
    assert rel.parts[0] == "secrets", compose_path
    return SECRETS_EXAMPLE.joinpath(*rel.parts[1:])


def _setting(variable: str) -> Any:
    """The Settings field a SCAMTRAIL_* variable sets; fails the test when there is none."""
    parts = variable.removeprefix("SCAMTRAIL_").lower().split("__")
    model: type[BaseModel] = Settings
    for i, part in enumerate(parts):
        assert part in model.model_fields, f"{variable}: no setting {'.'.join(parts[: i + 1])}"
        field = model.model_fields[part]
        if i < len(parts) - 1:
            assert isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel), (
                f"{variable}: {part} is not a section"
            )
            model = field.annotation
    return field


def _leaf_command(args: list[str]) -> Any:
    """The command ``scamtrail ARGS`` runs (typer's groups have ``commands``, commands do not)."""
    command: Any = typer.main.get_command(app)
    for arg in args:
        if arg.startswith("-") or not hasattr(command, "commands"):
            break
        assert arg in command.commands, f"scamtrail has no command {arg!r} ({args})"
        command = command.commands[arg]
    assert not hasattr(command, "commands"), f"{args} names a group, not a command"
    return command


def _container_port(container: dict[str, Any], port: int | str) -> int:
    if isinstance(port, int):
        return port
    (match,) = [p for p in container.get("ports", []) if p.get("name") == port]
    return int(match["containerPort"])


def _deployments() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [(d, c) for d in _k8s("Deployment") for c in d["spec"]["template"]["spec"]["containers"]]


def _served_port(args: list[str], env: dict[str, str]) -> int:
    """Where a scamtrail process serves /healthz: the API port for serve, else the metrics port."""
    if args[0] == "serve":
        return int(
            env.get("SCAMTRAIL_API__PORT", Settings.model_fields["api"].default_factory().port)
        )
    return int(env["SCAMTRAIL_METRICS_PORT"])


# -- parsing and object shapes ----------------------------------------------------------------
def test_every_yaml_file_parses() -> None:
    files = [p for p in DEPLOY.rglob("*.y*ml") if "local" not in p.relative_to(DEPLOY).parts]
    assert len(files) >= 12
    for path in files:
        docs = list(yaml.safe_load_all(path.read_text(encoding="utf-8")))
        assert docs and all(isinstance(d, dict) for d in docs if d is not None), path


def test_k8s_objects_have_api_version_kind_and_metadata() -> None:
    docs = _k8s_docs()
    kinds = {doc["kind"] for _, doc in docs}
    assert {"Namespace", "ConfigMap", "Secret", "Deployment", "Service"} <= kinds
    for path, doc in docs:
        assert doc["apiVersion"] and doc["kind"], path
        if doc["kind"] == "Kustomization":
            continue
        assert doc["metadata"]["name"], path
        if doc["kind"] != "Namespace":
            assert doc["metadata"]["namespace"] == "scamtrail", path


def test_kustomization_lists_every_manifest_but_the_secret_template() -> None:
    (kustomization,) = _k8s("Kustomization")
    listed = set(kustomization["resources"])
    on_disk = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == on_disk - {"secret.example.yaml"}
    assert "secret.example.yaml" in on_disk


def test_deployments_select_their_pods_and_size_them() -> None:
    replicas = {}
    for deployment, container in _deployments():
        spec = deployment["spec"]
        labels = spec["template"]["metadata"]["labels"]
        assert spec["selector"]["matchLabels"].items() <= labels.items()
        replicas[labels["app.kubernetes.io/component"]] = spec["replicas"]
        assert container["resources"]["requests"]["cpu"], deployment["metadata"]["name"]
        assert container["resources"]["limits"]["memory"], deployment["metadata"]["name"]
        assert spec["template"]["spec"]["securityContext"]["runAsNonRoot"] is True
    assert set(replicas) == {"ingest", "process", "index", "api"}
    # One live-stream reader; the consumer groups scale out.
    assert replicas["ingest"] == 1 and replicas["process"] > 1 and replicas["index"] > 1


def test_the_api_service_reaches_the_api_pods() -> None:
    (service,) = _k8s("Service")
    (api, container) = next((d, c) for d, c in _deployments() if c["args"][0] == "serve")
    assert (
        service["spec"]["selector"].items() <= api["spec"]["template"]["metadata"]["labels"].items()
    )
    for port in service["spec"]["ports"]:
        assert _container_port(container, port["targetPort"])


# -- settings -------------------------------------------------------------------------------
def test_every_scamtrail_variable_named_in_deploy_is_a_setting() -> None:
    named: dict[str, set[str]] = {}
    for path in DEPLOY.rglob("*"):
        if path.is_file() and "local" not in path.relative_to(DEPLOY).parts:
            for variable in _VARIABLE.findall(path.read_text(encoding="utf-8", errors="replace")):
                named.setdefault(variable, set()).add(path.name)
    # The structured places must be among them, so the scan cannot silently find nothing.
    (configmap,) = _k8s("ConfigMap")
    (secret,) = _k8s("Secret")
    structured = set(configmap["data"]) | set(secret["stringData"])
    for svc in _scamtrail_services().values():
        structured |= {k for k in _compose_env(svc) if k.startswith("SCAMTRAIL_")}
    for _, container in _deployments():
        structured |= {e["name"] for e in container.get("env", [])}
    for path in SECRETS_EXAMPLE.glob("*.env"):
        structured |= {k for k in _env_file(path) if k.startswith("SCAMTRAIL_")}
    assert len(structured) >= 15 and structured <= set(named)
    for variable in sorted(set(named) - LOADER_VARIABLES):
        _setting(variable)


def test_the_unknown_variable_check_can_fail() -> None:
    with pytest.raises(AssertionError, match="no setting"):
        _setting("SCAMTRAIL_KAFKA__PARTITION")
    with pytest.raises(AssertionError, match="not a section"):
        _setting("SCAMTRAIL_BUS__URL")


def test_the_configmap_and_compose_values_are_valid_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (configmap,) = _k8s("ConfigMap")
    envs = [dict(configmap["data"])]
    envs += [_compose_env(svc) for svc in _scamtrail_services().values()]
    for env in envs:
        with monkeypatch.context() as m:
            m.setenv("SCAMTRAIL_HOME", str(tmp_path))
            m.delenv("SCAMTRAIL_CONFIG", raising=False)
            for key, value in env.items():
                m.setenv(key, value)
            s = load_settings()
            assert s.metrics_port == int(env["SCAMTRAIL_METRICS_PORT"])
            assert s.bus_url.startswith("kafka://")
            if "SCAMTRAIL_X_HANDLES" in env:
                assert s.x_handles and all(h.strip() for h in s.x_handles)
            if "SCAMTRAIL_KAFKA__PARTITIONS" in env:
                assert s.kafka.partitions == int(env["SCAMTRAIL_KAFKA__PARTITIONS"])


# -- commands ---------------------------------------------------------------------------------
def _commands() -> list[tuple[str, list[str]]]:
    out = [(f"compose {name}", list(svc["command"])) for name, svc in _scamtrail_services().items()]
    for deployment, container in _deployments():
        assert "command" not in container, "the image's entrypoint is scamtrail"
        out.append((f"k8s {deployment['metadata']['name']}", list(container["args"])))
    return out


def test_every_command_a_container_runs_is_a_scamtrail_command() -> None:
    runner = CliRunner()
    commands = _commands()
    assert {args[0] for _, args in commands} >= {"ingest", "process", "index", "serve"}
    for where, args in commands:
        _leaf_command(args)
        # --help is eager: the command and every option given must exist for it to answer.
        result = runner.invoke(app, [*args, "--help"])
        assert result.exit_code == 0, f"{where}: scamtrail {' '.join(args)}: {result.output}"
        assert "Usage:" in result.output


def test_the_command_check_can_fail() -> None:
    with pytest.raises(AssertionError, match="no command"):
        _leaf_command(["ingest", "firehose"])
    with pytest.raises(AssertionError, match="names a group"):
        _leaf_command(["ingest"])
    result = CliRunner().invoke(app, ["ingest", "stream", "--no-such-option", "x", "--help"])
    assert result.exit_code != 0


# -- probes -----------------------------------------------------------------------------------
def _probes() -> list[tuple[str, list[str], str, int, dict[str, str]]]:
    """(where, args, path, port, env) of every probe and healthcheck."""
    (configmap,) = _k8s("ConfigMap")
    out = []
    for deployment, container in _deployments():
        args = container["args"]
        pod = deployment["spec"]["template"]["metadata"]
        for kind in ("startupProbe", "livenessProbe", "readinessProbe"):
            if kind in container:
                http = container[kind]["httpGet"]
                port = _container_port(container, http["port"])
                where = f"{deployment['metadata']['name']} {kind}"
                out.append((where, args, http["path"], port, configmap["data"]))
        annotations = pod["annotations"]
        out.append(
            (
                f"{deployment['metadata']['name']} scrape annotation",
                args,
                annotations["prometheus.io/path"],
                int(annotations["prometheus.io/port"]),
                configmap["data"],
            )
        )
    for name, svc in _scamtrail_services().items():
        test = " ".join(svc["healthcheck"]["test"])
        (match,) = _URL.findall(test)
        out.append(
            (
                f"compose {name} healthcheck",
                svc["command"],
                match[1],
                int(match[0]),
                _compose_env(svc),
            )
        )
    return out


@pytest.fixture(scope="module")
def served_paths(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    """The paths a real health server and a real API answer (anything but 404)."""
    from fastapi.testclient import TestClient
    from scamtrail.index.sqlite import SqliteStore

    from scamtrail.api import create_app
    from scamtrail.api.keys import KeyStore
    from scamtrail.bus.embedded import EmbeddedBus
    from scamtrail.runtime.health import HealthServer

    candidates = {"/healthz", "/readyz", "/metrics", "/livez", "/health", "/ready"}
    found: dict[str, set[str]] = {"metrics-port": set(), "api": set()}
    server = HealthServer(0, host="127.0.0.1").start()
    try:
        for path in candidates:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{server.port}{path}", timeout=5):
                    found["metrics-port"].add(path)
            except urllib.error.HTTPError as exc:
                if exc.code != 404:
                    found["metrics-port"].add(path)
    finally:
        server.stop()
    home = tmp_path_factory.mktemp("api")
    bus, store = EmbeddedBus(home / "bus.db"), SqliteStore(home / "store.db")
    keys = KeyStore(home / "keys.db")
    try:
        client = TestClient(create_app(bus, store, keys))
        found["api"] = {p for p in candidates if client.get(p).status_code != 404}
    finally:
        keys.close()
        store.close()
        bus.close()
    return found


def test_every_probe_points_at_a_path_and_port_the_process_serves(
    served_paths: dict[str, set[str]],
) -> None:
    assert served_paths["metrics-port"] >= {"/healthz", "/readyz", "/metrics"}
    assert served_paths["api"] >= {"/healthz", "/readyz", "/metrics"}
    probes = _probes()
    assert len(probes) >= 12
    for where, args, path, port, env in probes:
        server = "api" if args[0] == "serve" else "metrics-port"
        assert path in served_paths[server], f"{where}: {path} is not served by {server}"
        assert port == _served_port(args, env), f"{where}: port {port}"
    kinds = {(w.split()[-1], p) for w, _, p, _, _ in probes}
    assert ("livenessProbe", "/healthz") in kinds and ("readinessProbe", "/readyz") in kinds


def test_prometheus_scrapes_the_ports_the_compose_processes_serve() -> None:
    services = _scamtrail_services()
    config = yaml.safe_load((DEPLOY / "prometheus" / "prometheus.yml").read_text(encoding="utf-8"))
    scraped = {}
    for job in config["scrape_configs"]:
        for static in job.get("static_configs", []):
            for target in static["targets"]:
                host, port = target.split(":")
                scraped[host] = int(port)
        for sd in job.get("dns_sd_configs", []):
            for host in sd["names"]:
                scraped[host] = int(sd["port"])
    for name, svc in services.items():
        assert name in scraped, f"Prometheus does not scrape {name}"
        assert scraped[name] == _served_port(svc["command"], _compose_env(svc)), name


# -- compose and Dockerfile -------------------------------------------------------------------
def test_compose_runs_the_whole_stack_with_scaled_stages() -> None:
    services = _compose()["services"]
    images = " ".join(svc.get("image", "") for svc in services.values())
    for image in (
        "apache/kafka",
        "elasticsearch/elasticsearch:8",
        "kibana/kibana:8",
        "prom/prometheus",
        "grafana/grafana",
    ):
        assert image in images, image
    assert services["kafka"]["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    scamtrail = _scamtrail_services()
    by_command = {svc["command"][0]: svc for svc in scamtrail.values()}
    assert set(by_command) == {"ingest", "process", "index", "serve"}
    assert by_command["process"]["deploy"]["replicas"] > 1
    assert by_command["index"]["deploy"]["replicas"] > 1
    for svc in scamtrail.values():
        build = svc["build"]
        assert (COMPOSE.parent / build["context"] / build["dockerfile"]).resolve() == (
            DEPLOY / "Dockerfile"
        )


def test_compose_takes_secrets_from_files_only() -> None:
    compose = _compose()
    secret_like = re.compile(r"PASSWORD|TOKEN|SECRET|WEBHOOK|API_KEY", re.IGNORECASE)
    for name, svc in compose["services"].items():
        for key, value in _compose_env(svc).items():
            if secret_like.search(key):
                assert key.endswith("__FILE") and value.startswith("/run/secrets/"), (name, key)
        for env_file in svc.get("env_file", []):
            assert _example_of(env_file).is_file(), (name, env_file)
    for secret in compose["secrets"].values():
        assert _example_of(secret["file"]).is_file()
    # The store URL with its password lives in the env file, not in compose.yaml.
    assert "SCAMTRAIL_STORE" in _env_file(SECRETS_EXAMPLE / "scamtrail.env")
    assert "SCAMTRAIL_STORE" not in COMPOSE.read_text(encoding="utf-8")


def test_compose_mounts_files_that_exist() -> None:
    for name, svc in _compose()["services"].items():
        for volume in svc.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (COMPOSE.parent / source).exists(), (name, source)


def test_dockerfile_installs_the_package_and_runs_scamtrail_as_a_user() -> None:
    lines = [
        line.strip()
        for line in (DEPLOY / "Dockerfile").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert re.match(r"FROM python:3\.\d+-slim", lines[0])
    # `pip install .` (with extras): the package from the copied source, not from an index.
    assert any(re.match(r'RUN pip install [^&]*"?\.(\[[\w,]+\])?"?(\s|$)', line) for line in lines)
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    assert lines[[i for i, line in enumerate(lines) if line.startswith("ENTRYPOINT")][-1]] == (
        'ENTRYPOINT ["scamtrail"]'
    )
    for line in lines:
        if line.startswith("COPY ") and "--from" not in line:
            for source in line.split()[1:-1]:
                assert (DEPLOY.parent / source).exists(), source
