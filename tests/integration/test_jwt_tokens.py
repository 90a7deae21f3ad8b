"""JwtTokenIssuer: HS256 only, typed tokens, expiry on the injected clock."""

from __future__ import annotations

import uuid

import jwt
import pytest

from adapters.auth.jwt_tokens import ISSUER, JwtTokenIssuer
from domain.errors import InvalidCredentials, TokenExpired
from tests.fakes import FakeTicks

SECRET = "s" * 40


@pytest.fixture
def clock() -> FakeTicks:
    return FakeTicks(1_800_000_000.0)


@pytest.fixture
def issuer(clock: FakeTicks) -> JwtTokenIssuer:
    return JwtTokenIssuer(SECRET, ttls={"access": 900, "refresh": 86400}, clock=clock)


def test_round_trip_and_kinds(issuer: JwtTokenIssuer) -> None:
    user = uuid.uuid4()
    assert issuer.read(issuer.issue(user, kind="access"), kind="access").user_id == user
    with pytest.raises(InvalidCredentials):
        issuer.read(issuer.issue(user, kind="refresh"), kind="access").user_id


def test_expiry_follows_the_clock(issuer: JwtTokenIssuer, clock: FakeTicks) -> None:
    token = issuer.issue(uuid.uuid4(), kind="access")
    clock.now += 899
    issuer.read(token, kind="access").user_id
    clock.now += 1
    with pytest.raises(TokenExpired):
        issuer.read(token, kind="access").user_id


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
@pytest.mark.parametrize("make", [
    lambda c: jwt.encode(c, None, algorithm="none"),
    lambda c: jwt.encode(c, SECRET, algorithm="HS512"),
    lambda c: jwt.encode(c, "another secret of forty characters......", algorithm="HS256"),
    lambda c: jwt.encode({k: v for k, v in c.items() if k != "exp"}, SECRET, algorithm="HS256"),
    lambda c: jwt.encode({**c, "iss": "someone else"}, SECRET, algorithm="HS256"),
    lambda c: jwt.encode({**c, "sub": "not-a-uuid"}, SECRET, algorithm="HS256"),
    lambda c: "not.a.token",
])
def test_forged_tokens_are_refused(issuer: JwtTokenIssuer, clock: FakeTicks, make) -> None:  # noqa: ANN001
    claims = {"sub": str(uuid.uuid4()), "typ": "access", "iss": ISSUER, "iat": int(clock.now),
              "exp": int(clock.now) + 60}
    with pytest.raises(InvalidCredentials) as error:
        issuer.read(make(claims), kind="access").user_id
    assert error.type is InvalidCredentials


def test_a_short_secret_is_refused() -> None:
    with pytest.raises(ValueError):
        JwtTokenIssuer("short", ttls={"access": 1})


def test_a_remembered_token_still_expires_on_time(issuer: JwtTokenIssuer, clock: FakeTicks) -> None:
    user = uuid.uuid4()
    token = issuer.issue(user, kind="access")
    assert issuer.read(token, kind="access").user_id == user
    assert issuer.read(token, kind="access").user_id == user  # the second time from memory
    with pytest.raises(InvalidCredentials):  # remembered per kind: an access token is no refresh token
        issuer.read(token, kind="refresh").user_id
    clock.now += 900
    with pytest.raises(TokenExpired):
        issuer.read(token, kind="access").user_id


def test_a_tampered_copy_of_a_remembered_token_is_refused(issuer: JwtTokenIssuer) -> None:
    token = issuer.issue(uuid.uuid4(), kind="access")
    issuer.read(token, kind="access").user_id
    header, payload, signature = token.split(".")
    with pytest.raises(InvalidCredentials):
        issuer.read(f"{header}.{payload}.{signature[:-2]}AA", kind="access").user_id


def test_only_so_many_tokens_are_remembered(clock: FakeTicks) -> None:
    issuer = JwtTokenIssuer(SECRET, ttls={"access": 900}, clock=clock, remember=3)
    tokens = [issuer.issue(uuid.uuid4(), kind="access") for _ in range(5)]
    for token in tokens:
        issuer.read(token, kind="access").user_id
    assert len(issuer._verified) == 3
    assert all(issuer.read(token, kind="access").user_id for token in tokens)  # forgotten ones verify again


def test_a_token_names_its_session_and_its_own_id(issuer: JwtTokenIssuer) -> None:
    user, session = uuid.uuid4(), uuid.uuid4()
    token = issuer.issue(user, kind="refresh", session_id=session, token_id="f" * 32)
    for _ in range(2):  # decoded, then remembered
        claims = issuer.read(token, kind="refresh")
        assert (claims.user_id, claims.session_id, claims.token_id) == (user, session, "f" * 32)
    payload = jwt.decode(token, options={"verify_signature": False})
    assert payload["sid"] == str(session)
    assert issuer.read(issuer.issue(user, kind="access"), kind="access").session_id is None
    forged = jwt.encode({**payload, "sid": "not-a-uuid"}, SECRET, algorithm="HS256")
    with pytest.raises(InvalidCredentials):
        issuer.read(forged, kind="refresh")
