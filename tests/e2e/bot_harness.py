"""The real PTB Application built by entrypoints.bot.app from a real container (embedded profile on a
private home), talking HTTP to the fake Bot API server; updates are fed as Bot API JSON."""

from __future__ import annotations

import itertools
import time
from pathlib import Path
from typing import Any

import attrs
from telegram import Update
from telegram.ext import Application

from config.bootstrap import build_container
from config.container import Container
from entrypoints.bot.app import build_application
from entrypoints.bot.progress import PROGRESS_INTERVAL
from tests.e2e.bot_api_server import FakeBotApi

_ids = itertools.count(1)


@attrs.define
class Person:
    id: int
    language: str = "en"
    first_name: str = "Ann"

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "is_bot": False, "first_name": self.first_name, "language_code": self.language}


@attrs.define
class BotHarness:
    api: FakeBotApi
    container: Container
    application: Application

    @classmethod
    def create(cls, api: FakeBotApi, home: Path, **settings: Any) -> BotHarness:
        container = build_container(home=home / "var", telegram_token=api.token, telegram_api_base_url=api.url,
                                    telegram_edit_interval=settings.pop("telegram_edit_interval", 0.05),
                                    log_level="WARNING", **settings)
        return cls(api=api, container=container, application=build_application(container))

    async def __aenter__(self) -> BotHarness:
        await self.application.initialize()
        self.application.bot_data[PROGRESS_INTERVAL] = 0.05
        await self.application.start()  # no polling: updates are fed by process_update
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.application.stop()  # awaits the progress watchers
        await self.application.shutdown()
        self.container.queue().shutdown()

    async def feed(self, update: dict[str, Any]) -> None:
        await self.application.process_update(Update.de_json(update, self.application.bot))

    async def send(self, person: Person, text: str) -> None:
        message = self._message(person, text=text)
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        await self.feed({"update_id": next(_ids), "message": message})

    async def send_file(self, person: Person, name: str, data: bytes | None, *, size: int | None = None,
                        mime: str = "application/pdf") -> None:
        file_id = f"file{next(_ids)}"
        if data is not None:
            self.api.files[file_id] = data
        document = {"file_id": file_id, "file_unique_id": file_id, "file_name": name, "mime_type": mime,
                    "file_size": size if size is not None else len(data or b"")}
        await self.feed({"update_id": next(_ids), "message": self._message(person, document=document)})

    async def send_photo(self, person: Person, data: bytes, *, caption: str | None = None,
                         media_group_id: str | None = None) -> None:
        """A photo as Telegram sends one: its sizes, the largest last (only that one is downloadable here)."""
        file_id = f"photo{next(_ids)}"
        self.api.files[file_id] = data
        sizes = [{"file_id": f"{file_id}-small", "file_unique_id": f"{file_id}s", "width": 90, "height": 90},
                 {"file_id": file_id, "file_unique_id": file_id, "width": 1280, "height": 1280,
                  "file_size": len(data)}]
        extra = {k: v for k, v in (("caption", caption), ("media_group_id", media_group_id)) if v is not None}
        await self.feed({"update_id": next(_ids), "message": self._message(person, photo=sizes, **extra)})

    async def send_voice(self, person: Person, data: bytes, duration: int = 2) -> None:
        file_id = f"voice{next(_ids)}"
        self.api.files[file_id] = data
        voice = {"file_id": file_id, "file_unique_id": file_id, "duration": duration, "mime_type": "audio/ogg",
                 "file_size": len(data)}
        await self.feed({"update_id": next(_ids), "message": self._message(person, voice=voice)})

    async def press(self, person: Person, data: str) -> None:
        message = self._message(person, text="…")
        message["from"] = {"id": 4242, "is_bot": True, "first_name": "Assistant"}
        await self.feed({"update_id": next(_ids), "callback_query": {
            "id": str(next(_ids)), "from": person.as_dict(), "chat_instance": "1", "data": data,
            "message": message}})

    @staticmethod
    def _message(person: Person, **fields: Any) -> dict[str, Any]:
        return {"message_id": next(_ids), "date": int(time.time()), "from": person.as_dict(),
                "chat": {"id": person.id, "type": "private", "first_name": person.first_name}, **fields}
