"""Transcription through the Whisper API (POST /v1/audio/transcriptions) with the openai SDK.

The base URL and model are configurable, so a self-hosted OpenAI-compatible Whisper server works.
Audio is decoded to 16 kHz mono and sent in WAV parts of ``part_seconds`` (10 min = 19 MiB,
under the API's 25 MB upload limit). ``verbose_json`` gives timed segments; a server answering
only ``{"text": ...}`` gets one segment per part."""

from __future__ import annotations

from adapters.speech.decode import BYTES_PER_SECOND, decode_pcm16, split_pcm, wav_bytes
from application.errors import TransientError
from domain.chunks import Segment
from domain.errors import NoTextFound
from domain.locators import Locator


class WhisperApiTranscriber:
    """Implements application.ports.transcriber.Transcriber."""

    name = "whisper-api"

    def __init__(self, *, api_key: str | None, base_url: str | None, model: str = "whisper-1",
                 part_seconds: float = 600.0, timeout: float = 300.0, max_retries: int = 2) -> None:
        self.model = model
        self.part_seconds = part_seconds
        import openai  # about 0.5 s: loaded when the transcriber is built, not at every start-up

        self._openai = openai
        self._client = openai.OpenAI(api_key=api_key or "unused", base_url=base_url, timeout=timeout,
                                     max_retries=max_retries)

    def transcribe(self, audio: bytes, *, language: str | None = None) -> list[Segment]:
        pcm = decode_pcm16(audio)
        if not pcm:
            raise NoTextFound("The audio is empty.")
        segments: list[Segment] = []
        for start, part in split_pcm(pcm, self.part_seconds):
            segments += self._part(part, start, language)
        return segments

    def _part(self, pcm: bytes, offset: float, language: str | None) -> list[Segment]:
        extra = {"language": language} if language else {}
        try:
            result = self._client.audio.transcriptions.create(
                model=self.model, file=("audio.wav", wav_bytes(pcm), "audio/wav"),
                response_format="verbose_json", **extra)
        except (self._openai.APIConnectionError, self._openai.RateLimitError,
                self._openai.InternalServerError) as error:
            raise TransientError(f"The transcription service is unavailable: {error}") from error
        timed = getattr(result, "segments", None) or []
        if timed:
            return [Segment(text=s.text.strip(), locator=Locator(start_seconds=offset + s.start,
                                                                 end_seconds=offset + s.end))
                    for s in timed if s.text.strip()]
        text = (result.text or "").strip()
        end = offset + len(pcm) / BYTES_PER_SECOND
        return [Segment(text=text, locator=Locator(start_seconds=offset, end_seconds=end))] if text else []
