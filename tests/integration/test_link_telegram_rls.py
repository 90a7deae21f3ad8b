"""LinkTelegram on PostgreSQL as the application's role with row-level security on (migration
0011): the move reads and writes two users' rows, which a transaction acting for one user alone
could not; the quota counts the Telegram account's documents, which it could not see either."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from adapters.persistence.engine import make_engine
from adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from application.use_cases.link_codes import LinkCodes
from application.use_cases.link_telegram import LinkTelegram
from application.use_cases.sessions import Sessions
from domain.errors import DocumentQuotaExceeded, LinkRefused
from domain.threads import Thread
from domain.tiers import TierPolicy
from tests.app_role import app_role_database
from tests.contract.test_repositories import a_chunk, a_conversation, a_document, a_user
from tests.fakes import FakeCache, FakeClock
from tests.unit.test_log_in import ToyTokens

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def app_engine(make_postgres_database: Callable[[], str]) -> Iterator[Engine]:
    with app_role_database(make_postgres_database) as (_, app_url):
        engine = make_engine(app_url)
        yield engine
        engine.dispose()


def linker(engine: Engine, cache: FakeCache, tiers: TierPolicy = TierPolicy()) -> LinkTelegram:
    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(engine, row_security=True)

    clock = FakeClock()
    sessions = Sessions(uow=uow(), tokens=ToyTokens(), clock=clock)
    return LinkTelegram(uow=uow(), codes=LinkCodes(uow=uow(), cache=cache, sessions=sessions), sessions=sessions,
                        tiers=tiers, cache=cache, clock=clock)


def seeded(engine: Engine, documents: int = 1) -> tuple[object, object, list[object]]:
    web, telegram = a_user(), a_user(email=None, telegram_id=uuid.uuid4().int % 10**12)
    made = []
    with SqlAlchemyUnitOfWork(engine, row_security=True, role="worker") as uow:
        uow.users.add(web)
        uow.users.add(telegram)
        for n in range(documents):
            document = a_document(telegram, filename=f"bot-{n}.pdf")
            uow.documents.add(document)
            uow.chunks.replace(document.id, [a_chunk(document, 0)])
            thread = Thread.start(user_id=telegram.id, document_ids=(document.id,), now=document.created_at)
            uow.threads.add(thread)
            uow.conversations.add(a_conversation(telegram, document, thread_id=thread.id))
            made.append(document)
        uow.commit()
    return web, telegram, made


def test_the_link_moves_rows_the_acting_user_could_not_see_before(app_engine: Engine) -> None:
    cache = FakeCache()
    web, telegram, made = seeded(app_engine, documents=2)
    link = linker(app_engine, cache)
    result = link(web.id, link.codes.issue(telegram.id))  # type: ignore[attr-defined]
    assert result.linked and result.moved.documents == 2 and result.moved.conversations == 2
    with SqlAlchemyUnitOfWork(app_engine, row_security=True) as uow:
        uow.act_for(web.id)  # type: ignore[attr-defined]
        assert {d.id for d in uow.documents.list_for_owner(web.id)} == {d.id for d in made}  # type: ignore[attr-defined]
        assert len(uow.chunks.list_for_document(made[0].id)) == 1  # type: ignore[attr-defined]
        assert len(uow.conversations.list_for_user(web.id)) == 2  # type: ignore[attr-defined]
        assert uow.users.get(telegram.id) is None  # type: ignore[attr-defined]


def test_the_quota_counts_the_telegram_accounts_documents(app_engine: Engine) -> None:
    cache = FakeCache()
    web, telegram, _ = seeded(app_engine, documents=2)
    link = linker(app_engine, cache, TierPolicy.with_overrides({"free": {"max_documents": 1}}))
    with pytest.raises(DocumentQuotaExceeded, match="delete 1 first"):
        link(web.id, link.codes.issue(telegram.id))  # type: ignore[attr-defined]


def test_a_link_waiting_on_the_account_reads_it_again_once_it_holds_the_lock(app_engine: Engine) -> None:
    """Two links to one account at once: the second, blocked on the account's row, must see the
    Telegram id the first gave it and refuse, not merge over it with the account as read before."""
    cache = FakeCache()
    web, telegram, _ = seeded(app_engine)
    link = linker(app_engine, cache)
    code = link.codes.issue(telegram.id)  # type: ignore[attr-defined]
    outcome: list[BaseException | object] = []
    with SqlAlchemyUnitOfWork(app_engine, row_security=True, role="worker") as holder:
        holder.users.lock(web.id)  # type: ignore[attr-defined]
        worker = threading.Thread(target=lambda: outcome.append(_attempt(link, web.id, code)))
        worker.start()
        # until the link waits on the row lock (autocommit: a transaction reads one snapshot of the view)
        with app_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as watcher:
            deadline = time.monotonic() + 30
            while not watcher.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                                           "current_database() AND wait_event_type = 'Lock'")).scalar_one():
                assert worker.is_alive() and time.monotonic() < deadline, f"the link did not wait: {outcome}"
                time.sleep(0.02)
        linked = holder.users.get(web.id)  # type: ignore[attr-defined]
        linked.telegram_id = uuid.uuid4().int % 10**12  # what a first link, committing now, gave it
        holder.users.update(linked)  # type: ignore[attr-defined]
        holder.commit()
    worker.join(30)
    [result] = outcome
    assert isinstance(result, LinkRefused) and result.reason == "other_telegram"  # type: ignore[attr-defined]


def _attempt(link: LinkTelegram, user_id: uuid.UUID, code: str) -> BaseException | object:
    try:
        return link(user_id, code)
    except Exception as error:  # noqa: BLE001 - handed to the test's thread
        return error
