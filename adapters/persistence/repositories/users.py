"""Users, found by id, email or Telegram id."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import RowMapping, bindparam, select
from sqlalchemy.exc import IntegrityError

from adapters.persistence.repositories.base import SqlAlchemyRepository, row_values
from adapters.persistence.tables import users
from application.ports.repositories import DuplicateRecord
from domain.users import Role, Tier, User, UserStatus


# built once: a statement object that is reused skips building, cache-key generation and result
# metadata adaptation on every call (the per-request path loads the user by id)
_BY_ID = select(users).where(users.c.id == bindparam("user_id"))
_LOCK = select(users.c.id).where(users.c.id == bindparam("user_id")).with_for_update()


class SqlAlchemyUserRepository(SqlAlchemyRepository):
    def add(self, user: User) -> None:
        """A taken email or Telegram id raises DuplicateRecord; a savepoint keeps the transaction usable."""
        try:
            with self._conn.begin_nested():
                self._conn.execute(users.insert().values(**row_values(user)))
        except IntegrityError as error:
            raise DuplicateRecord("email or Telegram id already taken") from error

    def update(self, user: User) -> None:
        values = row_values(user, exclude=("id",))
        self._conn.execute(users.update().where(users.c.id == user.id).values(**values))

    def get(self, user_id: uuid.UUID) -> User | None:
        row = self._conn.execute(_BY_ID, {"user_id": user_id}).mappings().one_or_none()
        return user_from_row(row) if row is not None else None

    def lock(self, user_id: uuid.UUID) -> None:
        """SELECT ... FOR UPDATE on PostgreSQL; SQLite needs nothing: its transactions begin
        IMMEDIATE (adapters.persistence.engine), so writers already run one at a time."""
        if self._conn.dialect.name == "postgresql":
            self._conn.execute(_LOCK, {"user_id": user_id})

    def get_by_email(self, email: str) -> User | None:
        return self._one(users.c.email == email)

    def get_by_telegram_id(self, telegram_id: int) -> User | None:
        return self._one(users.c.telegram_id == telegram_id)

    def list(self, *, limit: int = 100, offset: int = 0, email_contains: str | None = None) -> list[User]:
        query = select(users).order_by(users.c.created_at, users.c.id).limit(limit).offset(offset)
        if email_contains:  # emails are stored normalised (lower case), so LIKE needs no ILIKE
            query = query.where(users.c.email.contains(email_contains.lower(), autoescape=True))
        return [user_from_row(row) for row in self._conn.execute(query).mappings()]

    def _one(self, condition: Any) -> User | None:
        row = self._conn.execute(select(users).where(condition)).mappings().one_or_none()
        return user_from_row(row) if row is not None else None


def user_from_row(row: RowMapping) -> User:
    values = dict(row)
    return User(**values | {"role": Role(values["role"]), "tier": Tier(values["tier"]),
                            "status": UserStatus(values["status"])})
