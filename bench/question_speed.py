"""Question overhead without the model: what a question costs before and after the language model
(checks, rate limit, answer cache, the search index's lookups, re-ranking, loading the passages,
citations, storing the conversation) on a library of 100 documents (18,698 chunks with today's extractors), on SQLite and
on PostgreSQL. The model is a stand-in that answers at once with one cited sentence.

The library: the corpus's five SEC 10-Qs, GeoTopo (German) and the Russian contract, each
extracted once by the real extractors, then uploaded as 100 Markdown documents (their text with a
line of its own per copy, so each is a distinct file) and processed by ProcessDocument (chunks and
the search index, vectors included). Questions: bench/questions' SEC set, each asked once
(distinct questions: no answer-cache hits), about one document and about the whole library.

Warm: p50/p90/p99 over the questions in a process that has answered questions before.
Cold: the first question of a fresh process (started and warmed up as `assistant serve` and the
bot start: config.container.warm_up loads the embedding model, imports the question path, opens a
database connection; then one question timed), five processes each. Nothing about a document is
read before the timed question: its index rows, vectors and passages are read by it.
Targets (issue 12): p50 <= 30 ms warm and <= 100 ms cold, one document and whole library.

Run: .venv/bin/python -m bench.question_speed [--documents 100] [--postgres-url URL] [--skip-postgres]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
QUESTIONS = Path(__file__).resolve().parent / "questions"
SOURCES = [*sorted((CORPUS / "pdf" / "sec-10q").glob("*.pdf")), CORPUS / "pdf" / "text" / "GeoTopo-komprimiert.pdf",
           CORPUS / "docx" / "bug65649.docx"]
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def texts() -> list[str]:
    from adapters.extractors.docx import DocxExtractor
    from adapters.extractors.pdf import PdfExtractor

    out = []
    for path in SOURCES:
        extractor = DocxExtractor() if path.suffix == ".docx" else PdfExtractor()
        segments = extractor.extract(path.read_bytes(), kind=None).segments
        out.append("\n\n".join(s.text for s in segments))
    return out


def container_for(home: Path, database_url: str | None):  # noqa: ANN201
    from dependency_injector import providers

    from config.bootstrap import build_container
    from tests.fakes import FakeQueue, ScriptedLanguageModel

    settings = {"home": home, "log_level": "WARNING", "database_auto_migrate": True}
    if database_url:
        settings["database_url"] = database_url
    container = build_container(**settings)
    container.queue.override(providers.Object(FakeQueue()))  # processed in-line
    container.language_model.override(providers.Object(ScriptedLanguageModel(name="instant")))
    return container


def build_library(home: Path, database_url: str | None, documents: int) -> dict:
    from application.use_cases.ensure_user import EnsureEmailUserCommand
    from application.use_cases.upload_document import UploadDocumentCommand
    from config.container import warm_embedder
    from domain.users import Role, Tier

    container = container_for(home, database_url)
    warm_embedder(container)
    admin = container.ensure_user().email(EnsureEmailUserCommand(email="admin@bench", role=Role.ADMIN))
    user = container.ensure_user().email(EnsureEmailUserCommand(email="reader@bench"))
    container.set_tier()(admin.id, user.id, Tier.ENTERPRISE)
    bodies = texts()
    ids, started = [], time.perf_counter()
    for n in range(documents):
        body = f"Copy {n} of the library.\n\n{bodies[n % len(bodies)]}"
        result = container.upload_document()(UploadDocumentCommand(
            user_id=user.id, filename=f"document-{n}.md", data=body.encode()))
        container.process_document()(result.document.id)
        ids.append(str(result.document.id))
    with container.uow() as uow:
        chunks = sum(uow.chunks.count_for_document(uuid.UUID(d)) for d in ids)
    if database_url:  # what autovacuum does after a load like this one: the planner's statistics
        from sqlalchemy import text

        with container.engine().connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))
    container.engine().dispose()
    return {"user": str(user.id), "documents": ids, "chunks": chunks, "seconds": time.perf_counter() - started}


def questions() -> list[str]:
    out = []
    for name in ("sec10q_a.json", "sec10q_b.json"):
        for document in json.loads((QUESTIONS / name).read_text(encoding="utf-8"))["documents"]:
            out += [q["question"] for q in document["questions"]]
    return out


def ask(container, user: str, document_ids: list[str] | None, question: str) -> tuple[float, float]:  # noqa: ANN001
    """One question about ``document_ids`` (None: the whole library); wall and CPU milliseconds."""
    from application.use_cases.query_document import QueryDocumentCommand

    command = QueryDocumentCommand(user_id=uuid.UUID(user), question=question, whole_library=document_ids is None,
                                   document_ids=tuple(uuid.UUID(d) for d in document_ids or ()))
    wall, cpu = time.perf_counter(), time.process_time()
    container.query_document()(command)
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def warm(home: Path, database_url: str | None, library: dict, scope: str) -> dict:
    from config.container import warm_embedder

    container = container_for(home, database_url)
    warm_embedder(container)
    asked = questions()
    library_scope = scope == "library"
    for i, question in enumerate(asked[:10]):  # warm-up: caches, connections, code paths
        ask(container, library["user"], None if library_scope else [library["documents"][i % 5]], f"{question} (warm-up)")
    walls, cpus = [], []
    for i, question in enumerate(asked):
        wall, cpu = ask(container, library["user"], None if library_scope else [library["documents"][i % 5]], question)
        walls.append(wall)
        cpus.append(cpu)
    container.engine().dispose()
    return summary(walls, cpus)


def summary(walls: list[float], cpus: list[float]) -> dict:
    walls = sorted(walls)
    q = lambda p: walls[min(len(walls) - 1, int(p * len(walls)))]  # noqa: E731
    return {"n": len(walls), "p50": q(0.5), "p90": q(0.9), "p99": q(0.99), "cpu_p50": statistics.median(cpus)}


def cold_child(home: str, database_url: str, library: str, scope: str, question: str) -> None:
    from config.container import warm_up

    data = json.loads(library)
    container = container_for(Path(home), database_url or None)
    warm_up(container)  # what `assistant serve` and the bot do at start-up, before any question
    wall, cpu = ask(container, data["user"], None if scope == "library" else [data["documents"][0]], question)
    print(json.dumps({"wall": wall, "cpu": cpu}))


def cold(home: Path, database_url: str | None, library: dict, scope: str, runs: int = 5) -> dict:
    walls, cpus = [], []
    for i, question in enumerate(questions()[20:20 + runs]):
        out = subprocess.run([sys.executable, "-m", "bench.question_speed", "--cold-child", str(home),
                              database_url or "", json.dumps(library), scope, f"{question} (cold {i})"],
                             capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parents[1])
        result = json.loads(out.stdout.strip().splitlines()[-1])
        walls.append(result["wall"])
        cpus.append(result["cpu"])
    return summary(walls, cpus)


def postgres_database(server: str) -> tuple[str, callable]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(make_url(server), isolation_level="AUTOCOMMIT")
    name = f"assistant_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(server).set(database=name).render_as_string(hide_password=False), drop


def line(name: str, s: dict, target: float) -> str:
    verdict = "met" if s["p50"] <= target else "NOT met"
    return (f"  {name:<28} n={s['n']:<4} p50 {s['p50']:7.1f} ms  p90 {s['p90']:7.1f}  p99 {s['p99']:7.1f}"
            f"  CPU p50 {s['cpu_p50']:6.1f} ms   (target p50 <= {target:.0f} ms: {verdict})")


def run_profile(label: str, database_url: str | None, documents: int) -> None:
    with tempfile.TemporaryDirectory(prefix="question-speed-") as folder:
        home = Path(folder)
        library = build_library(home, database_url, documents)
        print(f"{label}: {documents} documents, {library['chunks']} chunks, built in {library['seconds']:.0f} s")
        for scope in ("document", "library"):
            print(line(f"warm, one {scope}" if scope == "document" else "warm, whole library",
                       warm(home, database_url, library, scope), 30))
            print(line(f"cold, one {scope}" if scope == "document" else "cold, whole library",
                       cold(home, database_url, library, scope), 100))


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--cold-child":
        cold_child(*sys.argv[2:7])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--postgres-url", default=os.environ.get("ASSISTANT_TEST_POSTGRES_URL", DEFAULT_POSTGRES))
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    run_profile("SQLite", None, args.documents)
    if not args.skip_postgres:
        url, drop = postgres_database(args.postgres_url)
        try:
            run_profile("PostgreSQL", url, args.documents)
        finally:
            drop()


if __name__ == "__main__":
    main()
