"""Login throttling: how many password attempts an account and a client address get.

Three sliding windows, checked before any password hash is computed (a throttled attempt costs
no argon2 time):
- per account *and* address (tightest): one client guessing one account's password;
- per address: one client trying many accounts (credential stuffing);
- per account (softer): many addresses guessing one account. An address that logged in to the
  account successfully before (remembered for ``KNOWN_ADDRESS_DAYS``) is exempt from it, so a
  stranger spreading guesses over many addresses cannot lock the owner out.
The account-and-address window counts every attempt, before the check (which makes it exact
under concurrent requests), and a successful login clears it. The other two count failed attempts
only, so an office behind one address is not stopped by its own successful logins; they may
overshoot by the number of attempts in flight at once. Emails and addresses appear in the
counters' keys only as digests."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import attrs

from application.ports.attempts import AttemptCounter, AttemptDecision, AttemptLimit
from application.ports.cache import Cache
from application.ports.clock import Clock
from domain.errors import LoginThrottled
from domain.users import normalise_email

KNOWN_ADDRESS_DAYS = 30


@attrs.frozen(kw_only=True)
class LoginLimits:
    per_account_address: AttemptLimit = AttemptLimit(attempts=10, seconds=900)
    per_address: AttemptLimit = AttemptLimit(attempts=100, seconds=900)
    per_account: AttemptLimit = AttemptLimit(attempts=50, seconds=3600)


@attrs.define
class LoginThrottle:
    counter: AttemptCounter
    cache: Cache
    clock: Clock
    limits: LoginLimits = attrs.field(factory=LoginLimits)

    def admit(self, email: str, address: str) -> None:
        """Count this attempt; LoginThrottled when one of the windows is full."""
        account, client = _keys(email, address)
        self._check(self.counter.hit(f"pair:{account}:{client}", self.limits.per_account_address),
                    self.limits.per_account_address)
        self._check(self.counter.allowed(f"address:{client}", self.limits.per_address), self.limits.per_address)
        if self.cache.get(_known_key(account, client)) is None:
            self._check(self.counter.allowed(f"account:{account}", self.limits.per_account), self.limits.per_account)

    def failed(self, email: str, address: str) -> None:
        """The password was wrong (or the email unknown): count it for the address and the account."""
        account, client = _keys(email, address)
        self.counter.hit(f"address:{client}", self.limits.per_address)
        if self.cache.get(_known_key(account, client)) is None:
            self.counter.hit(f"account:{account}", self.limits.per_account)

    def succeeded(self, email: str, address: str) -> None:
        """The password was right: this address starts afresh and is known to the account."""
        account, client = _keys(email, address)
        self.counter.clear(f"pair:{account}:{client}", self.limits.per_account_address)
        self.cache.set(_known_key(account, client), b"1", ttl_seconds=KNOWN_ADDRESS_DAYS * 86_400)

    def _check(self, decision: AttemptDecision, limit: AttemptLimit) -> None:
        if not decision.allowed:
            raise LoginThrottled("Too many login attempts: wait before trying again.", window="login",
                                 limit=limit.attempts, reset_at=self.clock.now() + timedelta(seconds=decision.retry_after))


def _keys(email: str, address: str) -> tuple[str, str]:
    """The account's and the client's parts of the counters' keys (digests, never the values)."""
    return _digest(normalise_email(email)), _digest(address or "unknown")


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _known_key(account: str, client: str) -> str:
    return f"login-known:{account}:{client}"
