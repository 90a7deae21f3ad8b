"""The embedded profile follows the code's schema by itself: an older SQLite database is upgraded at start."""

from __future__ import annotations

from pathlib import Path

from adapters.persistence.migrate import current, downgrade, fast_head, head, is_current
from config.bootstrap import build_container


def test_fast_head_agrees_with_alembic() -> None:
    assert fast_head() == head()


def test_an_older_embedded_database_is_upgraded_at_start(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'var' / 'assistant.db'}"
    build_container(home=tmp_path / "var").engine().dispose()
    assert is_current(url)
    downgrade(url, "0001")
    assert current(url) == "0001" and not is_current(url)
    build_container(home=tmp_path / "var").engine().dispose()
    assert current(url) == head()
