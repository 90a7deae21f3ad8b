"""AccountMerge (uow.accounts) on the fakes, SQLite and PostgreSQL: one user's rows move to another,
the rest of the database untouched; the SQL adapter covers every column that refers to users.id."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from adapters.persistence.repositories.accounts import MERGED, MOVED, NOT_MOVED
from adapters.persistence.tables import metadata, usage_active_users, usage_daily
from adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from application.ports.accounts import MovedBelongings
from application.ports.unit_of_work import UnitOfWork
from domain.analytics import AnalyticsEvent, EventType
from domain.api_keys import ApiKey
from domain.sessions import Session, SessionChannel
from domain.threads import Thread
from domain.users import User
from tests.contract.test_repositories import T0, a_chunk, a_conversation, a_document, a_user


def test_every_column_naming_a_user_is_moved_merged_or_deliberately_left() -> None:
    referring = {(fk.parent.table.name, fk.parent.name) for table in metadata.tables.values()
                 for fk in table.foreign_keys if fk.column.table.name == "users" and table.name != "users"}
    handled = {(column.table.name, column.name) for _, _, column in MOVED}
    handled |= {(column.table.name, column.name) for column in (*MERGED, *NOT_MOVED)}
    assert referring == handled


def _belongings(uow: UnitOfWork, user: User) -> dict[str, object]:
    document = a_document(user, filename=f"{user.id}.pdf")
    uow.documents.add(document)
    uow.chunks.replace(document.id, [a_chunk(document, 0), a_chunk(document, 1)])
    thread = Thread.start(user_id=user.id, document_ids=(document.id,), now=T0)
    uow.threads.add(thread)
    conversation = a_conversation(user, document, thread_id=thread.id)
    uow.conversations.add(conversation)
    uow.events.add(AnalyticsEvent(user_id=user.id, type=EventType.DOCUMENT_UPLOADED, data={"n": 1}, created_at=T0))
    key = ApiKey(user_id=user.id, name="script", prefix=uuid.uuid4().hex[:8], hash=uuid.uuid4().hex * 2,
                 created_at=T0)
    uow.api_keys.add(key)
    return {"document": document, "thread": thread, "conversation": conversation, "key": key}


def _world(uow: UnitOfWork) -> tuple[User, User, User, dict[str, object], dict[str, object]]:
    source, target, bystander = a_user(email=None, telegram_id=5551), a_user(), a_user()
    with uow:
        for user in (source, target, bystander):
            uow.users.add(user)
        theirs, bystanders = _belongings(uow, source), _belongings(uow, bystander)
        _belongings(uow, target)
        uow.commit()
    return source, target, bystander, theirs, bystanders


def test_move_belongings_gives_the_target_every_row_of_the_source_and_nothing_else(uow: UnitOfWork) -> None:
    source, target, bystander, theirs, _ = _world(uow)
    with uow:
        moved = uow.accounts.move_belongings(source.id, target.id)
        uow.commit()
    assert moved == MovedBelongings(documents=1, conversations=1, threads=1, events=1, api_keys=1)
    document = theirs["document"]
    with uow:
        assert {d.id for d in uow.documents.list_for_owner(target.id)} >= {document.id}  # type: ignore[attr-defined]
        assert len(uow.documents.list_for_owner(target.id)) == 2 and uow.documents.list_for_owner(source.id) == []
        assert [c.ordinal for c in uow.chunks.list_for_document(document.id)] == [0, 1]  # type: ignore[attr-defined]
        assert len(uow.conversations.list_for_user(target.id)) == 2 and uow.conversations.list_for_user(source.id) == []
        thread = uow.threads.get(theirs["thread"].id)  # type: ignore[attr-defined]
        assert thread is not None and thread.user_id == target.id
        assert len(uow.threads.turns(thread.id)) == 1
        assert [e.data for e in uow.events.list_for_user(target.id)] == [{"n": 1}, {"n": 1}]
        assert uow.events.list_for_user(source.id) == []
        assert {k.id for k in uow.api_keys.list_for_user(target.id)} >= {theirs["key"].id}  # type: ignore[attr-defined]
        for kind in ("documents", "conversations"):  # the bystander keeps theirs
            assert len(getattr(uow, kind).list_for_owner(bystander.id) if kind == "documents"
                       else uow.conversations.list_for_user(bystander.id)) == 1
        assert len(uow.api_keys.list_for_user(bystander.id)) == 1
        assert uow.users.get(source.id) is not None  # moving is not deleting


def test_nothing_to_move_moves_nothing(uow: UnitOfWork) -> None:
    source, target = a_user(email=None, telegram_id=5552), a_user()
    with uow:
        uow.users.add(source)
        uow.users.add(target)
        assert uow.accounts.move_belongings(source.id, target.id) == MovedBelongings()


def test_delete_account_deletes_the_user_and_its_sessions(uow: UnitOfWork) -> None:
    source, target, bystander, _, _ = _world(uow)
    session = Session(user_id=source.id, channel=SessionChannel.TELEGRAM_CODE, refresh_token_id="r", created_at=T0,
                      refreshed_at=T0, expires_at=T0 + timedelta(days=1))
    with uow:
        uow.sessions.add(session)
        uow.accounts.move_belongings(source.id, target.id)
        uow.accounts.delete_account(source.id)
        uow.commit()
    with uow:
        assert uow.users.get(source.id) is None and uow.users.get_by_telegram_id(5551) is None
        assert uow.sessions.get(session.id) is None
        assert uow.users.get(target.id) is not None and uow.users.get(bystander.id) is not None
        assert len(uow.documents.list_for_owner(target.id)) == 2
        target_user = uow.users.get(target.id)
        assert target_user is not None
        target_user.telegram_id = 5551  # the Telegram id is free again
        uow.users.update(target_user)
        uow.commit()
    with uow:
        found = uow.users.get_by_telegram_id(5551)
        assert found is not None and found.id == target.id


def _usage_row(user_id: uuid.UUID, day: date, questions: int, histogram: dict[str, int]) -> dict[str, object]:
    return {"user_id": user_id, "day": day, "questions": questions, "cached": 1, "tokens_in": 10 * questions,
            "tokens_out": questions, "cost_usd": 0.5, "latency_histogram": histogram}


def test_usage_rollups_are_summed_on_a_shared_day_and_re_keyed_otherwise(uow: UnitOfWork) -> None:
    if not isinstance(uow, SqlAlchemyUnitOfWork):
        pytest.skip("the fakes keep no usage rollups (they are read from the conversations)")
    source, target = a_user(email=None, telegram_id=5553), a_user()
    shared, only_theirs, later = date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 9)
    with uow:
        uow.users.add(source)
        uow.users.add(target)
        connection = uow._current()
        connection.execute(usage_daily.insert(), [
            _usage_row(source.id, shared, 2, {"3": 2}), _usage_row(source.id, only_theirs, 1, {"1": 1}),
            _usage_row(target.id, shared, 5, {"3": 1, "4": 4})])
        connection.execute(usage_active_users.insert(), [{"user_id": source.id, "last_day": later},
                                                         {"user_id": target.id, "last_day": shared}])
        uow.accounts.move_belongings(source.id, target.id)
        uow.commit()
    with uow:
        connection = uow._current()
        rows = {row.day: row for row in connection.execute(
            select(usage_daily).where(usage_daily.c.user_id.in_([source.id, target.id]))).all()}
        assert {row.user_id for row in rows.values()} == {target.id} and set(rows) == {shared, only_theirs}
        merged = rows[shared]
        assert (merged.questions, merged.cached, merged.tokens_in, merged.tokens_out) == (7, 2, 70, 7)
        assert merged.cost_usd == pytest.approx(1.0) and merged.latency_histogram == {"3": 3, "4": 4}
        assert rows[only_theirs].questions == 1 and rows[only_theirs].latency_histogram == {"1": 1}
        last = {user_id: day for user_id, day in connection.execute(
            select(usage_active_users.c.user_id, usage_active_users.c.last_day)
            .where(usage_active_users.c.user_id.in_([source.id, target.id])))}
        assert last == {target.id: later}


def test_a_document_updated_from_a_copy_read_before_the_move_keeps_its_new_owner(uow: UnitOfWork) -> None:
    """A worker that read the document before the link finishes it after: the owner stays the target."""
    source, target, _, theirs, _ = _world(uow)
    with uow:
        before = uow.documents.get(theirs["document"].id)  # type: ignore[attr-defined]
    assert before is not None
    with uow:
        uow.accounts.move_belongings(source.id, target.id)
        uow.commit()
    with uow:
        before.page_count = 7
        uow.documents.update(before)
        before.page_count = 8
        assert uow.documents.update_if_status(before, before.status)
        uow.commit()
    with uow:
        after = uow.documents.get(before.id)
    assert after is not None and after.owner_id == target.id and after.page_count == 8
