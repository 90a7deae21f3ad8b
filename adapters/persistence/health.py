"""Readiness probe of the database: one round trip."""

from __future__ import annotations

from sqlalchemy import Engine, text


class DatabaseProbe:
    name = "database"

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def check(self) -> None:
        with self._engine.connect() as connection:
            connection.execute(text("SELECT 1"))
