"""LinkCodes: a code is readable, works once, and only for an active user."""

from __future__ import annotations

import pytest

from application.use_cases.link_codes import ALPHABET, CODE_LENGTH, LinkCodes
from domain.errors import InvalidCredentials, UserBanned
from domain.users import UserStatus
from tests.fakes import FakeCache
from tests.unit.conftest import World
from tests.unit.test_log_in import sessions


def codes(world: World, cache: FakeCache) -> LinkCodes:
    return LinkCodes(uow=world.uow, cache=cache, sessions=sessions(world))


def test_a_code_is_exchanged_once_for_the_users_tokens(world: World) -> None:
    cache = FakeCache()
    user = world.add_user()
    code = codes(world, cache).issue(user.id)
    assert len(code) == CODE_LENGTH and set(code) <= set(ALPHABET)
    pair = codes(world, cache).exchange(f" {code.lower()} ")
    assert pair.user.id == user.id and pair.access_token.startswith(f"access:{user.id}:{pair.session_id}:")
    with pytest.raises(InvalidCredentials):
        codes(world, cache).exchange(code)


def test_codes_are_unguessable_and_unknown_ones_refused(world: World) -> None:
    cache = FakeCache()
    user = world.add_user()
    issued = {codes(world, cache).issue(user.id) for _ in range(50)}
    assert len(issued) == 50
    with pytest.raises(InvalidCredentials):
        codes(world, cache).exchange("AAAAAAAAAA")


def test_a_banned_user_gets_no_code_and_cannot_spend_one(world: World) -> None:
    cache = FakeCache()
    user = world.add_user()
    code = codes(world, cache).issue(user.id)
    world.set_status(user, UserStatus.BANNED)
    with pytest.raises(UserBanned):
        codes(world, cache).exchange(code)
    with pytest.raises(UserBanned):
        codes(world, cache).issue(user.id)


def test_redeeming_a_code_spends_it_and_names_its_user(world: World) -> None:
    cache = FakeCache()
    user = world.add_user()
    code = codes(world, cache).issue(user.id)
    assert codes(world, cache).redeem(f"{code[:5]}-{code[5:]}").id == user.id
    with pytest.raises(InvalidCredentials):
        codes(world, cache).redeem(code)
    with pytest.raises(InvalidCredentials):
        codes(world, cache).exchange(code)
