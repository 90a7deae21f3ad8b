"""Migrations 0004 (the search index) and 0005 (a document's extracted text moved from
documents.extracted_text to document_texts), up and down on SQLite and PostgreSQL, with rows in
the database: the text of an existing document is kept each way, and so are the rows that point
at documents (chunks, the user's active document, search index rows) while SQLite's batch mode
copies the documents table."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine, inspect

from adapters.persistence import migrate
from adapters.persistence.engine import make_engine
from adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from application.ports.search_index import DocumentIndex, IndexedChunk
from tests.contract.test_repositories import a_document, a_user
from tests.integration import test_migrations

T0 = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
# the kinds of text an extraction gives: several lines, two scripts, quotes, a table, a few hundred KB
TEXT = ("Цена Контракта составляет 39 921 700,00 руб.\n| Item | Amount |\n|---|---|\n| O'Brien \"quoted\" | 1 |\n"
        + "Invoices are payable within 30 days. " * 6000)

# the tables as they stand at revision 0003 (adapters.persistence.tables describes the head)
USERS = sa.table("users", sa.column("id", sa.Uuid()), sa.column("email", sa.String()), sa.column("role", sa.String()),
                 sa.column("tier", sa.String()), sa.column("status", sa.String()), sa.column("language", sa.String()),
                 sa.column("active_document_id", sa.Uuid()), sa.column("created_at", sa.DateTime(timezone=True)),
                 sa.column("updated_at", sa.DateTime(timezone=True)))
DOCUMENTS = sa.table(
    "documents", sa.column("id", sa.Uuid()), sa.column("owner_id", sa.Uuid()), sa.column("filename", sa.Text()),
    sa.column("kind", sa.String()), sa.column("size", sa.BigInteger()), sa.column("sha256", sa.String()),
    sa.column("storage_key", sa.Text()), sa.column("status", sa.String()), sa.column("progress_done", sa.Integer()),
    sa.column("progress_total", sa.Integer()), sa.column("extracted_text", sa.Text()),
    sa.column("created_at", sa.DateTime(timezone=True)), sa.column("updated_at", sa.DateTime(timezone=True)))
CHUNKS = sa.table("chunks", sa.column("id", sa.Uuid()), sa.column("document_id", sa.Uuid()),
                  sa.column("ordinal", sa.Integer()), sa.column("text", sa.Text()), sa.column("locators", sa.JSON()),
                  sa.column("start", sa.Integer()), sa.column("end", sa.Integer()),
                  sa.column("token_count", sa.Integer()))
DOCUMENT_TEXTS = sa.table("document_texts", sa.column("document_id", sa.Uuid()), sa.column("text", sa.Text()))


# an empty database of its own for each backend: the tests walk it through revisions
database_url = test_migrations.database_url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def insert_at_0003(engine: Engine) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    """A user whose active document has a text and a chunk, and a document without a text."""
    user, with_text, without_text = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    with engine.begin() as connection:
        connection.execute(USERS.insert(), {"id": user, "email": "ann@example.com", "role": "user", "tier": "free",
                                            "status": "active", "language": "en", "active_document_id": None,
                                            "created_at": T0, "updated_at": T0})
        for document_id, text in ((with_text, TEXT), (without_text, None)):
            connection.execute(DOCUMENTS.insert(), {
                "id": document_id, "owner_id": user, "filename": "contract.docx", "kind": "docx", "size": 10,
                "sha256": uuid.uuid4().hex * 2, "storage_key": uuid.uuid4().hex, "status": "completed",
                "progress_done": 1, "progress_total": 1, "extracted_text": text, "created_at": T0, "updated_at": T0})
        connection.execute(CHUNKS.insert(), {"id": uuid.uuid4(), "document_id": with_text, "ordinal": 0,
                                             "text": TEXT[:40], "locators": [{"paragraph": 1}], "start": 0,
                                             "end": 40, "token_count": 8})
        connection.execute(USERS.update().values(active_document_id=with_text))
    return user, with_text, without_text


def columns(engine: Engine, table: str) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns(table)}


def tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def texts_in_documents(engine: Engine) -> dict[uuid.UUID, str | None]:
    with engine.connect() as connection:
        return dict(connection.execute(sa.select(DOCUMENTS.c.id, DOCUMENTS.c.extracted_text)).all())


def texts_in_document_texts(engine: Engine) -> dict[uuid.UUID, str]:
    with engine.connect() as connection:
        return dict(connection.execute(sa.select(DOCUMENT_TEXTS.c.document_id, DOCUMENT_TEXTS.c.text)).all())


def references_kept(engine: Engine, user: uuid.UUID, document: uuid.UUID) -> None:
    with engine.connect() as connection:
        assert connection.execute(sa.select(USERS.c.active_document_id).where(USERS.c.id == user)).scalar_one() == document
        assert connection.execute(sa.select(sa.func.count()).select_from(CHUNKS)
                                  .where(CHUNKS.c.document_id == document)).scalar_one() == 1


def test_a_documents_text_survives_0004_and_0005_up_and_down(database_url: str, engine: Engine) -> None:
    migrate.upgrade(database_url, "0003")
    user, with_text, without_text = insert_at_0003(engine)

    migrate.upgrade(database_url, "0004")
    assert {"search_documents", "search_chunks"} <= tables(engine) and "extracted_text" in columns(engine, "documents")
    assert texts_in_documents(engine) == {with_text: TEXT, without_text: None}

    migrate.upgrade(database_url, "0005")
    engine.dispose()  # SQLite: the copied documents table is read afresh
    assert "extracted_text" not in columns(engine, "documents")
    assert texts_in_document_texts(engine) == {with_text: TEXT}  # no row for a document without a text
    references_kept(engine, user, with_text)
    migrate.upgrade(database_url, "head")  # the repositories describe the head's tables
    engine.dispose()
    uow = SqlAlchemyUnitOfWork(engine)
    with uow:  # what the app reads at the head
        assert uow.documents.extracted_text(with_text) == TEXT and uow.documents.extracted_text(without_text) is None
        assert uow.documents.get(with_text).filename == "contract.docx"

    migrate.downgrade(database_url, "0004")
    engine.dispose()
    assert "document_texts" not in tables(engine)
    assert texts_in_documents(engine) == {with_text: TEXT, without_text: None}
    references_kept(engine, user, with_text)

    migrate.downgrade(database_url, "0003")
    engine.dispose()
    assert not {"search_documents", "search_chunks"} & tables(engine)
    assert texts_in_documents(engine) == {with_text: TEXT, without_text: None}
    references_kept(engine, user, with_text)


def test_a_document_indexed_at_0004_keeps_its_text_and_its_index_through_0005(database_url: str,
                                                                               engine: Engine) -> None:
    migrate.upgrade(database_url, "0003")
    user, with_text, _ = insert_at_0003(engine)
    migrate.upgrade(database_url, "0004")
    index = DocumentIndex(document_id=with_text, language="ru", analyzer="snowball-3", tokens=8,
                          chunks=(IndexedChunk(ordinal=0, terms=("цен", "контракт")),))
    uow = SqlAlchemyUnitOfWork(engine)
    with uow:  # the search tables are the same at 0004 as at the head
        uow.search.replace(index)
        uow.commit()

    for _ in range(2):  # up, down and up again
        migrate.upgrade(database_url, "head")
        engine.dispose()
        assert texts_in_document_texts(engine) == {with_text: TEXT}
        references_kept(engine, user, with_text)
        with uow:
            assert uow.search.states([with_text]).keys() == {with_text}
            assert [h.ordinal for h in uow.search.lexical([with_text], ["контракт"], limit=5)] == [0]
        _fts_consistent(engine)
        migrate.downgrade(database_url, "0004")
        engine.dispose()
        assert texts_in_documents(engine)[with_text] == TEXT
        with uow:
            assert [h.ordinal for h in uow.search.lexical([with_text], ["цен"], limit=5)] == [0]


def test_a_text_stored_by_the_app_at_the_head_goes_back_to_its_row(database_url: str, engine: Engine) -> None:
    migrate.upgrade(database_url)
    owner = a_user()
    document = a_document(owner)
    document.extracted_text = TEXT
    uow = SqlAlchemyUnitOfWork(engine)
    with uow:
        uow.users.add(owner)
        uow.documents.add(document)
        uow.commit()

    migrate.downgrade(database_url, "0004")
    engine.dispose()
    assert texts_in_documents(engine) == {document.id: TEXT}
    migrate.upgrade(database_url)
    engine.dispose()
    with uow:
        assert uow.documents.extracted_text(document.id) == TEXT


def _fts_consistent(engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        with engine.begin() as connection:
            connection.execute(sa.text("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)"))
