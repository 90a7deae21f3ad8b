"""RegisterUser, EnsureUser and AuthenticateUser."""

from __future__ import annotations

import pytest

from application.use_cases.authenticate_user import AuthenticateUser
from application.use_cases.ensure_user import EnsureEmailUserCommand, EnsureTelegramUserCommand, EnsureUser
from application.use_cases.register_user import RegisterUser, RegisterUserCommand
from domain.analytics import EventType
from domain.errors import EmailTaken, InvalidCredentials, InvalidInput, UserBanned, UserInactive
from domain.users import Role, Tier, UserStatus
from tests.fakes import PlainHasher
from tests.unit.conftest import World


class RehashingHasher(PlainHasher):
    def needs_rehash(self, password_hash: str) -> bool:
        return not password_hash.startswith("v2$")

    def hash(self, password: str) -> str:
        return "v2$" + password

    def verify(self, password_hash: str, password: str) -> bool:
        return password_hash in ("plain$" + password, "v2$" + password)


def register(world: World, email: str = "Ann@Example.com", password: str | None = "correct horse",
             **kw: object) -> object:
    return RegisterUser(uow=world.uow, hasher=PlainHasher(), clock=world.clock)(
        RegisterUserCommand(email=email, password=password, **kw))


# --- RegisterUser --------------------------------------------------------------------------


def test_register_user(world: World) -> None:
    user = register(world, username="ann", tier=Tier.PREMIUM, language="ru")
    stored = world.user(user.id)
    assert stored.email == "ann@example.com"
    assert stored.password_hash == "plain$correct horse"
    assert (stored.username, stored.tier, stored.language, stored.role) == ("ann", Tier.PREMIUM, "ru", Role.USER)
    assert stored.created_at == world.clock.now()
    assert [e.type for e in world.store.events] == [EventType.USER_REGISTERED]
    assert world.store.events[0].data == {"channel": "email"}
    assert world.uow.commits == 1


def test_register_without_password(world: World) -> None:
    assert world.user(register(world, password=None).id).password_hash is None


def test_duplicate_email_is_refused_and_nothing_is_written(world: World) -> None:
    register(world)
    commits, users, events = world.uow.commits, dict(world.store.users), list(world.store.events)
    with pytest.raises(EmailTaken) as caught:
        register(world, email="  ANN@example.com ", password="another password")
    assert caught.value.code == "email_taken"
    assert world.uow.commits == commits
    assert world.store.users == users and world.store.events == events


@pytest.mark.parametrize("email", ["", "ann", "ann@", "@example.com", "a b@example.com", "a@b@c",
                                   "x" * 250 + "@example.com"])
def test_bad_email_is_invalid_input(world: World, email: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        register(world, email=email)
    assert caught.value.details == {"field": "email"}
    assert world.uow.commits == 0 and not world.store.users


@pytest.mark.parametrize("password", ["", "short", "1234567"])
def test_short_password_is_invalid_input(world: World, password: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        register(world, password=password)
    assert caught.value.details == {"field": "password"}
    assert world.uow.commits == 0 and not world.store.users


# --- EnsureUser ----------------------------------------------------------------------------


def test_ensure_telegram_user_creates_once(world: World) -> None:
    ensure = EnsureUser(uow=world.uow, clock=world.clock)
    first = ensure.telegram(EnsureTelegramUserCommand(telegram_id=42, username="ann", language="ru-RU"))
    second = ensure.telegram(EnsureTelegramUserCommand(telegram_id=42, username="ann", language="en"))
    assert first.id == second.id
    assert len(world.store.users) == 1
    stored = world.user(first.id)
    assert (stored.telegram_id, stored.username, stored.language) == (42, "ann", "ru")
    assert [e.data for e in world.store.events] == [{"channel": "telegram"}]
    assert world.uow.commits == 1


def test_ensure_telegram_user_follows_a_new_username(world: World) -> None:
    ensure = EnsureUser(uow=world.uow, clock=world.clock)
    user = ensure.telegram(EnsureTelegramUserCommand(telegram_id=42, username="ann"))
    world.clock.advance(60)
    renamed = ensure.telegram(EnsureTelegramUserCommand(telegram_id=42, username="ann_k"))
    assert renamed.id == user.id and world.user(user.id).username == "ann_k"
    assert world.user(user.id).updated_at == world.clock.now()
    kept = ensure.telegram(EnsureTelegramUserCommand(telegram_id=42, username=None))
    assert kept.username == "ann_k"


def test_ensure_telegram_user_defaults_the_language(world: World) -> None:
    user = EnsureUser(uow=world.uow, clock=world.clock).telegram(EnsureTelegramUserCommand(telegram_id=1))
    assert user.language == "en"


def test_ensure_email_user_is_idempotent(world: World) -> None:
    ensure = EnsureUser(uow=world.uow, clock=world.clock)
    admin = ensure.email(EnsureEmailUserCommand(email="Ops@Example.com", role=Role.ADMIN))
    again = ensure.email(EnsureEmailUserCommand(email="ops@example.com", role=Role.USER))
    assert admin.id == again.id and again.role is Role.ADMIN
    assert len(world.store.users) == 1 and world.uow.commits == 1


def test_ensure_user_returns_a_banned_user_unchanged(world: World) -> None:
    banned = world.add_user(email="bad@example.com", status=UserStatus.BANNED)
    found = EnsureUser(uow=world.uow, clock=world.clock).email(EnsureEmailUserCommand(email="bad@example.com"))
    assert found.id == banned.id and found.status is UserStatus.BANNED


# --- AuthenticateUser ----------------------------------------------------------------------


def test_authenticate(world: World) -> None:
    user = register(world)
    found = AuthenticateUser(uow=world.uow, hasher=PlainHasher())(" ANN@example.com", "correct horse")
    assert found.id == user.id


def test_wrong_password_and_unknown_email_give_the_same_error(world: World) -> None:
    register(world)
    authenticate = AuthenticateUser(uow=world.uow, hasher=PlainHasher())
    with pytest.raises(InvalidCredentials) as wrong_password:
        authenticate("ann@example.com", "wrong horse")
    with pytest.raises(InvalidCredentials) as unknown_email:
        authenticate("bob@example.com", "correct horse")
    assert wrong_password.value.message == unknown_email.value.message
    assert wrong_password.value.details == unknown_email.value.details == {}


def test_a_user_without_a_password_cannot_log_in(world: World) -> None:
    register(world, password=None)
    with pytest.raises(InvalidCredentials):
        AuthenticateUser(uow=world.uow, hasher=PlainHasher())("ann@example.com", "")


@pytest.mark.parametrize(("status", "error"), [(UserStatus.BANNED, UserBanned), (UserStatus.INACTIVE, UserInactive)])
def test_a_banned_user_cannot_log_in(world: World, status: UserStatus, error: type) -> None:
    user = register(world)
    with world.uow as uow:
        stored = uow.users.get(user.id)
        stored.status = status
        uow.users.update(stored)
        uow.commit()
    authenticate = AuthenticateUser(uow=world.uow, hasher=PlainHasher())
    with pytest.raises(error):
        authenticate("ann@example.com", "correct horse")
    with pytest.raises(InvalidCredentials):  # a wrong password does not reveal the ban
        authenticate("ann@example.com", "wrong horse")


def test_an_outdated_hash_is_upgraded_on_login(world: World) -> None:
    user = register(world)
    AuthenticateUser(uow=world.uow, hasher=RehashingHasher())("ann@example.com", "correct horse")
    assert world.user(user.id).password_hash == "v2$correct horse"


class _RacingUsers:
    """A user repository whose lookups miss a user another request has just inserted."""

    def __init__(self, inner, twin) -> None:  # noqa: ANN001
        self.inner, self.twin, self.raced = inner, twin, False

    def get_by_email(self, email: str):  # noqa: ANN201
        return None if not self.raced else self.inner.get_by_email(email)

    def get_by_telegram_id(self, telegram_id: int):  # noqa: ANN201
        return None if not self.raced else self.inner.get_by_telegram_id(telegram_id)

    def add(self, user) -> None:  # noqa: ANN001
        self.raced = True
        self.inner.add(self.twin)  # the concurrent request wins
        self.inner.add(user)  # raises DuplicateRecord

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self.inner, name)


def test_a_concurrent_registration_of_the_same_email_is_email_taken(world: World) -> None:
    twin = world.add_user(email="twin@example.com")
    world.uow.users = _RacingUsers(type(world.uow.users)(world.uow), twin)
    world.uow.committed_store.users.clear()
    with pytest.raises(EmailTaken):
        RegisterUser(world.uow, PlainHasher(), world.clock)(RegisterUserCommand(email="twin@example.com",
                                                                                password="long enough"))


def test_a_concurrent_telegram_start_returns_the_other_requests_user(world: World) -> None:
    twin = world.add_user()
    twin.telegram_id = 42
    world.uow.users = _RacingUsers(type(world.uow.users)(world.uow), twin)
    world.uow.committed_store.users.clear()
    user = EnsureUser(world.uow, world.clock).telegram(EnsureTelegramUserCommand(telegram_id=42))
    assert user.id == twin.id
