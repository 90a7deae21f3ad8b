"""The documents list's filename search (the Library's search box), the same on every backend: the
fakes, SQLite and PostgreSQL repositories, and both async stores. Case-insensitive in any script,
``%`` and ``_`` taken literally, combined with the other filters and the cursor."""

from __future__ import annotations

from typing import Any

from application.ports.unit_of_work import UnitOfWork
from domain.documents import DocumentKind, DocumentStatus
from tests.contract.test_async_store import Backend, backend, pg_engine, pg_url, run, sqlite_engine  # noqa: F401
from tests.contract.test_repositories import a_document, a_user, at, stored

NAMES = ["Q3 Report.pdf", "q3-summary.xlsx", "Отчёт за квартал.docx", "отчёт_итоги.pdf", "100%_done.txt",
         "1000 done.txt", "notes.md", "<img src=x onerror=alert(1)>.md"]


def _library(uow: UnitOfWork) -> tuple[Any, list[Any]]:
    owner, other = a_user(), a_user()
    kinds = {".pdf": DocumentKind.PDF, ".xlsx": DocumentKind.XLSX, ".docx": DocumentKind.DOCX}
    docs = [a_document(owner, filename=name, kind=kinds.get(name[name.rfind("."):], DocumentKind.TEXT),
                       status=DocumentStatus.FAILED if n == 0 else DocumentStatus.COMPLETED,
                       created_at=at(n), updated_at=at(n)) for n, name in enumerate(NAMES)]
    stored(uow, owner, other, documents=(*docs, a_document(other, filename="Q3 Report.pdf")))
    return owner, docs


def _names(found: list[Any]) -> list[str]:
    return [d.filename for d in found]


CASES: list[tuple[dict[str, Any], list[str]]] = [
    ({"filename_contains": "q3"}, ["q3-summary.xlsx", "Q3 Report.pdf"]),
    ({"filename_contains": "ОТЧЁТ"}, ["отчёт_итоги.pdf", "Отчёт за квартал.docx"]),
    ({"filename_contains": "%"}, ["100%_done.txt"]),
    ({"filename_contains": "0_d"}, []),  # '_' is not a wildcard ("100%_done" has '%_')
    ({"filename_contains": "%_"}, ["100%_done.txt"]),
    ({"filename_contains": "<img"}, ["<img src=x onerror=alert(1)>.md"]),
    ({"filename_contains": "q3", "status": DocumentStatus.COMPLETED}, ["q3-summary.xlsx"]),
    ({"filename_contains": ".pdf", "kind": DocumentKind.PDF, "limit": 1}, ["отчёт_итоги.pdf"]),
    ({"filename_contains": ".pdf", "before": None}, ["отчёт_итоги.pdf", "Q3 Report.pdf"]),
    ({"filename_contains": "nothing like it"}, []),
]


def test_the_repositories_search_filenames_alike(uow: UnitOfWork) -> None:
    owner, docs = _library(uow)
    with uow:
        for query, expected in CASES:
            assert _names(uow.documents.list_for_owner(owner.id, **query)) == expected, query
        after = uow.documents.list_for_owner(owner.id, filename_contains="pdf", before=(docs[3].created_at, docs[3].id))
        assert _names(after) == ["Q3 Report.pdf"]


def test_the_async_stores_search_as_the_repositories_do(backend: Backend) -> None:  # noqa: F811
    uow, make_store = backend
    owner, docs = _library(uow)
    for query, expected in CASES:
        found_owner, page = run(make_store, lambda s, q=query: s.owner_and_page(owner.id, **q))
        assert found_owner == owner and _names(page) == expected, query
