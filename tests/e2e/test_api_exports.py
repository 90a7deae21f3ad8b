"""Thread exports over HTTP, on the embedded profile (SQLite) and on PostgreSQL: a thread of two
questions downloaded as Markdown, DOCX, PDF and JSON (the DOCX and PDF opened again), every
citation there with its locator; the whole history by date; an empty thread; 422 listing the
formats; another user's thread a 404."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date, timedelta

import docx
import pypdfium2
import pytest

from tests.e2e.api_server import PROBLEM, Server, run_server
from tests.e2e.conftest import STOCK_CSV

INVENTORY = (STOCK_CSV + "Склад,Москва,99\n").encode()  # a Cyrillic row: the PDF and DOCX must keep it
MEDIA = {"md": "text/markdown", "json": "application/json", "pdf": "application/pdf",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    env = {}
    if request.param == "postgres":
        env = {"ASSISTANT_DATABASE_URL": request.getfixturevalue("make_postgres_database")(),
               "ASSISTANT_DATABASE_AUTO_MIGRATE": "true"}
    yield from run_server(tmp_path_factory.mktemp(f"exports-{request.param}"), env)


def text_of(format: str, data: bytes) -> str:
    if format == "docx":
        return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    if format == "pdf":
        pdf = pypdfium2.PdfDocument(data)
        try:
            return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
        finally:
            pdf.close()
    return data.decode("utf-8")


def test_a_thread_is_exported_in_every_format_with_its_citations(server: Server) -> None:
    with server.register() as ann, server.register() as bob:
        document_id = server.processed(ann, "inventory.csv", INVENTORY)["id"]
        thread = ann.post("/api/v1/threads", json={"document_ids": [document_id]}).json()
        messages = f"/api/v1/threads/{thread['id']}/messages"
        answers = [ann.post(messages, json={"question": q}).json()
                   for q in ("How many units of KX-22 are at the Tallinn depot?", "And how many at the Riga depot?")]
        citations = [c for a in answers for c in a["citations"]]
        assert citations and all(c["label"] for c in citations), answers

        export = f"/api/v1/threads/{thread['id']}/export"
        for format, media_type in MEDIA.items():
            response = ann.get(export, params={"format": format})
            assert response.status_code == 200, response.text
            assert response.headers["content-type"].startswith(media_type)
            disposition = response.headers["content-disposition"]
            assert disposition.startswith("attachment; filename=") and f".{format}" in disposition
            assert f"{thread['id'][:8]}" in disposition
            text = " ".join(text_of(format, response.content).replace("\\", "").split())
            for answer in answers:
                assert answer["question"] in text, (format, answer["question"])
            for citation in citations:
                quote = " ".join(citation["quote"].split())
                assert citation["label"] in text and quote[:40] in text, (format, citation)
                if format != "json":
                    assert f"[{citation['number']}] {citation['label']}" in text, (format, citation)
        data = json.loads(ann.get(export, params={"format": "json"}).content)
        assert [t["question"] for t in data["threads"][0]["turns"]] == [a["question"] for a in answers]
        assert ann.get(export).headers["content-type"].startswith("text/markdown")  # md by default

        unknown = ann.get(export, params={"format": "txt"})
        assert unknown.status_code == 422 and unknown.headers["content-type"].startswith(PROBLEM)
        assert all(f"'{f}'" in unknown.text for f in MEDIA), unknown.text
        stolen = bob.get(export, params={"format": "pdf"})
        assert stolen.status_code == 404 and stolen.json()["code"] == "thread_not_found"

        today = date.today()
        history = ann.get("/api/v1/threads/history/export", params={
            "format": "json", "since": str(today - timedelta(days=1)), "until": str(today + timedelta(days=1))})
        assert history.status_code == 200 and "conversations-from-" in history.headers["content-disposition"]
        assert [t["id"] for t in json.loads(history.content)["threads"]] == [thread["id"]]
        later = ann.get("/api/v1/threads/history/export",
                        params={"format": "pdf", "since": str(today + timedelta(days=2))})
        assert later.status_code == 200 and "No questions yet." in text_of("pdf", later.content)
        nothing = bob.get("/api/v1/threads/history/export", params={"format": "json"})
        assert json.loads(nothing.content)["threads"] == []
        assert ann.get("/api/v1/threads/history/export", params={"until": "0"}).status_code == 422  # YYYY-MM-DD only
        assert ann.patch("/api/v1/threads/history/export", json={}).status_code == 405


def test_an_empty_thread_exports_as_a_valid_empty_file(server: Server) -> None:
    with server.register() as ann:
        thread = ann.post("/api/v1/threads", json={"whole_library": True, "title": "Планы на квартал"}).json()
        for format in MEDIA:
            response = ann.get(f"/api/v1/threads/{thread['id']}/export", params={"format": format})
            assert response.status_code == 200, response.text
            text = text_of(format, response.content)
            assert "Планы на квартал" in text
            if format == "json":
                assert json.loads(text)["threads"][0]["turns"] == []
            else:
                assert "No questions yet." in text
