"""Speech: espeak-ng audio (WAV and OGG/Opus) through a local server speaking the OpenAI
transcription API (real openai SDK as client), and through pocketsphinx with a grammar."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from adapters.extractors.audio import AudioExtractor
from adapters.speech.decode import RATE, decode_pcm16
from adapters.speech.pocketsphinx import PocketsphinxTranscriber
from adapters.speech.whisper import WhisperApiTranscriber
from domain.documents import DocumentKind
from domain.errors import FileCorrupt
from domain.file_kinds import sniff_kind
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


class _Whisper(BaseHTTPRequestHandler):
    requests: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Whisper.requests.append({"path": self.path, "wav": b"RIFF" in body, "model": b"whisper-test" in body,
                                  "verbose": b"verbose_json" in body})
        n = len(_Whisper.requests)
        reply = {"text": f"part {n}", "language": "en", "duration": 1.0,
                 "segments": [{"id": 0, "seek": 0, "start": 0.0, "end": 0.5, "text": f" part {n} "}]}
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def whisper_url() -> Iterator[str]:
    _Whisper.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Whisper)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


def test_voice_notes_are_sniffed_as_audio(wav: bytes, ogg_opus: bytes) -> None:
    assert sniff_kind(wav) is DocumentKind.AUDIO and sniff_kind(ogg_opus) is DocumentKind.AUDIO


@pytest.mark.parametrize("fmt", ["wav", "ogg_opus"])
def test_whisper_api_long_audio_is_sent_in_parts_with_time_locators(fmt: str, whisper_url: str,
                                                                     request: pytest.FixtureRequest) -> None:
    audio = request.getfixturevalue(fmt)
    seconds = len(decode_pcm16(audio)) / (2 * RATE)
    transcriber = WhisperApiTranscriber(api_key="k", base_url=whisper_url, model="whisper-test", part_seconds=1.0,
                                        max_retries=0)
    extraction = AudioExtractor(transcriber).extract(audio, kind=DocumentKind.AUDIO)
    parts = int(seconds) + (seconds % 1 > 0)
    assert len(_Whisper.requests) == parts
    assert all(r["path"] == "/v1/audio/transcriptions" and r["wav"] and r["model"] and r["verbose"]
               for r in _Whisper.requests)
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
