"""PostgreSQL connections of the API: the number one process opens stays within the budget derived
from ASSISTANT_DATABASE_POOL_SIZE (docs/scaling.md: 2 x pool size for its engine, plus as many as
the pool size for its async store), however many requests wait; and the app works through
PgBouncer in transaction mode with ASSISTANT_DATABASE_TRANSACTION_POOLER=true: no server-side
prepared statement or session state carried from one transaction to the next."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from adapters.persistence import migrate
from tests.conftest import DEFAULT_POSTGRES_URL
from tests.e2e.api_server import Server, run_server, wait_processed
from tests.pgbouncer_process import PgBouncerProcess

pytestmark = pytest.mark.postgres
TERMS = b"# Terms\n\nInvoices are payable within 30 days of receipt.\n\nDelivery takes five days.\n"
POOL_SIZE = 2


def _connections(database: str) -> int:
    engine = create_engine(os.environ.get("ASSISTANT_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL))
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = :d"),
                                      {"d": database}).scalar_one()
    finally:
        engine.dispose()


def _traffic(server: Server, client, document_id: str, count: int) -> list[int]:
    """Lists, a document, usage, analytics, new and cached questions, interleaved."""
    calls = [lambda i: client.get("/api/v1/documents"), lambda i: client.get(f"/api/v1/documents/{document_id}"),
             lambda i: client.get("/api/v1/usage"), lambda i: client.get("/api/v1/analytics", params={"days": 30}),
             lambda i: client.post(f"/api/v1/documents/{document_id}/query",
                                   json={"question": f"When are invoices payable? {i % 3}"}),
             lambda i: client.get("/api/v1/conversations")]
    return [calls[i % len(calls)](i).status_code for i in range(count)]


@pytest.fixture(scope="module")
def database(make_postgres_database: Callable[[], str]) -> str:
    url = make_postgres_database()
    migrate.upgrade(url)  # migrations go to PostgreSQL itself, not through the pooler
    return url


def _ready(server: Server):
    client = server.register()
    server.cli("users", "set-tier", client.get("/api/v1/users/me").json()["email"], "enterprise")
    response = client.post("/api/v1/documents", files={"file": ("terms.md", TERMS)})
    assert response.status_code == 202, response.text
    document_id = response.json()["id"]
    assert wait_processed(client, document_id)["status"] == "completed"
    return client, document_id


def test_one_process_stays_within_its_connection_budget(tmp_path_factory: pytest.TempPathFactory,
                                                         database: str) -> None:
    name = make_url(database).database
    home = tmp_path_factory.mktemp("budget")
    for server in run_server(home, {"ASSISTANT_DATABASE_URL": database, "ASSISTANT_QUEUE_BACKEND": "inline",
                                    "ASSISTANT_DATABASE_POOL_SIZE": str(POOL_SIZE)}):
        client, document_id = _ready(server)
        most, stop = [0], threading.Event()

        def watch() -> None:
            while not stop.is_set():
                most[0] = max(most[0], _connections(name) - 1)  # less the watcher's own
                stop.wait(0.02)

        watcher = threading.Thread(target=watch)
        watcher.start()
        try:
            with ThreadPoolExecutor(24) as pool:
                statuses = [s for batch in pool.map(lambda _: _traffic(server, client, document_id, 12), range(24))
                            for s in batch]
        finally:
            stop.set()
            watcher.join()
        assert statuses == [200] * len(statuses)
        assert 1 <= most[0] <= 3 * POOL_SIZE  # engine: pool + overflow; async store: pool size
        client.close()


@pytest.fixture
def pgbouncer() -> Iterator[PgBouncerProcess]:
    bouncer = PgBouncerProcess(os.environ.get("ASSISTANT_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL),
                               server_connections=2)
    bouncer.start()
    yield bouncer
    bouncer.stop()


def test_the_app_works_through_pgbouncer_in_transaction_mode(tmp_path_factory: pytest.TempPathFactory,
                                                             database: str, pgbouncer: PgBouncerProcess) -> None:
    name = make_url(database).database
    home = tmp_path_factory.mktemp("pgbouncer")
    for server in run_server(home, {"ASSISTANT_DATABASE_URL": pgbouncer.url(name), "ASSISTANT_QUEUE_BACKEND": "inline",
                                    "ASSISTANT_DATABASE_TRANSACTION_POOLER": "true", "ASSISTANT_DATABASE_POOL_SIZE": "4",
                                    "ASSISTANT_DATABASE_AUTO_MIGRATE": "false"}):
        client, document_id = _ready(server)
        with ThreadPoolExecutor(8) as pool:  # 8 clients over 2 server connections: each statement
            statuses = [s for batch in pool.map(lambda _: _traffic(server, client, document_id, 30), range(8))
                        for s in batch]  # runs many times, on connections other than where it ran before
        assert statuses == [200] * len(statuses), pgbouncer.log()[-2000:]
        mine = client.get("/api/v1/conversations", params={"limit": 100}).json()
        assert len(mine) == sum(1 for i in range(30) if i % 6 == 4) * 8
        assert "prepared statement" not in pgbouncer.log()
        assert uuid.UUID(document_id)
        client.close()
