"""The dashboard's sign-in: LogIn.web starts a web session whose one cookie token names it; it ends
like any session (logout, password change), expires with its token's life and cannot be refreshed."""

from __future__ import annotations

import pytest

from application.use_cases.change_password import ChangePassword
from application.use_cases.session_guard import SessionGuard
from domain.errors import InvalidCredentials, LoginThrottled, SessionEnded
from domain.sessions import SessionChannel
from tests.fakes import PlainHasher
from tests.unit.conftest import World
from tests.unit.test_log_in import guard, log_in, registered, sessions


def test_a_web_sign_in_starts_a_web_session_named_by_its_cookie_token(world: World) -> None:
    user = registered(world)
    login = log_in(world).web("A@B.co", "x" * 8, address="10.0.0.1")
    assert login.user.id == user.id and login.token.startswith(f"web:{user.id}:{login.session_id}:")
    with world.uow as uow:
        session = uow.sessions.get(login.session_id)
    assert session is not None and session.channel is SessionChannel.WEB
    assert (session.expires_at - session.created_at).total_seconds() == 86_400  # the web token's life
    guard(world).check(user.id, login.session_id)
    assert "token" not in repr(login).replace("WebLogin", "")  # the cookie's value never reaches a log line


def test_a_web_session_cannot_be_refreshed(world: World) -> None:
    registered(world)
    login = log_in(world).web("a@b.co", "x" * 8)
    with pytest.raises(InvalidCredentials):
        log_in(world).refresh(login.token)  # not a refresh token
    with world.uow as uow:
        session = uow.sessions.get(login.session_id)
    # a refresh token naming the web session (none is ever issued: this one is forged) is refused too
    forged = f"refresh:{login.user.id}:{login.session_id}:{session.refresh_token_id}"
    with pytest.raises(InvalidCredentials):
        log_in(world).refresh(forged)
    guard(world).check(login.user.id, login.session_id)  # and the session goes on


def test_a_web_session_ends_on_sign_out_password_change_and_expiry(world: World) -> None:
    user = registered(world)
    first, second = (log_in(world).web("a@b.co", "x" * 8) for _ in range(2))
    sessions(world).end(user.id, first.session_id)  # sign out
    with pytest.raises(SessionEnded):
        guard(world).check(user.id, first.session_id)
    guard(world).check(user.id, second.session_id)
    ChangePassword(uow=world.uow, hasher=PlainHasher(), sessions=sessions(world))(
        user.id, current_password="x" * 8, new_password="y" * 8)
    with pytest.raises(SessionEnded):
        guard(world).check(user.id, second.session_id)
    third = log_in(world).web("a@b.co", "y" * 8)
    world.clock.advance(86_400)
    with pytest.raises(SessionEnded):
        SessionGuard(unit_of_work=lambda: world.uow, clock=world.clock).check(user.id, third.session_id)


def test_a_web_sign_in_is_throttled_like_the_api_login(world: World) -> None:
    registered(world)
    for _ in range(10):
        with pytest.raises(InvalidCredentials):
            log_in(world).web("a@b.co", "wrong password", address="10.0.0.9")
    with pytest.raises(LoginThrottled):
        log_in(world).web("a@b.co", "x" * 8, address="10.0.0.9")
    with pytest.raises(LoginThrottled):
        log_in(world)("a@b.co", "x" * 8, address="10.0.0.9")  # one throttle for both doors
