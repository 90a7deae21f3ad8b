"""Change the language a user is spoken to in (the bot's /lang)."""

from __future__ import annotations

import uuid

import attrs

from application.ports.clock import Clock
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.access import active_user
from domain.errors import InvalidInput
from domain.users import User

LANGUAGES = ("en", "ru")


@attrs.define
class SetLanguage:
    uow: UnitOfWork
    clock: Clock
    languages: tuple[str, ...] = LANGUAGES

    def __call__(self, user_id: uuid.UUID, language: str) -> User:
        language = language.strip().lower()[:2]
        if language not in self.languages:
            raise InvalidInput(f"Unknown language; choose one of: {', '.join(self.languages)}.", field="language")
        with self.uow as uow:
            user = active_user(uow, user_id)
            if user.language != language:
                user.language, user.updated_at = language, self.clock.now()
                uow.users.update(user)
                uow.commit()
            return user
