"""ApiKeys: the secret is shown once and stored hashed; keys resolve to active users only."""

from __future__ import annotations

import hashlib
import uuid

import attrs
import pytest

from application.use_cases.api_keys import ApiKeys
from domain.api_keys import PREFIX_LENGTH
from domain.errors import ApiKeyNotFound, InvalidCredentials, InvalidInput, UserBanned
from domain.users import UserStatus
from tests.unit.conftest import World


def keys(world: World) -> ApiKeys:
    return ApiKeys(uow=world.uow, clock=world.clock)


def test_a_new_key_is_shown_once_and_stored_only_as_its_digest(world: World) -> None:
    user = world.add_user()
    new = keys(world).create(user.id, "  CI   server ")
    assert new.key.startswith("ak_") and len(new.key) >= 3 + 43
    stored = world.store.api_keys[new.api_key.id]
    assert stored.hash == hashlib.sha256(new.key.encode()).hexdigest()
    assert stored.prefix == new.key[:PREFIX_LENGTH] and len(stored.prefix) == 11
    assert stored.name == "CI server" and stored.user_id == user.id and stored.created_at == world.clock.now()
    assert new.key not in repr(stored) and new.key not in repr(new)
    assert all(new.key not in str(value) for value in attrs.asdict(stored).values())
    other = keys(world).create(user.id, "CI server")
    assert other.key != new.key and other.api_key.hash != stored.hash


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_a_key_needs_a_sensible_name(world: World, name: str) -> None:
    user = world.add_user()
    with pytest.raises(InvalidInput):
        keys(world).create(user.id, name)
    assert world.store.api_keys == {}


def test_a_key_resolves_to_its_user(world: World) -> None:
    user = world.add_user()
    new = keys(world).create(user.id, "bot")
    assert keys(world).user_for(new.key).id == user.id
    for wrong in ("ak_" + "A" * 43, new.key[:-1], new.key + "x", "not-a-key", "ak_" + "x" * 1000, ""):
        with pytest.raises(InvalidCredentials):
            keys(world).user_for(wrong)


def test_last_used_is_written_at_most_once_a_minute(world: World) -> None:
    user = world.add_user()
    new = keys(world).create(user.id, "bot")
    assert world.store.api_keys[new.api_key.id].last_used_at is None
    first = world.clock.now()
    commits = world.uow.commits
    keys(world).user_for(new.key)
    assert world.store.api_keys[new.api_key.id].last_used_at == first and world.uow.commits == commits + 1
    world.clock.advance(59)
    keys(world).user_for(new.key)
    assert world.store.api_keys[new.api_key.id].last_used_at == first and world.uow.commits == commits + 1
    world.clock.advance(1)
    keys(world).user_for(new.key)
    assert world.store.api_keys[new.api_key.id].last_used_at == world.clock.now()


def test_list_is_newest_first_and_only_the_users_own(world: World) -> None:
    ann, bob = world.add_user(), world.add_user()
    first = keys(world).create(ann.id, "one").api_key
    world.clock.advance(1)
    second = keys(world).create(ann.id, "two").api_key
    keys(world).create(bob.id, "bob's")
    assert [k.id for k in keys(world).list(ann.id)] == [second.id, first.id]
    assert [k.name for k in keys(world).list(bob.id)] == ["bob's"]


def test_a_revoked_key_no_longer_works_and_revoking_twice_is_fine(world: World) -> None:
    user = world.add_user()
    new = keys(world).create(user.id, "bot")
    revoked = keys(world).revoke(user.id, new.api_key.id)
    assert revoked.revoked_at == world.clock.now() and not revoked.is_active
    with pytest.raises(InvalidCredentials):
        keys(world).user_for(new.key)
    world.clock.advance(10)
    again = keys(world).revoke(user.id, new.api_key.id)
    assert again.revoked_at == revoked.revoked_at  # the first revocation time stays
    assert keys(world).list(user.id)[0].revoked_at == revoked.revoked_at


def test_another_users_key_is_not_found(world: World) -> None:
    ann, bob = world.add_user(), world.add_user()
    new = keys(world).create(ann.id, "ann's")
    with pytest.raises(ApiKeyNotFound):
        keys(world).revoke(bob.id, new.api_key.id)
    with pytest.raises(ApiKeyNotFound):
        keys(world).revoke(ann.id, uuid.uuid4())
    assert keys(world).user_for(new.key).id == ann.id


def test_a_banned_users_key_is_refused_and_banned_users_manage_no_keys(world: World) -> None:
    user = world.add_user()
    new = keys(world).create(user.id, "bot")
    world.set_status(user, UserStatus.BANNED)
    with pytest.raises(UserBanned):
        keys(world).user_for(new.key)
    with pytest.raises(UserBanned):
        keys(world).create(user.id, "another")
    with pytest.raises(UserBanned):
        keys(world).list(user.id)
    assert world.store.api_keys[new.api_key.id].last_used_at is None


def test_a_deleted_users_key_is_invalid(world: World) -> None:
    user = world.add_user()
    new = keys(world).create(user.id, "bot")
    world.store.users.pop(user.id)
    with pytest.raises(InvalidCredentials):
        keys(world).user_for(new.key)
