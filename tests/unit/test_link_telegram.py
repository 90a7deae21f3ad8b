"""LinkTelegram: a /token code merges the Telegram account into the signed-in one, or is refused
with nothing changed."""

from __future__ import annotations

import pytest

from application.answer_cache import remember
from application.use_cases.api_keys import ApiKeys
from application.use_cases.ensure_user import EnsureTelegramUserCommand, EnsureUser
from application.use_cases.link_codes import LinkCodes
from application.use_cases.link_telegram import LinkTelegram
from application.use_cases.threads import Threads
from domain.analytics import AuditAction, EventType
from domain.errors import DocumentQuotaExceeded, InvalidCredentials, LinkRefused, UserBanned
from domain.sessions import RevocationReason, SessionChannel
from domain.tiers import TierPolicy
from domain.users import User, UserStatus
from tests.unit.conftest import World
from tests.unit.test_log_in import sessions

TELEGRAM_ID = 777001


def link(world: World) -> LinkTelegram:
    return LinkTelegram(uow=world.uow, codes=codes(world), sessions=sessions(world), tiers=world.tiers,
                        cache=world.cache, clock=world.clock)


def codes(world: World) -> LinkCodes:
    return LinkCodes(uow=world.uow, cache=world.cache, sessions=sessions(world))


def bot_user(world: World, telegram_id: int = TELEGRAM_ID) -> User:
    return EnsureUser(uow=world.uow, clock=world.clock).telegram(
        EnsureTelegramUserCommand(telegram_id=telegram_id, username="tg_ann"))


def web_user(world: World) -> User:
    return world.add_user(email="ann@example.com")


def test_linking_moves_everything_the_telegram_account_owns_and_the_bot_then_acts_as_the_web_account(
        world: World) -> None:
    web, telegram = web_user(world), bot_user(world)
    own = world.ready_document(web, "Our office is in Lisbon.", "office.txt")
    sent = world.ready_document(telegram, "The invoice total is 420 euros.", "invoice.txt")
    asked = world.ask(telegram, "What is the invoice total?", sent.id)
    thread = Threads(uow=world.uow, clock=world.clock).create(telegram.id, document_ids=(sent.id,))
    key = ApiKeys(uow=world.uow, clock=world.clock).create(telegram.id, "script")
    session = sessions(world).begin(telegram, SessionChannel.TELEGRAM_CODE)
    remember(world.cache, telegram.id, [own.id, sent.id] * 3, "answer:library", ttl_seconds=60)

    result = link(world)(web.id, codes(world).issue(telegram.id))

    assert result.linked and result.user.id == web.id and result.user.telegram_id == TELEGRAM_ID
    assert (result.moved.documents, result.moved.conversations, result.moved.threads, result.moved.api_keys) == (
        1, 1, 1, 1)
    store = world.store
    assert telegram.id not in store.users and store.users[web.id].telegram_id == TELEGRAM_ID
    assert {d.id for d in store.documents.values() if d.owner_id == web.id} == {own.id, sent.id}
    assert [c.id for c in store.conversations if c.user_id == web.id] == [asked.id]
    assert store.threads[thread.id].user_id == web.id and store.api_keys[key.api_key.id].user_id == web.id
    assert not any(e.user_id == telegram.id for e in store.events)
    assert any(e.user_id == web.id and e.type is EventType.DOCUMENT_UPLOADED and e.data["size"] == sent.size
               for e in store.events)
    assert session.session_id not in store.sessions  # ended, then deleted with the account
    linked = [e for e in store.audit if e.action == AuditAction.TELEGRAM_LINKED]
    assert len(linked) == 1 and linked[0].actor_id == web.id and linked[0].data["merged_user_id"] == str(telegram.id)
    assert any(e.action == AuditAction.SESSION_ENDED and e.data["reason"] == RevocationReason.ACCOUNT_LINKED
               for e in store.audit)
    assert world.cache.get(f"answer-index:library:{telegram.id}") is None
    assert bot_user(world).id == web.id  # the bot's next update finds the web account by Telegram id
    assert world.ask(bot_user(world), "What is the invoice total?", sent.id).user_id == web.id


def test_the_web_account_keeps_its_active_document_and_takes_the_bots_when_it_has_none(world: World) -> None:
    web, telegram = web_user(world), bot_user(world)
    sent = world.ready_document(telegram, "Bot text.", "bot.txt")
    link(world)(web.id, codes(world).issue(telegram.id))
    assert world.store.users[web.id].active_document_id == sent.id
    other = world.add_user(email="bob@example.com")
    mine = world.ready_document(other, "Web text.", "web.txt")
    second = bot_user(world, 777002)
    world.ready_document(second, "Second bot.", "second.txt")
    link(world)(other.id, codes(world).issue(second.id))
    assert world.store.users[other.id].active_document_id == mine.id


def test_the_code_of_the_signed_in_account_itself_changes_nothing(world: World) -> None:
    telegram = bot_user(world)
    commits = world.uow.commits
    result = link(world)(telegram.id, codes(world).issue(telegram.id))
    assert not result.linked and result.user.id == telegram.id and world.uow.commits == commits


def refused_changes_nothing(world: World, telegram: User, *, links_before: int = 0) -> None:
    assert world.store.users[telegram.id].telegram_id == telegram.telegram_id
    assert all(d.owner_id == telegram.id for d in world.store.documents.values() if d.filename == "bot.txt")
    assert sum(e.action == AuditAction.TELEGRAM_LINKED for e in world.store.audit) == links_before


def test_an_account_with_another_telegram_account_is_told_to_unlink_first(world: World) -> None:
    web = web_user(world)
    link(world)(web.id, codes(world).issue(bot_user(world).id))
    second = bot_user(world, 777002)
    world.ready_document(second, "Bot text.", "bot.txt")
    with pytest.raises(LinkRefused, match="unlinked first") as caught:
        link(world)(web.id, codes(world).issue(second.id))
    assert caught.value.reason == "other_telegram"
    refused_changes_nothing(world, second, links_before=1)


def test_a_telegram_account_with_an_email_of_its_own_is_not_merged(world: World) -> None:
    web, telegram = web_user(world), bot_user(world)
    world.ready_document(telegram, "Bot text.", "bot.txt")
    with world.uow as uow:
        stored = uow.users.get(telegram.id)
        assert stored is not None
        stored.email, stored.password_hash = "tg@example.com", "hash"
        uow.users.update(stored)
        uow.commit()
    with pytest.raises(LinkRefused, match="are not merged") as caught:
        link(world)(web.id, codes(world).issue(telegram.id))
    assert caught.value.reason == "has_credentials"
    refused_changes_nothing(world, telegram)


def test_the_sum_over_the_plans_document_quota_says_how_many_to_delete(world: World) -> None:
    world.tiers = TierPolicy.with_overrides({"free": {"max_documents": 3}})
    web, telegram = web_user(world), bot_user(world)
    for n in range(2):
        world.ready_document(web, f"Web text {n}.", f"web{n}.txt")
        world.ready_document(telegram, f"Bot text {n}.", "bot.txt")
    with pytest.raises(DocumentQuotaExceeded, match="delete 1 first") as caught:
        link(world)(web.id, codes(world).issue(telegram.id))
    assert caught.value.details["excess"] == 1 and caught.value.details["limit"] == 3
    refused_changes_nothing(world, telegram)
    failed = next(d for d in world.store.documents.values() if d.owner_id == web.id)
    with world.uow as uow:  # a failed document holds nothing: it does not count
        stored = uow.documents.get(failed.id)
        assert stored is not None
        stored.status = stored.status.FAILED
        uow.documents.update(stored)
        uow.commit()
    assert link(world)(web.id, codes(world).issue(telegram.id)).moved.documents == 2


def test_an_unknown_or_spent_code_and_a_banned_account_are_refused(world: World) -> None:
    web, telegram = web_user(world), bot_user(world)
    with pytest.raises(InvalidCredentials):
        link(world)(web.id, "ABCDEFGHJK")
    code = codes(world).issue(telegram.id)
    world.set_status(web, UserStatus.BANNED)
    with pytest.raises(UserBanned):
        link(world)(web.id, code)
    world.set_status(web, UserStatus.ACTIVE)
    with pytest.raises(InvalidCredentials):  # the refused attempt spent the code
        link(world)(web.id, code)
    assert world.store.users[telegram.id].telegram_id == TELEGRAM_ID
