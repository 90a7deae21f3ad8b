"""CheckReadiness: ready only when every probe answers; reasons name the error type only."""

from __future__ import annotations

from application.use_cases.check_readiness import CheckReadiness


class Probe:
    def __init__(self, name: str, error: Exception | None = None) -> None:
        self.name, self.error = name, error

    def check(self) -> None:
        if self.error:
            raise self.error


def test_ready_when_every_probe_answers() -> None:
    readiness = CheckReadiness([Probe("database"), Probe("redis")])()
    assert readiness.ready and readiness.checks == {"database": "ok", "redis": "ok"}


def test_one_failing_probe_makes_it_unready_without_leaking_details() -> None:
    readiness = CheckReadiness([Probe("database"), Probe("redis", ConnectionError("secret host 10.0.0.1"))])()
    assert not readiness.ready
    assert readiness.checks["redis"] == "unavailable (ConnectionError)"
