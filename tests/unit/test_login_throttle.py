"""Login throttling: a guesser is stopped before any hash is checked, the owner is not locked out,
and an unknown email costs the same hashing as a known one."""

from __future__ import annotations

import pytest

from application.ports.attempts import AttemptLimit
from application.use_cases.authenticate_user import AuthenticateUser
from application.use_cases.login_throttle import LoginLimits, LoginThrottle
from domain.errors import InvalidCredentials, LoginThrottled
from tests.fakes import FakeAttemptCounter, FakeCache, PlainHasher
from tests.unit.conftest import World
from tests.unit.test_log_in import log_in, registered

LIMITS = LoginLimits(per_account_address=AttemptLimit(attempts=3, seconds=60),
                     per_address=AttemptLimit(attempts=6, seconds=60),
                     per_account=AttemptLimit(attempts=5, seconds=60))


class CountingHasher(PlainHasher):
    def __init__(self) -> None:
        self.verified: list[str] = []

    def verify(self, password_hash: str, password: str) -> bool:
        self.verified.append(password_hash)
        return super().verify(password_hash, password)


def throttle(world: World, cache: FakeCache | None = None) -> LoginThrottle:
    return LoginThrottle(counter=FakeAttemptCounter(world.clock), cache=cache or FakeCache(), clock=world.clock,
                         limits=LIMITS)


def test_one_address_guessing_one_account_is_stopped_and_told_when_to_retry(world: World) -> None:
    gate = throttle(world)
    for _ in range(3):
        gate.admit("a@b.co", "10.0.0.1")
    with pytest.raises(LoginThrottled) as refused:
        gate.admit("A@B.co ", "10.0.0.1")  # the same account, however the email is written
    assert refused.value.limit == 3 and 0 < (refused.value.reset_at - world.clock.now()).total_seconds() <= 60
    gate.admit("a@b.co", "10.0.0.2")  # the owner, elsewhere, still gets in
    world.clock.advance(61)
    gate.admit("a@b.co", "10.0.0.1")  # the window slid past


def test_a_success_clears_the_address_and_exempts_it_from_the_account_cap(world: World) -> None:
    gate = throttle(world)
    for _ in range(2):
        gate.admit("a@b.co", "owner")
        gate.failed("a@b.co", "owner")
    gate.admit("a@b.co", "owner")
    gate.succeeded("a@b.co", "owner")
    for number in range(3):  # a stranger spreads guesses over addresses until the account cap (5 failures,
        gate.admit("a@b.co", f"stranger-{number}")  # the owner's 2 included) is full
        gate.failed("a@b.co", f"stranger-{number}")
    with pytest.raises(LoginThrottled):
        gate.admit("a@b.co", "stranger-new")
    for _ in range(3):  # the owner's known address: its own window only, started afresh
        gate.admit("a@b.co", "owner")
        gate.failed("a@b.co", "owner")


def test_one_address_trying_many_accounts_is_stopped(world: World) -> None:
    gate = throttle(world)
    for number in range(10):  # successes do not count: an office behind one address logs in freely
        gate.admit(f"colleague{number}@b.co", "10.0.0.9")
        gate.succeeded(f"colleague{number}@b.co", "10.0.0.9")
    for number in range(6):
        gate.admit(f"user{number}@b.co", "10.0.0.9")
        gate.failed(f"user{number}@b.co", "10.0.0.9")
    with pytest.raises(LoginThrottled):
        gate.admit("someone-else@b.co", "10.0.0.9")


def test_log_in_refuses_the_eleventh_wrong_password_without_checking_it(world: World) -> None:
    registered(world)
    login = log_in(world)
    for _ in range(10):
        with pytest.raises(InvalidCredentials):
            login("a@b.co", "wrong-password", address="203.0.113.5")
    with pytest.raises(LoginThrottled):
        login("a@b.co", "x" * 8, address="203.0.113.5")  # even the right one: the address waits
    assert login("a@b.co", "x" * 8, address="198.51.100.7").user.email == "a@b.co"


def test_an_unknown_email_is_hashed_like_a_known_one(world: World) -> None:
    registered(world)
    hasher = CountingHasher()
    for email in ("a@b.co", "nobody@b.co"):
        with pytest.raises(InvalidCredentials, match="Wrong email or password"):
            AuthenticateUser(world.uow, hasher)(email, "wrong-password")
    assert len(hasher.verified) == 2 and hasher.verified[1].startswith("plain$")  # the dummy hash
