"""Dashboards and alert rules as code (docker/prometheus, docker/grafana): Prometheus's own promtool
checks the rules and the scrape configuration, runs the rules' unit tests (rules.test.yml: each
alert fires on the series it is about and stays quiet on healthy ones) and parses every dashboard
query; the dashboards are provisioned from the folder compose mounts, against the data source uid
they name. (That every metric they read is exported by a running process: tests/e2e/test_metrics_processes.py.)"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.promql import DASHBOARDS, ROOT, RULES, dashboard_expressions, dashboards, metric_names, rule_expressions

PROMETHEUS = ROOT / "docker" / "prometheus"
GRAFANA = ROOT / "docker" / "grafana"


@pytest.fixture(scope="module")
def promtool() -> str:
    found = shutil.which("promtool")
    if found is None:
        message = "promtool is not installed (Debian package `prometheus`; .ci/run installs it)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def _run(*args: str, cwd: Path = PROMETHEUS) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, timeout=120)


def test_promtool_accepts_the_rules_and_the_scrape_configuration(promtool: str) -> None:
    rules = _run(promtool, "check", "rules", str(RULES))
    assert rules.returncode == 0, rules.stdout + rules.stderr
    assert "SUCCESS: 11 rules found" in rules.stdout
    config = _run(promtool, "check", "config", "prometheus.yml")
    assert config.returncode == 0, config.stdout + config.stderr


def test_each_alert_fires_on_its_symptom_and_not_on_health(promtool: str) -> None:
    result = _run(promtool, "test", "rules", "rules.test.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    tested = {test["alertname"] for case in yaml.safe_load((PROMETHEUS / "rules.test.yml").read_text())["tests"]
              for test in case["alert_rule_test"]}
    assert tested == set(rule_expressions())  # no alert left untested


def test_the_alerts_cover_what_operators_are_paged_for() -> None:
    names = set(rule_expressions())
    for wanted in ("AssistantHighErrorRate", "AssistantHighLatencyP99", "AssistantQueueBacklog", "AssistantWorkerAbsent",
                   "AssistantModelFallbackRate", "AssistantDiskAlmostFull"):
        assert wanted in names


def test_every_dashboard_query_parses(promtool: str, tmp_path: Path) -> None:
    """promtool parses PromQL in recording rules: every dashboard query becomes one."""
    rules = {"groups": [{"name": "dashboards", "rules": [
        {"record": f"dashboard:query_{i}", "expr": expr} for i, expr in enumerate(dashboard_expressions().values())]}]}
    path = tmp_path / "dashboard-queries.yml"
    path.write_text(yaml.safe_dump(rules))
    result = _run(promtool, "check", "rules", str(path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_dashboards_are_provisioned_against_the_provisioned_data_source() -> None:
    boards = dashboards()
    assert set(boards) == {"api", "queue", "models", "business"}
    assert len({b["uid"] for b in boards.values()}) == len(boards)
    source = yaml.safe_load((GRAFANA / "provisioning" / "datasources" / "prometheus.yaml").read_text())["datasources"][0]
    assert source["type"] == "prometheus" and source["url"] == "http://prometheus:9090"
    for name, board in boards.items():
        assert board["panels"], name
        for panel in board["panels"]:
            assert panel["datasource"] == {"type": "prometheus", "uid": source["uid"]}, (name, panel["title"])
            assert panel["targets"] and all(t["datasource"]["uid"] == source["uid"] for t in panel["targets"])
            assert set(panel["gridPos"]) == {"x", "y", "w", "h"} and panel["gridPos"]["x"] + panel["gridPos"]["w"] <= 24
    provider = yaml.safe_load((GRAFANA / "provisioning" / "dashboards" / "assistant.yaml").read_text())["providers"][0]
    compose = yaml.safe_load((ROOT / "docker" / "compose.yaml").read_text())
    mounts = compose["services"]["grafana"]["volumes"]
    assert f"./grafana/dashboards:{provider['options']['path']}:ro" in mounts
    assert "./grafana/provisioning:/etc/grafana/provisioning:ro" in mounts
    assert DASHBOARDS == GRAFANA / "dashboards"


def test_the_promql_reader_finds_metric_names_and_nothing_else() -> None:
    expr = ('sum by (le, route) (rate(assistant_http_request_seconds_bucket{route!~".*/(query|messages)"}[5m])) '
            '/ ignoring(le) sum(rate(assistant_http_request_seconds_count[5m] offset 1h)) > bool 0.5 '
            'or absent(assistant_worker_processes)')
    assert metric_names(expr) == {"assistant_http_request_seconds_bucket", "assistant_http_request_seconds_count",
                                  "assistant_worker_processes"}
