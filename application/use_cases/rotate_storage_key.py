"""Re-encrypt every stored file under the current storage key (``assistant storage rotate-key``).

Resumable by construction: each file is rewritten whole and atomically, and a file already under
the current key is only checked, never rewritten, so a run that was stopped (or failed on some
files) is simply run again. A file that cannot be decrypted (its key is missing, or it was altered)
is counted and named in the log, and the others go on; only a run without such failures retires the
records of the other keys (after it they may be removed from the configuration). A file deleted
while the run goes is skipped.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs
import structlog

from application.ports.storage import KeyRotatingStorage, Rotation
from domain.errors import StoredFileUnreadable

log = structlog.get_logger(__name__)


@attrs.define
class RotationReport:
    examined: int = 0
    rotated: int = 0  # from an older key
    encrypted: int = 0  # from plaintext (stored before encryption was on)
    current: int = 0
    vanished: int = 0  # deleted while the run went
    failed: int = 0
    retired_keys: list[str] = attrs.Factory(list)


@attrs.define
class RotateStorageKey:
    storage: KeyRotatingStorage

    def __call__(self, progress: Callable[[RotationReport], None] | None = None,
                 every: int = 100) -> RotationReport:
        report = RotationReport()
        for key in self.storage.keys():
            report.examined += 1
            try:
                outcome = self.storage.rotate(key)
            except KeyError:
                report.vanished += 1
            except StoredFileUnreadable as error:
                report.failed += 1
                log.warning("storage_rotation_failed", storage_key=key, reason=error.message)
            else:
                report.rotated += outcome is Rotation.ROTATED
                report.encrypted += outcome is Rotation.ENCRYPTED
                report.current += outcome is Rotation.CURRENT
            if progress is not None and report.examined % every == 0:
                progress(report)
        if not report.failed:
            report.retired_keys = self.storage.retire_other_keys()
        log.info("storage_rotated", **attrs.asdict(report))
        return report
