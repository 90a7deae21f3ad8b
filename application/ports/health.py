"""Readiness probes of the services a process depends on (database, Redis ...)."""

from __future__ import annotations

from typing import Protocol


class HealthProbe(Protocol):
    name: str

    def check(self) -> None:
        """Return when the service answers; raise any exception when it does not."""
        ...
