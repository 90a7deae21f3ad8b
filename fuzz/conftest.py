"""`make fuzz` only (not under tests/, so not in `make test`): the process runs under an address-space
cap, as a worker's extraction child does, so a runaway allocation ends as MemoryError (which the
child turns into file_too_complex) instead of taking the machine."""

from __future__ import annotations

import os
import resource

from hypothesis import HealthCheck, settings

_MEMORY = int(os.environ.get("FUZZ_MEMORY_MB", "3072")) << 20
resource.setrlimit(resource.RLIMIT_AS, (_MEMORY, _MEMORY))

settings.register_profile("fuzz", max_examples=int(os.environ.get("FUZZ_EXAMPLES", "400")), deadline=None,
                          suppress_health_check=list(HealthCheck), database=None, print_blob=True)
settings.load_profile("fuzz")
