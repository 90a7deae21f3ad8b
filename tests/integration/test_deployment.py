"""The deployment files, checked without a cluster or a Docker daemon: the Kubernetes manifests
(docker/k8s) against the Kubernetes JSON schemas shipped by the kubernetes-validate package (strict:
an unknown field is an error; no network), plus what the seed asks of them; the Dockerfile and the
compose file statically (stages, user, HEALTHCHECK, services, settings that exist). The image's
HEALTHCHECK command itself is run against a real API server. Building the image and starting the
containers is not done here (no Docker daemon on the test machines)."""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from config.settings import Settings
from tests.e2e.api_server import run_server
from tests.redis_process import free_port

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "docker" / "k8s"
DOCKERFILE = ROOT / "docker" / "Dockerfile"
COMPOSE = ROOT / "docker" / "compose.yaml"
KUBERNETES = kubernetes_validate.latest_version()  # the newest schemas the package ships
SETTINGS = {name.upper() for name in Settings.model_fields}
OTHER_VARIABLES = {"PROMETHEUS_MULTIPROC_DIR", "HEALTHCHECK_PORT"}


def manifests() -> list[tuple[str, dict[str, Any]]]:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    return [(name, doc) for name in kustomization["resources"]
            for doc in yaml.safe_load_all((K8S / name).read_text()) if doc]


def by_kind(kind: str) -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for _, doc in manifests() if doc["kind"] == kind}


def pod_specs() -> Iterator[tuple[str, dict[str, Any]]]:
    for kind in ("Deployment", "Job"):
        for name, doc in by_kind(kind).items():
            yield name, doc["spec"]["template"]["spec"]


def test_every_manifest_is_valid_against_the_kubernetes_schemas() -> None:
    found = manifests()
    assert {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"} == {name for name, _ in found}
    for name, doc in found:
        assert kubernetes_validate.validate(doc, KUBERNETES, strict=True), name


def test_the_validator_refuses_a_mistake() -> None:
    """The check above can fail: a misspelt field and a wrong type are both refused."""
    deployment = by_kind("Deployment")["assistant-api"]
    misspelt = copy.deepcopy(deployment)
    misspelt["spec"]["replica"] = misspelt["spec"].pop("replicas")
    wrong_type = copy.deepcopy(deployment)
    wrong_type["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] = "eight thousand"
    for broken in (misspelt, wrong_type):
        with pytest.raises(kubernetes_validate.ValidationError):
            kubernetes_validate.validate(broken, KUBERNETES, strict=True)


def test_the_workloads_the_seed_asks_for() -> None:
    deployments = by_kind("Deployment")
    assert set(deployments) == {"assistant-api", "assistant-worker", "assistant-bot"}
    job = by_kind("Job")["assistant-migrate"]["spec"]["template"]["spec"]["containers"][0]
    assert job["command"] == ["assistant", "db", "upgrade"]
    for name, spec in pod_specs():
        assert spec["securityContext"]["runAsNonRoot"] is True and spec["securityContext"]["runAsUser"] != 0, name
        for container in spec["containers"]:
            assert container["resources"] == {"requests": {"cpu": "100m", "memory": "256Mi"},
                                              "limits": {"cpu": "500m", "memory": "512Mi"}}, name
            assert container["securityContext"]["allowPrivilegeEscalation"] is False
    for name, deployment in deployments.items():
        assert deployment["spec"]["strategy"] == {"type": "RollingUpdate",
                                                  "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}}, name


def test_probes_ask_the_processes_own_health_endpoints() -> None:
    config = by_kind("ConfigMap")["assistant-config"]["data"]
    metrics_ports = {"assistant-api": int(config["ASSISTANT_METRICS_PORT"]),
                     "assistant-worker": int(config["ASSISTANT_WORKER_METRICS_PORT"]),
                     "assistant-bot": int(config["ASSISTANT_BOT_METRICS_PORT"])}
    for name, deployment in by_kind("Deployment").items():
        pod = deployment["spec"]["template"]
        container = pod["spec"]["containers"][0]
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz", name
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz", name
        assert container["readinessProbe"]["httpGet"]["port"] in ports
        assert metrics_ports[name] in ports.values()  # the port Prometheus scrapes is the one the process opens
        assert int(pod["metadata"]["annotations"]["prometheus.io/port"]) == metrics_ports[name]
    api_ports = {p["name"]: p["containerPort"] for p in
                 by_kind("Deployment")["assistant-api"]["spec"]["template"]["spec"]["containers"][0]["ports"]}
    assert api_ports["http"] == Settings.model_fields["port"].default  # `assistant serve` listens there


def test_autoscalers_and_disruption_budgets_point_at_the_deployments() -> None:
    deployments = by_kind("Deployment")
    autoscalers, budgets = by_kind("HorizontalPodAutoscaler"), by_kind("PodDisruptionBudget")
    assert set(autoscalers) == set(budgets) == {"assistant-api", "assistant-worker"}
    for name, hpa in autoscalers.items():
        target = hpa["spec"]["scaleTargetRef"]
        assert target["kind"] == "Deployment" and target["name"] in deployments
        assert hpa["spec"]["minReplicas"] >= 2 and hpa["spec"]["maxReplicas"] > hpa["spec"]["minReplicas"]
    for name, pdb in budgets.items():
        labels = deployments[name]["spec"]["template"]["metadata"]["labels"]
        assert pdb["spec"]["selector"]["matchLabels"].items() <= labels.items()
        assert pdb["spec"]["minAvailable"] < deployments[name]["spec"]["replicas"]  # a drain can proceed


def test_the_configuration_names_only_real_settings() -> None:
    config = by_kind("ConfigMap")["assistant-config"]["data"]
    compose = yaml.safe_load(COMPOSE.read_text())
    names = set(config) | {name for service in compose["services"].values()
                           for name in (service.get("environment") or {}) if not name.startswith(("POSTGRES_", "GF_"))}
    unknown = {n for n in names if n not in OTHER_VARIABLES and n.removeprefix("ASSISTANT_") not in SETTINGS}
    assert not unknown


def _stages(text: str) -> list[list[str]]:
    """The Dockerfile's instructions (continuation lines joined), split by stage."""
    logical = re.sub(r"\\\n", " ", text)
    stages: list[list[str]] = []
    for line in logical.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.upper().startswith("FROM "):
            stages.append([])
        stages[-1].append(line)
    return stages


def test_the_dockerfile_is_multi_stage_non_root_with_a_healthcheck() -> None:
    stages = _stages(DOCKERFILE.read_text())
    assert len(stages) >= 2
    final = stages[-1]
    assert any(i.startswith("COPY --from=build") for i in final)  # the environment built in the first stage
    users = [i.split()[1] for i in final if i.startswith("USER ")]
    assert users and users[-1].split(":")[0] not in {"0", "root"}
    assert any(i.startswith("HEALTHCHECK ") for i in final)
    assert not any("uv" in i.split()[0:2] for i in final if i.startswith("RUN "))  # no build tool at run time
    for instruction in (i for stage in stages for i in stage if i.startswith("COPY ") and "--from" not in i):
        for source in instruction.split()[1:-1]:
            assert (ROOT / source).exists(), instruction


def _healthcheck_command() -> list[str]:
    line = next(i for i in _stages(DOCKERFILE.read_text())[-1] if i.startswith("HEALTHCHECK "))
    command = json.loads(line[line.index("CMD ") + 4:])
    assert command[0] == "python"
    return [sys.executable, *command[1:]]


def test_the_image_healthcheck_passes_on_a_live_api_and_fails_without_one(tmp_path: Path) -> None:
    command = _healthcheck_command()
    closed = free_port()
    down = subprocess.run(command, env={**os.environ, "ASSISTANT_PORT": str(closed)}, capture_output=True, timeout=30)
    assert down.returncode != 0
    for server in run_server(tmp_path):
        port = server.base_url.rsplit(":", 1)[1]
        up = subprocess.run(command, env={**os.environ, "ASSISTANT_PORT": port}, capture_output=True, timeout=30)
        assert up.returncode == 0, up.stderr
        # a worker or bot container asks its metrics port instead (HEALTHCHECK_PORT in compose.yaml)
        other = subprocess.run(command, env={**os.environ, "ASSISTANT_PORT": port, "HEALTHCHECK_PORT": str(closed)},
                               capture_output=True, timeout=30)
        assert other.returncode != 0


def test_compose_runs_the_listed_services() -> None:
    compose = yaml.safe_load(COMPOSE.read_text())
    services = compose["services"]
    assert set(services) == {"postgres", "redis", "migrate", "api", "worker", "bot", "prometheus", "grafana"}
    assert services["api"]["deploy"]["replicas"] == services["worker"]["deploy"]["replicas"] == 2
    assert services["migrate"]["command"] == ["assistant", "db", "upgrade"]
    for name in ("api", "worker", "bot"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert services["worker"]["environment"]["HEALTHCHECK_PORT"] == services["worker"]["environment"][
        "ASSISTANT_WORKER_METRICS_PORT"]
    assert services["bot"]["environment"]["HEALTHCHECK_PORT"] == services["bot"]["environment"][
        "ASSISTANT_BOT_METRICS_PORT"]
    for service in services.values():
        for mount in service.get("volumes", []):
            source = mount.split(":")[0]
            if source.startswith("."):
                assert (COMPOSE.parent / source).exists(), mount
    scrape = yaml.safe_load((ROOT / "docker" / "prometheus" / "prometheus.yml").read_text())["scrape_configs"]
    ports = {job["job_name"]: job["dns_sd_configs"][0]["port"] for job in scrape}
    env = services["api"]["environment"]
    assert ports == {"assistant-api": int(env["ASSISTANT_METRICS_PORT"]),
                     "assistant-worker": int(env["ASSISTANT_WORKER_METRICS_PORT"]),
                     "assistant-bot": int(env["ASSISTANT_BOT_METRICS_PORT"])}


def test_docker_compose_config_accepts_the_file() -> None:
    """Docker's own parser, where the compose plugin is installed (it is not on the test machines)."""
    docker = shutil.which("docker")
    if docker is None or subprocess.run([docker, "compose", "version"], capture_output=True).returncode != 0:
        pytest.skip("docker compose is not installed here: the compose file is checked statically only")
    result = subprocess.run([docker, "compose", "-f", str(COMPOSE), "config", "--quiet"], capture_output=True,
                            text=True, env={**os.environ, "ASSISTANT_JWT_SECRET": "x" * 32,
                                            "GRAFANA_ADMIN_PASSWORD": "y"}, timeout=60)
    assert result.returncode == 0, result.stderr
