"""Encryption at rest: put + get of files through LocalFileStorage, plain (the same-run baseline)
and through EncryptedFileStorage (AES-256-GCM, a data key per file), on a temporary folder.

For each file size, N files are stored then read back, first plainly, then encrypted; wall time
(``time.perf_counter``) and CPU time of this process (``time.process_time``) per file are printed,
with the encrypted/plain ratio. The files go through the OS cache (fsync on every put, as in
production), so the figures show what encryption adds to a real write and read.

Run: .venv/bin/python -m bench.storage_encryption [--files N]
"""

from __future__ import annotations

import argparse
import base64
import os
import time
from pathlib import Path
from tempfile import TemporaryDirectory

from adapters.storage.encrypted import EncryptedFileStorage
from adapters.storage.key_records import KeyRecords
from adapters.storage.keyring import Keyring
from adapters.storage.local import LocalFileStorage

SIZES = {"10 KiB": 10 * 1024, "1 MiB": 1024 * 1024, "20 MiB": 20 * 1024 * 1024}


def measure(storage: object, data: bytes, files: int) -> tuple[float, float]:
    """Wall and CPU seconds per file for put then get of ``files`` files."""
    wall, cpu = time.perf_counter(), time.process_time()
    keys = [storage.put(data) for _ in range(files)]  # type: ignore[attr-defined]
    for key in keys:
        assert storage.get(key) == data  # type: ignore[attr-defined]
    return (time.perf_counter() - wall) / files, (time.process_time() - cpu) / files


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=20)
    files = parser.parse_args().files
    keyring = Keyring.parse(f"bench:{base64.b64encode(os.urandom(32)).decode()}")
    print(f"{'size':>7} | {'plain wall/cpu ms':>18} | {'encrypted wall/cpu ms':>22} | ratio wall/cpu")
    for label, size in SIZES.items():
        data = os.urandom(size)
        with TemporaryDirectory() as tmp:
            plain = LocalFileStorage(Path(tmp) / "plain")
            inner = LocalFileStorage(Path(tmp) / "encrypted")
            encrypted = EncryptedFileStorage(inner, keyring, KeyRecords(inner.root, keyring))
            count = max(2, files if size < 10 * 1024 * 1024 else files // 5)
            measure(plain, data, 2), measure(encrypted, data, 2)  # warm-up
            pw, pc = measure(plain, data, count)
            ew, ec = measure(encrypted, data, count)
        print(f"{label:>7} | {pw * 1e3:8.2f} / {pc * 1e3:7.2f} | {ew * 1e3:11.2f} / {ec * 1e3:8.2f} | "
              f"{ew / pw:5.2f} / {ec / pc:5.2f}  ({count} files)")


if __name__ == "__main__":
    main()
