"""A voice note (espeak-ng speech encoded as OGG/Opus by PyAV) is transcribed, shown and answered."""

from __future__ import annotations

import asyncio
from pathlib import Path

from dependency_injector import providers

from adapters.speech.pocketsphinx import PocketsphinxTranscriber
from tests.e2e.bot_api_server import FakeBotApi
from tests.e2e.bot_harness import BotHarness, Person
from tests.e2e.conftest import NOTES
from tests.speech_audio import ogg_opus, spoken_wav

QUESTION = "when are invoices payable"
GRAMMAR = f"#JSGF V1.0;\ngrammar q;\npublic <s> = {QUESTION} | the meeting starts at noon;\n"
BOB = Person(id=2001, language="en", first_name="Bob")


def voice_note(text: str, tmp: Path) -> bytes:
    return ogg_opus(spoken_wav(text, tmp))


def test_a_voice_note_is_transcribed_and_answered(api: FakeBotApi, tmp_path: Path) -> None:
    audio = voice_note(QUESTION, tmp_path)

    async def scenario() -> None:
        async with BotHarness.create(api, tmp_path) as bot:
            bot.container.transcriber.override(providers.Object(PocketsphinxTranscriber(grammar=GRAMMAR)))
            await bot.send_file(BOB, "notes.md", NOTES.encode(), mime="text/markdown")
            api.wait_for(lambda text: text.startswith("✅"))
            await bot.send_voice(BOB, audio)

    asyncio.run(scenario())
    assert f"🎙 <i>{QUESTION}</i>" in api.texts("sendMessage")
    final = api.of("editMessageText")[-1].params
    assert final["parse_mode"] == "HTML" and "30 days" in final["text"] and "<b>Sources</b>" in final["text"]


def test_a_voice_note_without_a_document_gets_the_hint(api: FakeBotApi, tmp_path: Path) -> None:
    audio = voice_note(QUESTION, tmp_path)

    async def scenario() -> None:
        async with BotHarness.create(api, tmp_path) as bot:
            bot.container.transcriber.override(providers.Object(PocketsphinxTranscriber(grammar=GRAMMAR)))
            await bot.send_voice(BOB, audio)

    asyncio.run(scenario())
    assert api.texts("sendMessage")[-1].startswith("Send me a document first")
