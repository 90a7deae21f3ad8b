"""config.container.warm_up: what a serving process opens at start-up before its first question."""

from __future__ import annotations

from pathlib import Path

from structlog.testing import capture_logs

from config.bootstrap import build_container
from config.container import warm_up
from tests.redis_process import free_port


def test_warm_up_opens_a_database_connection_and_reports_the_embedder(isolated_settings: Path) -> None:
    container = build_container(embedding_backend="none")
    engine = container.engine()
    with capture_logs() as logs:
        assert warm_up(container) is False  # no embedding model configured
    assert not [entry for entry in logs if entry["event"] == "warm_up_incomplete"]
    assert engine.pool.checkedin() >= 1  # the first question's connection is there already


def test_a_database_down_at_start_up_is_logged_and_left_to_the_first_question(isolated_settings: Path) -> None:
    url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/absent"
    container = build_container(embedding_backend="none", database_url=url, database_auto_migrate=False)
    with capture_logs() as logs:
        assert warm_up(container) is False
    assert [entry["log_level"] for entry in logs if entry["event"] == "warm_up_incomplete"] == ["warning"]
