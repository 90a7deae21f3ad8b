"""LogIn and Sessions: tokens for a good password, refresh tokens that work once, logout and
password changes that end sessions, access tokens resolved to users."""

from __future__ import annotations

import uuid
import weakref

import pytest

from application.ports.security import TokenClaims
from application.use_cases.change_password import ChangePassword
from application.use_cases.log_in import LogIn
from application.use_cases.login_throttle import LoginThrottle
from application.use_cases.register_user import RegisterUser, RegisterUserCommand
from application.use_cases.session_guard import SessionGuard
from application.use_cases.sessions import Sessions
from domain.errors import InvalidCredentials, InvalidInput, RegistrationClosed, SessionEnded, UserBanned
from domain.sessions import RevocationReason
from domain.users import Role, UserStatus
from tests.fakes import FakeAttemptCounter, FakeCache, PlainHasher
from tests.unit.conftest import World


class ToyTokens:
    """Tokens that are just '<kind>:<user id>:<session id>:<token id>' — the JWT adapter has its own tests."""

    def issue(self, user_id: uuid.UUID, *, kind: str, session_id: uuid.UUID | None = None,
              token_id: str | None = None) -> str:
        return f"{kind}:{user_id}:{session_id or ''}:{token_id or uuid.uuid4().hex}"

    def ttl(self, kind: str) -> int:
        return 900 if kind == "access" else 86_400

    def read(self, token: str, *, kind: str) -> TokenClaims:
        prefix, user, session, token_id = (token.split(":") + ["", "", ""])[:4]
        if prefix != kind:
            raise InvalidCredentials("bad token")
        return TokenClaims(user_id=uuid.UUID(user), session_id=uuid.UUID(session) if session else None,
                           token_id=token_id)


_GUARDS: weakref.WeakKeyDictionary[object, SessionGuard] = weakref.WeakKeyDictionary()  # one "process" per world (by its store)
_ATTEMPTS: weakref.WeakKeyDictionary[object, FakeAttemptCounter] = weakref.WeakKeyDictionary()


def guard(world: World) -> SessionGuard:
    return _GUARDS.setdefault(world.uow, SessionGuard(unit_of_work=lambda: world.uow, clock=world.clock,
                                                      recheck_seconds=60))


def sessions(world: World) -> Sessions:
    return Sessions(uow=world.uow, tokens=ToyTokens(), clock=world.clock, guard=guard(world))


def log_in(world: World) -> LogIn:
    throttle = LoginThrottle(counter=_ATTEMPTS.setdefault(world.uow, FakeAttemptCounter(world.clock)), cache=FakeCache(),
                             clock=world.clock)
    return LogIn(uow=world.uow, hasher=PlainHasher(), sessions=sessions(world), throttle=throttle)


def registered(world: World, email: str = "a@b.co"):  # noqa: ANN201 - the User
    return RegisterUser(world.uow, PlainHasher(), world.clock)(RegisterUserCommand(email=email, password="x" * 8))


def test_login_refresh_and_resolve(world: World) -> None:
    user = registered(world)
    pair = log_in(world)("A@B.co", "x" * 8)
    assert pair.user.id == user.id and pair.access_token.startswith(f"access:{user.id}:{pair.session_id}:")
    again = log_in(world).refresh(pair.refresh_token)
    assert again.user.id == user.id and again.session_id == pair.session_id
    assert again.refresh_token != pair.refresh_token
    assert log_in(world).account(user.id) == user
    guard(world).check(user.id, pair.session_id)
    with pytest.raises(InvalidCredentials):
        log_in(world).refresh(pair.access_token)


def test_a_refresh_token_works_once_and_its_reuse_ends_the_session(world: World) -> None:
    user = registered(world)
    first = log_in(world)("a@b.co", "x" * 8)
    other_session = log_in(world)("a@b.co", "x" * 8)
    second = log_in(world).refresh(first.refresh_token)
    with pytest.raises(SessionEnded):
        log_in(world).refresh(first.refresh_token)  # the stolen copy comes back
    with pytest.raises(SessionEnded):
        log_in(world).refresh(second.refresh_token)  # the whole family ends, the newest token too
    with pytest.raises(SessionEnded):
        guard(world).check(user.id, first.session_id)
    guard(world).check(user.id, other_session.session_id)  # another login is untouched
    with world.uow as uow:
        session = uow.sessions.get(first.session_id)
        assert session is not None and session.revoked_reason is RevocationReason.REFRESH_REUSED
        assert [e.action for e in uow.audit.list() if e.action == "session_ended"] == ["session_ended"]
        assert sorted(e.action for e in uow.audit.list() if e.action != "session_ended") == [
            "sign_in", "sign_in", "token_refreshed"]


def test_logout_ends_the_session_and_only_for_its_owner(world: World) -> None:
    user, stranger = registered(world), registered(world, "s@b.co")
    pair = log_in(world)("a@b.co", "x" * 8)
    sessions(world).end(stranger.id, pair.session_id)  # not theirs: nothing happens
    guard(world).check(user.id, pair.session_id)
    sessions(world).end(user.id, pair.session_id)
    with pytest.raises(SessionEnded):
        guard(world).check(user.id, pair.session_id)
    with pytest.raises(SessionEnded):
        log_in(world).refresh(pair.refresh_token)
    fresh = SessionGuard(unit_of_work=lambda: world.uow, clock=world.clock)  # another process: reads the table
    with pytest.raises(SessionEnded):
        fresh.check(user.id, pair.session_id)


def test_another_process_sees_a_logout_after_its_recheck_interval(world: World) -> None:
    user = registered(world)
    pair = log_in(world)("a@b.co", "x" * 8)
    elsewhere = SessionGuard(unit_of_work=lambda: world.uow, clock=world.clock, recheck_seconds=0)
    elsewhere.check(user.id, pair.session_id)
    sessions(world).end(user.id, pair.session_id)
    with pytest.raises(SessionEnded):
        elsewhere.check(user.id, pair.session_id)
    with pytest.raises(SessionEnded):  # a session id presented with another user's id
        SessionGuard(unit_of_work=lambda: world.uow, clock=world.clock).check(
            uuid.uuid4(), log_in(world)("a@b.co", "x" * 8).session_id)


def test_a_password_change_ends_every_session_and_starts_one(world: World) -> None:
    user = registered(world)
    pairs = [log_in(world)("a@b.co", "x" * 8) for _ in range(3)]
    change = ChangePassword(uow=world.uow, hasher=PlainHasher(), sessions=sessions(world))
    with pytest.raises(InvalidCredentials):
        change(user.id, current_password="wrong-one", new_password="y" * 8)
    with pytest.raises(InvalidInput):
        change(user.id, current_password="x" * 8, new_password="short")
    new = change(user.id, current_password="x" * 8, new_password="y" * 8)
    for pair in pairs:
        with pytest.raises(SessionEnded):
            guard(world).check(user.id, pair.session_id)
    guard(world).check(user.id, new.session_id)
    with pytest.raises(InvalidCredentials):
        log_in(world)("a@b.co", "x" * 8)
    assert log_in(world)("a@b.co", "y" * 8).user.id == user.id
    with world.uow as uow:
        assert sorted(e.action for e in uow.audit.list() if not e.action.startswith("sign_in")) == [
            "password_changed"] + ["session_ended"] * 3


def test_an_account_without_a_password_sets_its_first_one(world: World) -> None:
    user = world.add_user(email="t@b.co")  # made by the bot: no password
    pair = ChangePassword(uow=world.uow, hasher=PlainHasher(), sessions=sessions(world))(
        user.id, current_password=None, new_password="z" * 8)
    assert pair.user.id == user.id and log_in(world)("t@b.co", "z" * 8).user.id == user.id


def test_a_banned_user_is_refused_and_a_deleted_one_is_an_invalid_token(world: World) -> None:
    banned = world.add_user(status=UserStatus.BANNED)
    with pytest.raises(UserBanned):
        log_in(world).account(banned.id)
    with pytest.raises(InvalidCredentials):
        log_in(world).account(uuid.uuid4())
    with pytest.raises(InvalidCredentials):
        log_in(world).refresh(f"refresh:{uuid.uuid4()}:{uuid.uuid4()}:x")
    with pytest.raises(InvalidCredentials):  # a token from before sessions existed
        log_in(world).refresh(f"refresh:{banned.id}::x")


def test_self_service_registration_follows_the_setting(world: World) -> None:
    closed = RegisterUser(world.uow, PlainHasher(), world.clock, open_registration=False)
    with pytest.raises(RegistrationClosed):
        closed(RegisterUserCommand(email="a@b.co", password="x" * 8, self_service=True))
    assert closed(RegisterUserCommand(email="a@b.co", password="x" * 8)).email == "a@b.co"  # operators may
    with pytest.raises(Exception, match="free users"):
        RegisterUser(world.uow, PlainHasher(), world.clock)(
            RegisterUserCommand(email="c@d.co", password="x" * 8, role=Role.ADMIN, self_service=True))
