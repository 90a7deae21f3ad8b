"""Readiness: every probe's state, so an orchestrator sends traffic only to a process that can serve it."""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import structlog

from application.ports.health import HealthProbe

log = structlog.get_logger(__name__)


@attrs.frozen
class Readiness:
    checks: dict[str, str]  # name -> "ok" or a short reason

    @property
    def ready(self) -> bool:
        return all(state == "ok" for state in self.checks.values())


@attrs.define
class CheckReadiness:
    probes: Sequence[HealthProbe]

    def __call__(self) -> Readiness:
        checks: dict[str, str] = {}
        for probe in self.probes:
            try:
                probe.check()
                checks[probe.name] = "ok"
            except Exception as error:  # any failure means "not ready"; the reason is logged, not leaked
                log.warning("readiness_probe_failed", probe=probe.name, error=type(error).__name__)
                checks[probe.name] = f"unavailable ({type(error).__name__})"
        return Readiness(checks)
