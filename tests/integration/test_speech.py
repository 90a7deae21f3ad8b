"""Speech: espeak-ng audio (WAV and OGG/Opus) through a local server speaking the OpenAI
transcription API (real openai SDK as client), and through pocketsphinx with a grammar."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.extractors.audio import AudioExtractor
from adapters.speech.decode import RATE, decode_pcm16
from adapters.speech.pocketsphinx import PocketsphinxTranscriber
from adapters.speech.whisper import WhisperApiTranscriber
from domain.documents import DocumentKind
from domain.errors import FileCorrupt
from domain.file_kinds import sniff_kind
from tests.llm_stubs import Reply, StubServer, json_reply
from tests.speech_audio import ogg_opus, spoken_wav

SENTENCE = "the invoice is payable within thirty days"
GRAMMAR = f"#JSGF V1.0;\ngrammar t;\npublic <s> = {SENTENCE} | the meeting starts at noon;\n"


@pytest.fixture(scope="module")
def wav(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return spoken_wav(SENTENCE, Path(tmp_path_factory.mktemp("audio")))


@pytest.fixture(scope="module", name="ogg_opus")
def ogg_opus_fixture(wav: bytes) -> bytes:
    """The same speech as an OGG/Opus voice note."""
    return ogg_opus(wav)


def _numbered_transcripts():  # noqa: ANN202 - a StubServer reply script entry
    """OpenAI's verbose_json transcription of each part: "part 1", "part 2", ... in arrival order."""
    numbers = itertools.count(1)

    def reply(body: object) -> Reply:
        n = next(numbers)
        return json_reply({"text": f"part {n}", "language": "en", "duration": 1.0,
                           "segments": [{"id": 0, "seek": 0, "start": 0.0, "end": 0.5, "text": f" part {n} "}]})

    return reply


@pytest.fixture
def whisper() -> Iterator[StubServer]:
    with StubServer([_numbered_transcripts()], repeat_last=True).running() as server:
        yield server


def test_voice_notes_are_sniffed_as_audio(wav: bytes, ogg_opus: bytes) -> None:
    assert sniff_kind(wav) is DocumentKind.AUDIO and sniff_kind(ogg_opus) is DocumentKind.AUDIO


@pytest.mark.parametrize("fmt", ["wav", "ogg_opus"])
def test_whisper_api_long_audio_is_sent_in_parts_with_time_locators(fmt: str, whisper: StubServer,
                                                                     request: pytest.FixtureRequest) -> None:
    audio = request.getfixturevalue(fmt)
    seconds = len(decode_pcm16(audio)) / (2 * RATE)
    transcriber = WhisperApiTranscriber(api_key="k", base_url=whisper.url + "/v1", model="whisper-test", part_seconds=1.0,
                                        max_retries=0)
    extraction = AudioExtractor(transcriber).extract(audio, kind=DocumentKind.AUDIO)
    parts = int(seconds) + (seconds % 1 > 0)
    assert len(whisper.requests) == parts
    assert all(r.path == "/v1/audio/transcriptions" and b"RIFF" in r.body and b"whisper-test" in r.body
               and b"verbose_json" in r.body for r in whisper.requests)
    assert [s.text for s in extraction.segments] == [f"part {i}" for i in range(1, parts + 1)]
    assert [s.locator.start_seconds for s in extraction.segments] == [float(i) for i in range(parts)]
    assert extraction.segments[1].locator.label() == "00:01-00:01"


@pytest.mark.parametrize("fmt", ["wav", "ogg_opus"])
def test_pocketsphinx_with_a_grammar_is_exact(fmt: str, request: pytest.FixtureRequest) -> None:
    audio = request.getfixturevalue(fmt)
    extraction = AudioExtractor(PocketsphinxTranscriber(grammar=GRAMMAR)).extract(audio, kind=DocumentKind.AUDIO)
    assert [s.text for s in extraction.segments] == [SENTENCE]
    assert extraction.segments[0].locator.start_seconds == 0.0
    assert extraction.segments[0].locator.end_seconds > 2


def test_undecodable_audio_is_corrupt() -> None:
    with pytest.raises(FileCorrupt):
        decode_pcm16(b"OggS" + bytes(100))
