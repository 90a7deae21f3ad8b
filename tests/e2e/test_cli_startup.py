"""CLI start-up imports only what a command needs (issue 16, item 4; figures: bench/cli.py).

Not timed: the import structure is asserted. ``assistant --help`` loads no framework, driver or
SDK at all; ``assistant docs`` loads the database layer but no web framework, document reader,
Redis, HTTP client or token library (config/lazy.py, entrypoints/cli/state.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.e2e.conftest import Cli

HEAVY = {"fastapi", "starlette", "sqlalchemy", "numpy", "docx", "psycopg", "redis", "rq", "httpx", "uvicorn",
         "pypdfium2", "openpyxl", "jwt", "dependency_injector", "pydantic_settings", "alembic", "structlog"}
NOT_FOR_DOCS = {"fastapi", "starlette", "werkzeug", "docx", "psycopg", "redis", "rq", "httpx", "uvicorn",
                "pypdfium2", "pdfplumber", "openpyxl", "jwt", "argon2", "google", "openai", "telegram", "wordllama",
                "fpdf", "fontTools"}


PROBE = """import atexit, sys
listing = sys.argv.pop(1)
atexit.register(lambda: open(listing, "w").write(" ".join(sys.modules)))
from entrypoints.cli.main import run
sys.argv[0] = "assistant"
run()
"""


def imported(cli: Cli, *args: str) -> set[str]:
    """The top-level packages in ``sys.modules`` when a whole ``assistant ARGS`` process exits (the
    console script's own code, run by ``python -c`` to read them)."""
    listing = cli.home / "modules.txt"
    done = subprocess.run([sys.executable, "-c", PROBE, str(listing), *args], cwd=cli.home, env=cli.env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return {name.split(".")[0] for name in listing.read_text().split()}


def test_importing_the_cli_loads_no_framework_driver_or_sdk() -> None:
    code = "import sys, entrypoints.cli.main; print(' '.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr
    modules = set(done.stdout.split())
    loaded = {name.split(".")[0] for name in modules}
    assert not loaded & HEAVY, sorted(loaded & HEAVY)
    assert not modules & {"config.container", "config.bootstrap", "config.settings"}


def test_help_and_version_load_none_of_them(cli: Cli) -> None:
    for args in (("--help",), ("--version",), ("ask", "--help")):
        loaded = imported(cli, *args)
        assert not loaded & HEAVY, (args, sorted(loaded & HEAVY))


def test_docs_loads_the_database_but_no_reader_web_framework_or_client(cli: Cli, notes: Path) -> None:
    assert cli("ingest", str(notes)).code == 0
    loaded = imported(cli, "docs")
    assert "sqlalchemy" in loaded  # it did reach the database
    assert not loaded & NOT_FOR_DOCS, sorted(loaded & NOT_FOR_DOCS)
