"""The development JWT secret when several processes start at once on a fresh home
(`assistant serve --workers N` does exactly that)."""

from __future__ import annotations

import stat
import threading
from pathlib import Path

import pytest

from config.bootstrap import development_jwt_secret


def test_losing_the_race_reads_the_winners_secret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another process wrote the secret between this one's check and its write."""
    (tmp_path / "jwt-secret").write_text("the-winners-secret\n")
    monkeypatch.setattr(Path, "exists", lambda self: False)  # the check ran before the winner wrote
    assert development_jwt_secret(tmp_path) == "the-winners-secret"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["jwt-secret"]  # no draft left behind


def test_starting_together_gives_one_whole_secret(tmp_path: Path) -> None:
    threads, barrier, secrets, errors = 16, threading.Barrier(16), [], []

    def start() -> None:
        barrier.wait()
        try:
            secrets.append(development_jwt_secret(tmp_path))
        except Exception as error:
            errors.append(error)

    workers = [threading.Thread(target=start) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == [] and len(secrets) == threads and len(set(secrets)) == 1
    assert len(secrets[0]) >= 60
    assert stat.S_IMODE((tmp_path / "jwt-secret").stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["jwt-secret"]


def test_the_secret_survives_a_restart(tmp_path: Path) -> None:
    assert development_jwt_secret(tmp_path) == development_jwt_secret(tmp_path)
