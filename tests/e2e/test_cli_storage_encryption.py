"""Encryption at rest through the real console script: ingest and ask with ASSISTANT_STORAGE_KEYS,
start-up refused with a missing, wrong or malformed key, and ``assistant storage rotate-key``."""

from __future__ import annotations

import base64
import os
from pathlib import Path

from adapters.storage.encrypted import MAGIC, EncryptedFileStorage, key_id_of
from adapters.storage.keyring import Keyring
from adapters.storage.local import LocalFileStorage
from tests.e2e.conftest import Cli

EXIT_CONFIG, EXIT_UNREADABLE = 78, 33


def entry(key_id: str) -> str:
    return f"{key_id}:{base64.b64encode(os.urandom(32)).decode()}"


def blobs(cli: Cli) -> LocalFileStorage:
    return LocalFileStorage(cli.home / "var" / "files")


def test_ingested_files_are_encrypted_and_still_answered(cli: Cli, notes: Path) -> None:
    keys = {"ASSISTANT_STORAGE_KEYS": entry("k1")}
    ingested = cli("ingest", str(notes), "--json", env=keys)
    assert ingested.code == 0, ingested.err
    [doc] = ingested.json()
    assert doc["status"] == "completed"  # the worker path decrypted the file to read it
    [stored] = list(blobs(cli).keys())
    raw = blobs(cli).get(stored)
    assert raw.startswith(MAGIC) and key_id_of(raw) == "k1" and b"Payment terms" not in raw
    asked = cli("ask", doc["id"], "Within how many days are invoices payable?", "--json", env=keys)
    assert asked.code == 0 and "30 days" in asked.json()["answer"], asked.err


def test_a_missing_wrong_or_malformed_key_stops_start_up_with_one_line(cli: Cli, notes: Path) -> None:
    good = entry("k1")
    assert cli("ingest", str(notes), env={"ASSISTANT_STORAGE_KEYS": good}).code == 0

    missing = cli("docs")
    assert missing.code == EXIT_CONFIG
    assert "the stored files are encrypted (key ids: k1) but ASSISTANT_STORAGE_KEYS is not set" in missing.err
    wrong = cli("docs", env={"ASSISTANT_STORAGE_KEYS": entry("k1")})
    assert wrong.code == EXIT_CONFIG and "key 'k1' is not the key this storage was encrypted with" in wrong.err
    other = cli("docs", env={"ASSISTANT_STORAGE_KEYS": entry("k2")})
    assert other.code == EXIT_CONFIG and "key id(s) k1, missing from ASSISTANT_STORAGE_KEYS" in other.err
    short = "k1:" + base64.b64encode(b"0123456789").decode()
    malformed = cli("docs", env={"ASSISTANT_STORAGE_KEYS": short})
    assert malformed.code == EXIT_CONFIG
    assert "ASSISTANT_STORAGE_KEYS: key 'k1' is 10 bytes; AES-256 needs 32" in malformed.err
    assert short.split(":")[1] not in malformed.err
    for run in (missing, wrong, other, malformed):
        assert "Traceback" not in run.err and len(run.err.strip().splitlines()) == 1, run.err
    assert cli("docs", env={"ASSISTANT_STORAGE_KEYS": good}).code == 0


def test_rotate_key_re_encrypts_old_and_plaintext_files_then_the_old_key_can_go(cli: Cli, notes: Path,
                                                                                tmp_path: Path) -> None:
    k1, k2 = entry("k1"), entry("k2")
    other = tmp_path / "other.txt"
    other.write_text("The warehouse in Riga ships orders every Tuesday.\n", encoding="utf-8")
    assert cli("ingest", str(notes)).code == 0  # before encryption: plaintext
    assert cli("ingest", str(other), env={"ASSISTANT_STORAGE_KEYS": k1}).code == 0
    refused = cli("storage", "rotate-key")
    assert refused.code == EXIT_CONFIG and "ASSISTANT_STORAGE_KEYS is not set" in refused.err

    both = {"ASSISTANT_STORAGE_KEYS": f"{k2},{k1}"}
    rotated = cli("storage", "rotate-key", "--json", env=both)
    assert rotated.code == 0, rotated.err
    assert rotated.json() == {"examined": 2, "rotated": 1, "encrypted": 1, "current": 0, "vanished": 0,
                              "failed": 0, "retired_keys": ["k1"]}
    again = cli("storage", "rotate-key", env=both)
    assert again.code == 0 and "2 file(s): 0 re-encrypted" in again.out and "2 already under the current key" \
        in again.out

    only_k2 = {"ASSISTANT_STORAGE_KEYS": k2}
    assert cli("docs", env=only_k2).code == 0  # k1 was retired: start-up no longer asks for it
    reader = EncryptedFileStorage(blobs(cli), Keyring.parse(k2))
    texts = sorted(reader.get(key) for key in blobs(cli).keys())
    assert texts == sorted([notes.read_bytes(), other.read_bytes()])
    assert {key_id_of(blobs(cli).get(key)) for key in blobs(cli).keys()} == {"k2"}


def test_rotate_key_reports_unreadable_files_with_its_exit_code(cli: Cli, notes: Path) -> None:
    k1 = entry("k1")
    assert cli("ingest", str(notes), env={"ASSISTANT_STORAGE_KEYS": k1}).code == 0
    [stored] = list(blobs(cli).keys())
    raw = bytearray(blobs(cli).get(stored))
    raw[-1] ^= 0xFF
    blobs(cli).write(stored, bytes(raw))
    run = cli("storage", "rotate-key", env={"ASSISTANT_STORAGE_KEYS": f"{entry('k2')},{k1}"})
    assert run.code == EXIT_UNREADABLE, run.err
    assert "1 unreadable" in run.out and "1 file(s) could not be decrypted" in run.err


def test_new_key_prints_an_entry_and_refuses_a_malformed_id_with_one_line(cli: Cli) -> None:
    made = cli("storage", "new-key", "2026-12")
    assert made.code == 0, made.err
    assert Keyring.parse(made.out.strip()).current_id == "2026-12"
    refused = cli("storage", "new-key", "no spaces")
    assert refused.code == 10  # invalid_input
    assert refused.err.strip() == "error: a key id is 1-32 characters among A-Z a-z 0-9 _ . - [invalid_input]"
