"""API keys, found by the SHA-256 digest of their secret (a unique index)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select

from adapters.persistence.repositories.base import SqlAlchemyRepository, row_values
from adapters.persistence.tables import api_keys
from domain.api_keys import ApiKey


class SqlAlchemyApiKeyRepository(SqlAlchemyRepository):
    def add(self, api_key: ApiKey) -> None:
        self._conn.execute(api_keys.insert().values(**row_values(api_key)))

    def get(self, key_id: uuid.UUID) -> ApiKey | None:
        return self._one(api_keys.c.id == key_id)

    def get_by_hash(self, key_hash: str) -> ApiKey | None:
        return self._one(api_keys.c.hash == key_hash)

    def list_for_user(self, user_id: uuid.UUID) -> list[ApiKey]:
        """Newest first, revoked keys included."""
        query = (select(api_keys).where(api_keys.c.user_id == user_id)
                 .order_by(api_keys.c.created_at.desc(), api_keys.c.id.desc()))
        return [ApiKey(**row) for row in self._conn.execute(query).mappings()]

    def revoke(self, key_id: uuid.UUID, *, at: datetime) -> None:
        """Only an active key: the first revocation time stays."""
        self._conn.execute(api_keys.update().where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
                           .values(revoked_at=at))

    def touch(self, key_id: uuid.UUID, *, at: datetime) -> None:
        self._conn.execute(api_keys.update().where(api_keys.c.id == key_id).values(last_used_at=at))

    def _one(self, condition: object) -> ApiKey | None:
        row = self._conn.execute(select(api_keys).where(condition)).mappings().one_or_none()  # type: ignore[arg-type]
        return ApiKey(**row) if row is not None else None
