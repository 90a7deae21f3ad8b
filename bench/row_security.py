"""Row-level security's cost on PostgreSQL: the documents list and a question, as the tables' owner
with no policy applied (the same-run baseline) and as the application's role with
``database.row_security`` on (every transaction names its user; the policies filter documents,
chunks, search index rows, conversations and threads).

One database, one library: two users with D small Markdown documents each (processed: chunks and
the search index), so the policies have another user's rows to filter out. Each operation is run
N times per side, the two sides alternating in rounds so that load on the machine hits both alike:
the documents list through the use case (a unit of work, as the bot and CLI read it) and through
the async store (as the API's route reads it), a question about one document and one about the
whole library (the model is a stand-in that answers at once, so the figures are the question's own
overhead: checks, search, passages, the stored conversation; distinct questions: no cache hits).
Printed: p50 wall and mean CPU of this process (``time.process_time``) per operation, and the
RLS/baseline ratios. PostgreSQL's own CPU is not counted.

Run: .venv/bin/python -m bench.row_security [--documents D] [--repeat N] [--postgres-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from bench.question_speed import DEFAULT_POSTGRES, postgres_database

TOPICS = ["invoices", "delivery", "warranty", "penalties", "renewal", "support", "pricing", "termination"]


def body(n: int, owner: str) -> str:
    lines = [f"# {owner} document {n}", ""]
    for i, topic in enumerate(TOPICS):
        lines += [f"## {topic.title()}", "", f"The {topic} clause of agreement {n} sets {i + n % 7} days for "
                  f"{topic} notices, reviewed every {3 + i} months by the {owner} team.", ""]
    return "\n".join(lines)


def make_container(home: Path, url: str, row_security: bool):  # noqa: ANN201
    from dependency_injector import providers

    from config.bootstrap import build_container
    from tests.fakes import FakeQueue, ScriptedLanguageModel

    container = build_container(home=home, log_level="WARNING", database_url=url, database_auto_migrate=False,
                                database_row_security=row_security)
    container.queue.override(providers.Object(FakeQueue()))  # processed in-line
    container.language_model.override(providers.Object(ScriptedLanguageModel(name="instant")))
    return container


def build_library(container: Any, documents: int) -> dict[str, Any]:
    from application.use_cases.ensure_user import EnsureEmailUserCommand
    from application.use_cases.upload_document import UploadDocumentCommand
    from domain.users import Role, Tier

    admin = container.ensure_user().email(EnsureEmailUserCommand(email="admin@bench", role=Role.ADMIN))
    library: dict[str, Any] = {}
    for owner in ("reader", "other"):
        user = container.ensure_user().email(EnsureEmailUserCommand(email=f"{owner}@bench"))
        container.set_tier()(admin.id, user.id, Tier.ENTERPRISE)
        ids = []
        for n in range(documents):
            result = container.upload_document()(UploadDocumentCommand(
                user_id=user.id, filename=f"{owner}-{n}.md", data=body(n, owner).encode()))
            container.process_document()(result.document.id)
            ids.append(result.document.id)
        library[owner] = (user.id, ids)
    return library


def timed(run: Any) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def operations(side: str, container: Any, store: Any, loop: asyncio.AbstractEventLoop, user: uuid.UUID,
               documents: list[uuid.UUID]) -> dict[str, Any]:
    from application.use_cases.list_documents import ListDocumentsQuery
    from application.use_cases.query_document import QueryDocumentCommand

    counter = iter(range(10**9))  # with the side's name: the sides share the answer cache (one home)
    page = min(50, len(documents))

    def question(**scope: Any) -> None:
        n = next(counter)
        container.query_document()(QueryDocumentCommand(
            user_id=user, question=f"How many days for {TOPICS[n % len(TOPICS)]} notices? ({side} {n})", **scope))

    def listed() -> None:
        assert len(container.list_documents()(ListDocumentsQuery(user_id=user, limit=50)).documents) == page

    def listed_async() -> None:
        found = loop.run_until_complete(container.list_documents().page_async(
            ListDocumentsQuery(user_id=user, limit=50), store))
        assert len(found.documents) == page

    return {"documents list (use case)": listed, "documents list (async store)": listed_async,
            "question, one document": lambda: question(document_id=documents[next(counter) % len(documents)]),
            "question, whole library": lambda: question(whole_library=True)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=60)
    parser.add_argument("--postgres-url", default=os.environ.get("ASSISTANT_TEST_POSTGRES_URL", DEFAULT_POSTGRES))
    args = parser.parse_args()
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from adapters.persistence import migrate
    from adapters.persistence.app_role import grant_app_role
    from adapters.persistence.engine import make_engine

    owner_url, drop = postgres_database(args.postgres_url)
    role = f"assistant_bench_{uuid.uuid4().hex[:8]}"
    owner_engine = make_engine(owner_url)
    loop = asyncio.new_event_loop()
    try:
        migrate.upgrade(owner_url)
        with owner_engine.begin() as connection:
            connection.execute(text(f"CREATE ROLE {role} LOGIN"))
        grant_app_role(owner_url, role)
        app_url = make_url(owner_url).set(username=role).render_as_string(hide_password=False)
        with tempfile.TemporaryDirectory() as home:
            sides = {"baseline": make_container(Path(home), owner_url, False),
                     "rls": make_container(Path(home), app_url, True)}
            started = time.perf_counter()
            library = build_library(sides["baseline"], args.documents)
            with owner_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("ANALYZE"))
            user, documents = library["reader"]
            print(f"library: 2 users x {args.documents} documents in {time.perf_counter() - started:.1f} s; "
                  f"{args.repeat} runs per operation and side, alternating")
            stores = {name: c.async_store() for name, c in sides.items()}
            for store in stores.values():
                loop.run_until_complete(store.start())
            ops = {name: operations(name, c, stores[name], loop, user, documents) for name, c in sides.items()}
            results: dict[str, dict[str, list[tuple[float, float]]]] = {n: {o: [] for o in ops[n]} for n in ops}
            for operation in ops["baseline"]:
                for side in sides:  # warm-up
                    for _ in range(5):
                        ops[side][operation]()
                for _ in range(args.repeat):
                    for side in sides:
                        results[side][operation].append(timed(ops[side][operation]))
            print(f"{'operation':<30} | {'baseline p50 wall / CPU ms':>26} | {'RLS p50 wall / CPU ms':>22} | ratio wall / CPU")
            for operation in ops["baseline"]:
                (bw, bc), (rw, rc) = (_figures(results[side][operation]) for side in ("baseline", "rls"))
                print(f"{operation:<30} | {bw:14.2f} / {bc:8.2f} | {rw:10.2f} / {rc:8.2f} | {rw / bw:5.2f} / {rc / bc:5.2f}")
            for store in stores.values():
                loop.run_until_complete(store.close())
            for c in sides.values():
                c.engine().dispose()
    finally:
        loop.close()
        with owner_engine.begin() as connection:
            connection.execute(text(f"DROP OWNED BY {role}"))
        owner_engine.dispose()
        drop()
        admin = make_engine(args.postgres_url)
        with admin.begin() as connection:
            connection.execute(text(f"DROP ROLE IF EXISTS {role}"))
        admin.dispose()


def _figures(samples: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(w for w, _ in samples), statistics.fmean(c for _, c in samples)


if __name__ == "__main__":
    main()
