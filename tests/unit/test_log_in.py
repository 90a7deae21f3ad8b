"""LogIn: tokens for a good password, refresh for an active user, access tokens resolved to users."""

from __future__ import annotations

import uuid

import pytest

from application.use_cases.log_in import LogIn
from application.use_cases.register_user import RegisterUser, RegisterUserCommand
from domain.errors import InvalidCredentials, RegistrationClosed, UserBanned
from domain.users import Role, UserStatus
from tests.fakes import PlainHasher
from tests.unit.conftest import World


class ToyTokens:
    """Tokens that are just '<kind>:<user id>' — the JWT adapter has its own tests."""

    def issue(self, user_id: uuid.UUID, *, kind: str) -> str:
        return f"{kind}:{user_id}"

    def verify(self, token: str, *, kind: str) -> uuid.UUID:
        prefix, _, rest = token.partition(":")
        if prefix != kind:
            raise InvalidCredentials("bad token")
        return uuid.UUID(rest)


def log_in(world: World) -> LogIn:
    return LogIn(uow=world.uow, hasher=PlainHasher(), tokens=ToyTokens())


def test_login_refresh_and_resolve(world: World) -> None:
    user = RegisterUser(world.uow, PlainHasher(), world.clock)(RegisterUserCommand(email="a@b.co", password="x" * 8))
    pair = log_in(world)("A@B.co", "x" * 8)
    assert pair.user.id == user.id and pair.access_token == f"access:{user.id}"
    assert log_in(world).refresh(pair.refresh_token).user.id == user.id
    assert log_in(world).account(user.id) == user
    with pytest.raises(InvalidCredentials):
        log_in(world).refresh(pair.access_token)


def test_a_banned_user_is_refused_and_a_deleted_one_is_an_invalid_token(world: World) -> None:
    banned = world.add_user(status=UserStatus.BANNED)
    with pytest.raises(UserBanned):
        log_in(world).account(banned.id)
    with pytest.raises(InvalidCredentials):
        log_in(world).account(uuid.uuid4())
    with pytest.raises(InvalidCredentials):
        log_in(world).refresh(f"refresh:{uuid.uuid4()}")


def test_self_service_registration_follows_the_setting(world: World) -> None:
    closed = RegisterUser(world.uow, PlainHasher(), world.clock, open_registration=False)
    with pytest.raises(RegistrationClosed):
        closed(RegisterUserCommand(email="a@b.co", password="x" * 8, self_service=True))
    assert closed(RegisterUserCommand(email="a@b.co", password="x" * 8)).email == "a@b.co"  # operators may
    with pytest.raises(Exception, match="free users"):
        RegisterUser(world.uow, PlainHasher(), world.clock)(
            RegisterUserCommand(email="c@d.co", password="x" * 8, role=Role.ADMIN, self_service=True))
