import pytest

from adapters.auth.passwords import Argon2PasswordHasher


@pytest.fixture(scope="module")
def hasher() -> Argon2PasswordHasher:
    return Argon2PasswordHasher()


def test_hash_and_verify(hasher: Argon2PasswordHasher) -> None:
    hashed = hasher.hash("correct horse battery staple")
    assert hashed.startswith("$argon2id$")
    assert "correct horse" not in hashed
    assert hasher.verify(hashed, "correct horse battery staple") is True
    assert hasher.verify(hashed, "wrong") is False
    assert hasher.needs_rehash(hashed) is False


def test_salted(hasher: Argon2PasswordHasher) -> None:
    assert hasher.hash("pässwörd") != hasher.hash("pässwörd")


@pytest.mark.parametrize("bad", ["", "not a hash", "$argon2id$v=19$m=1,t=1,p=1$bad$bad", "plain$secret"])
def test_malformed_hash_never_raises(hasher: Argon2PasswordHasher, bad: str) -> None:
    assert hasher.verify(bad, "secret") is False
    assert hasher.needs_rehash(bad) is True


def test_needs_rehash_when_parameters_change() -> None:
    cheap = Argon2PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    hashed = cheap.hash("secret")
    assert cheap.verify(hashed, "secret") and not cheap.needs_rehash(hashed)
    assert Argon2PasswordHasher().needs_rehash(hashed) is True
    assert Argon2PasswordHasher().verify(hashed, "secret") is True
