"""API keys for server-to-server use: create (the secret is shown once), list, revoke, and
resolve a key to its active user on each request."""

from __future__ import annotations

import secrets
import uuid

import attrs

from application.ports.clock import Clock
from application.audit import audit
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.access import active_user, credential_user
from domain.analytics import AuditAction
from domain.api_keys import (
    KEY_MARK,
    MAX_KEY_LENGTH,
    NAME_MAX_LENGTH,
    ApiKey,
    key_hash,
    key_prefix,
    looks_like_api_key,
)
from domain.errors import ApiKeyNotFound, InvalidCredentials, InvalidInput
from domain.users import User

SECRET_BYTES = 32
_INVALID_KEY = "The API key is not valid."


@attrs.frozen(kw_only=True)
class NewApiKey:
    """A key just created: ``key`` is the only time the secret is available."""

    api_key: ApiKey
    key: str = attrs.field(repr=False)


@attrs.define
class ApiKeys:
    uow: UnitOfWork
    clock: Clock

    def create(self, user_id: uuid.UUID, name: str) -> NewApiKey:
        name = " ".join(name.split())
        if not name or len(name) > NAME_MAX_LENGTH:
            raise InvalidInput(f"A key needs a name of 1 to {NAME_MAX_LENGTH} characters.")
        key = KEY_MARK + secrets.token_urlsafe(SECRET_BYTES)
        with self.uow as uow:
            user = active_user(uow, user_id)
            api_key = ApiKey(user_id=user.id, name=name, prefix=key_prefix(key), hash=key_hash(key),
                             created_at=self.clock.now())
            uow.api_keys.add(api_key)
            audit(uow, AuditAction.API_KEY_CREATED, actor_id=user.id, target=str(api_key.id), at=api_key.created_at,
                  name=name, prefix=api_key.prefix)
            uow.commit()
        return NewApiKey(api_key=api_key, key=key)

    def list(self, user_id: uuid.UUID) -> list[ApiKey]:
        """The user's keys, newest first, revoked ones included (never their secrets)."""
        with self.uow as uow:
            active_user(uow, user_id)
            return uow.api_keys.list_for_user(user_id)

    def revoke(self, user_id: uuid.UUID, key_id: uuid.UUID) -> ApiKey:
        """Revoke one of the user's keys; revoking it again changes nothing. Another user's key is
        reported exactly like a missing one."""
        with self.uow as uow:
            active_user(uow, user_id)
            api_key = uow.api_keys.get(key_id)
            if api_key is None or api_key.user_id != user_id:
                raise ApiKeyNotFound("API key not found.", key_id=str(key_id))
            if api_key.is_active:
                now = self.clock.now()
                uow.api_keys.revoke(key_id, at=now)
                audit(uow, AuditAction.API_KEY_REVOKED, actor_id=user_id, target=str(key_id), at=now,
                      prefix=api_key.prefix)
                uow.commit()
                api_key = uow.api_keys.get(key_id) or api_key
            return api_key

    def user_for(self, key: str) -> User:
        """The active user of a key (unknown or revoked: InvalidCredentials; banned: UserBanned).

        last_used_at is written at most once a minute, not on every request."""
        if not looks_like_api_key(key) or len(key) > MAX_KEY_LENGTH:
            raise InvalidCredentials(_INVALID_KEY)
        with self.uow as uow:
            api_key = uow.api_keys.get_by_hash(key_hash(key))
            if api_key is None or not api_key.is_active:
                raise InvalidCredentials(_INVALID_KEY)
            user = credential_user(uow, api_key.user_id, _INVALID_KEY)
            now = self.clock.now()
            if api_key.needs_touch(now):
                uow.api_keys.touch(api_key.id, at=now)
                uow.commit()
            return user
