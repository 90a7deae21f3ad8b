"""The README's command-line quick start, run as written (minus `make install`, which the suite has
done), in a fresh folder: the answer printed is the one the README shows."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tests.e2e.conftest import ASSISTANT, clean_env

README = Path(__file__).resolve().parents[2] / "README.md"


def _quick_start() -> tuple[str, str]:
    """The section's shell block and the output block after it."""
    section = README.read_text(encoding="utf-8").split("## Command-line quick start", 1)[1]
    blocks = re.findall(r"```(\w*)\n(.*?)```", section, flags=re.S)  # the first two fenced blocks after it
    (shell_kind, shell), (_, shown) = blocks[0], blocks[1]
    assert shell_kind == "sh"
    return shell, shown


def test_the_readme_quick_start_prints_what_the_readme_shows(tmp_path: Path) -> None:
    shell, shown = _quick_start()
    lines = [line for line in shell.splitlines() if not line.startswith("make install")]
    (tmp_path / ".venv").symlink_to(ASSISTANT.parent.parent)  # `.venv/bin/assistant` as in the README
    script = "set -euo pipefail\n" + "\n".join(lines[:-1]) + "\n"
    subprocess.run(["bash", "-c", script], cwd=tmp_path, env=clean_env(tmp_path), check=True, capture_output=True,
                   text=True, timeout=120)
    last = subprocess.run(["bash", "-c", lines[-1]], cwd=tmp_path, env=clean_env(tmp_path), capture_output=True,
                          text=True, timeout=120)
    assert last.returncode == 0, last.stderr
    assert last.stdout.strip() == shown.strip()
