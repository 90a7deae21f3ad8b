"""``assistant doc`` and ``docs`` show which extractor (name and version) read a document and its notes."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.conftest import Cli


def test_doc_shows_the_extractor_and_docs_lists_it(cli: Cli, notes: Path) -> None:
    [ingested] = cli("ingest", str(notes), "--json").json()
    assert (ingested["extractor"], ingested["extractor_version"], ingested["notes"]) == ("text", "1", None)
    shown = cli("doc", ingested["id"][:8])
    assert shown.code == 0, shown.err
    assert "extractor: text 1" in shown.out and "status:    completed" in shown.out
    assert cli("doc", ingested["id"], "--json").json()["extractor"] == "text"
    assert "text 1" in cli("docs").out
    assert cli("doc", "ffffffff").code != 0
