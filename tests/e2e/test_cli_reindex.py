"""``assistant reindex [--all]`` (entrypoints/cli/index.py) as a user runs it, on the embedded
profile's data directory: a document whose index rows are gone (processed before the index
existed) is indexed again and counted; ``--all`` redoes every processed document; the output is
"<indexed> of <examined> processed document(s) indexed", or JSON with --json."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from tests.e2e.conftest import Cli

CONTRACT = """Договор поставки № 45

1. Поставщик поставляет товар в течение 10 рабочих дней.
2. За просрочку поставки Поставщик уплачивает штраф в размере 0,1% за каждый день.
"""


@contextmanager
def database(cli: Cli) -> Iterator[sqlite3.Connection]:
    """The embedded profile's SQLite file, with foreign keys on (index rows cascade as in the app)."""
    with closing(sqlite3.connect(cli.home / "var" / "assistant.db")) as connection:
        connection.execute("PRAGMA foreign_keys = ON")
        yield connection
        connection.commit()


def index_rows(cli: Cli, document_id: str) -> tuple[int, int, int]:
    """(search_documents rows, search_chunks rows, chunks rows) of a document."""
    key = uuid.UUID(document_id).hex  # the Uuid type's storage on SQLite
    with database(cli) as db:
        return tuple(db.execute(f"SELECT count(*) FROM {table} WHERE document_id = ?", (key,)).fetchone()[0]
                     for table in ("search_documents", "search_chunks", "chunks"))


def versions(cli: Cli) -> dict[str, str]:
    with database(cli) as db:
        return {str(uuid.UUID(d)): v for d, v in db.execute("SELECT document_id, version FROM search_documents")}


def drop_index(cli: Cli, document_id: str) -> None:
    with database(cli) as db:
        db.execute("DELETE FROM search_documents WHERE document_id = ?", (uuid.UUID(document_id).hex,))


def ingested(cli: Cli, *paths: Path) -> list[str]:
    result = cli("ingest", *map(str, paths), "--json")
    assert result.code == 0, result.err
    documents = result.json()
    assert [d["status"] for d in documents] == ["completed"] * len(paths)
    return [d["id"] for d in documents]


def test_reindex_rebuilds_the_missing_index_and_says_how_many(cli: Cli, notes: Path, tmp_path: Path) -> None:
    contract = tmp_path / "dogovor.txt"
    contract.write_text(CONTRACT, encoding="utf-8")
    notes_id, contract_id = ingested(cli, notes, contract)
    documents, indexed_chunks, chunks = index_rows(cli, notes_id)
    assert documents == 1 and indexed_chunks == chunks > 0  # processing indexed it

    nothing = cli("reindex")
    assert nothing.code == 0, nothing.err
    assert nothing.out.strip() == "0 of 2 processed document(s) indexed"

    drop_index(cli, contract_id)
    assert index_rows(cli, contract_id)[:2] == (0, 0)
    before = versions(cli)
    rebuilt = cli("reindex")
    assert rebuilt.code == 0, rebuilt.err
    assert rebuilt.out.strip() == "1 of 2 processed document(s) indexed"
    documents, indexed_chunks, chunks = index_rows(cli, contract_id)
    assert documents == 1 and indexed_chunks == chunks > 0
    assert versions(cli)[notes_id] == before[notes_id]  # the indexed one was left alone
    with database(cli) as db:
        language, analyzer, model = db.execute("SELECT language, analyzer, model FROM search_documents "
                                               "WHERE document_id = ?", (uuid.UUID(contract_id).hex,)).fetchone()
        fts = db.execute("SELECT count(*) FROM search_fts WHERE search_fts MATCH 'штраф'").fetchone()[0]
    assert (language, analyzer, model) == ("ru", "snowball-4", "wordllama-l2-supercat-256")
    assert fts == 1  # the stemmed terms are searchable again

    asked = cli("ask", contract_id, "Какой штраф за просрочку поставки?", "--json")
    assert asked.code == 0, asked.err
    assert "0,1%" in asked.json()["answer"]


def test_reindex_all_redoes_every_processed_document(cli: Cli, notes: Path, tmp_path: Path) -> None:
    contract = tmp_path / "dogovor.txt"
    contract.write_text(CONTRACT, encoding="utf-8")
    ids = ingested(cli, notes, contract)
    before = versions(cli)
    assert before.keys() == set(ids)

    everything = cli("reindex", "--all", "--json")
    assert everything.code == 0, everything.err
    assert everything.json() == {"indexed": 2, "examined": 2}
    after = versions(cli)
    assert after.keys() == set(ids) and all(after[d] != before[d] for d in ids)  # each index rebuilt
    for document_id in ids:
        documents, indexed_chunks, chunks = index_rows(cli, document_id)
        assert documents == 1 and indexed_chunks == chunks  # replaced, not added to

    human = cli("reindex", "--all")
    assert human.code == 0 and human.out.strip() == "2 of 2 processed document(s) indexed"
    assert cli("reindex", "--json").json() == {"indexed": 0, "examined": 2}


def test_reindex_of_an_empty_library(cli: Cli) -> None:
    result = cli("reindex")
    assert result.code == 0, result.err
    assert result.out.strip() == "0 of 0 processed document(s) indexed"
    assert "Traceback" not in result.err
