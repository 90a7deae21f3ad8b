"""Schema migrations with Alembic, configured in code (no alembic.ini).

``python -m adapters.persistence.migrate upgrade sqlite:///var/app.db`` does the same from a shell.
"""

from __future__ import annotations

import argparse
import importlib
import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

from adapters.persistence.engine import make_engine

_REVISION = re.compile(r'^revision(?:: *str)? *= *"([^"]+)"', re.M)
_DOWN_REVISION = re.compile(r'^down_revision(?:: *[^=]+)? *= *"([^"]+)"', re.M)

if TYPE_CHECKING:  # alembic is imported when a migration runs, not at every start-up
    from alembic.config import Config


def upgrade(url: str, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    from alembic import command

    command.downgrade(_config(url), revision)


def is_current(url: str) -> bool:
    """Whether the database is at the newest revision (cheap: reads the revision files, no Alembic)."""
    engine = make_engine(url)
    try:
        if not inspect(engine).has_table("alembic_version"):
            return False
        with engine.connect() as connection:
            applied = {row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))}
    finally:
        engine.dispose()
    return applied == {fast_head()}


def fast_head() -> str:
    """The head revision, read from the revision files' ``revision``/``down_revision`` lines."""
    revisions: dict[str, str | None] = {}
    for path in _location().joinpath("versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revision = _REVISION.search(source)
        if revision:
            down = _DOWN_REVISION.search(source)
            revisions[revision.group(1)] = down.group(1) if down else None
    heads = set(revisions) - set(revisions.values())
    assert len(heads) == 1, f"expected one migration head, found {sorted(heads)}"
    return heads.pop()


def current(url: str) -> str | None:
    """The revision the database is at; None for an empty (never migrated) database."""
    from alembic.runtime.migration import MigrationContext

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def head() -> str:
    """The newest revision in migrations/versions."""
    from alembic.script import ScriptDirectory

    revision = ScriptDirectory.from_config(_config("")).get_current_head()
    assert revision is not None, "no migration found"
    return revision


def _config(url: str) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_location()).replace("%", "%%"))
    config.attributes["url"] = url  # read by migrations/env.py
    return config


def _location() -> Path:
    return Path(next(iter(importlib.import_module("migrations").__path__)))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m adapters.persistence.migrate", description=__doc__)
    parser.add_argument("action", choices=["upgrade", "downgrade", "current"])
    parser.add_argument("url")
    parser.add_argument("revision", nargs="?", default=None)
    args = parser.parse_args(argv)
    if args.action == "upgrade":
        upgrade(args.url, args.revision or "head")
    elif args.action == "downgrade":
        if args.revision is None:
            parser.error("downgrade needs a revision (e.g. base)")
        downgrade(args.url, args.revision)
    else:
        print(current(args.url) or "(none)")


if __name__ == "__main__":
    main()
