"""`make run` installs the runtime dependencies only; `make test` adds the development group
(issue 16, item 8). The real `uv sync` of the run target, into a throw-away environment."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UV = ROOT / ".tools" / "bin" / "uv"
DEV_ONLY = ("pytest", "hypothesis", "schemathesis", "import_linter")


def _sync_command(target: str) -> list[str]:
    plan = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    line = next(line for line in plan.splitlines() if " sync " in f" {line} ")
    return shlex.split(line)


@pytest.mark.skipif(not UV.exists(), reason="uv is bootstrapped by make install")
def test_make_run_installs_no_development_package(tmp_path: Path) -> None:
    command = _sync_command("run")
    assert "--no-dev" in command and "--no-dev" not in _sync_command("test")
    project = tmp_path / "project"
    project.mkdir()
    for name in ("pyproject.toml", "uv.lock", "README.md"):
        shutil.copy(ROOT / name, project / name)
    env = {**os.environ, "UV_PROJECT_ENVIRONMENT": str(tmp_path / "venv"), "UV_PYTHON_DOWNLOADS": "never"}
    subprocess.run([str(UV), *command[1:], "--no-install-project"], cwd=project, env=env, check=True,
                   capture_output=True, timeout=600)
    site = next((tmp_path / "venv" / "lib").glob("python*/site-packages"))
    installed = {p.name.split("-")[0].lower() for p in site.iterdir()}
    assert {"fastapi", "sqlalchemy", "uvicorn"} <= installed
    assert not installed & set(DEV_ONLY), installed & set(DEV_ONLY)
