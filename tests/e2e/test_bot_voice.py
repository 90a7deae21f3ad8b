"""A voice note (espeak-ng speech encoded as OGG/Opus by PyAV) is transcribed, shown and answered."""

from __future__ import annotations

import asyncio
import io
import subprocess
from collections.abc import Iterator
from pathlib import Path

import av
import pytest
from dependency_injector import providers

from adapters.speech.decode import RATE, decode_pcm16
from adapters.speech.pocketsphinx import PocketsphinxTranscriber
from tests.binaries import require_binary
from tests.e2e.bot_api_server import FakeBotApi, running_bot_api
from tests.e2e.bot_harness import BotHarness, Person
from tests.e2e.conftest import NOTES

QUESTION = "when are invoices payable"
GRAMMAR = f"#JSGF V1.0;\ngrammar q;\npublic <s> = {QUESTION} | the meeting starts at noon;\n"
BOB = Person(id=2001, language="en", first_name="Bob")


def voice_note(text: str, tmp: Path) -> bytes:
    espeak = require_binary("espeak-ng", "espeak-ng")
    wav = tmp / "speech.wav"
    subprocess.run([espeak, "-s", "120", "-w", str(wav), text], check=True, capture_output=True)
    pcm = decode_pcm16(wav.read_bytes())
    out = io.BytesIO()
    with av.open(out, "w", format="ogg") as container:
        stream = container.add_stream("libopus", rate=48000, layout="mono")
        frame = av.AudioFrame(format="s16", layout="mono", samples=len(pcm) // 2)
        frame.planes[0].update(pcm)
        frame.sample_rate = RATE
        resampler = av.AudioResampler(format="s16", layout="mono", rate=48000)
        for resampled in [*resampler.resample(frame), *resampler.resample(None)]:
            for packet in stream.encode(resampled):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return out.getvalue()


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with running_bot_api() as server:
        yield server


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
