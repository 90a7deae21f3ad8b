"""Offline transcription with pocketsphinx (English model bundled in the wheel; no network).

Accuracy on general speech is modest: it is the fallback when no Whisper endpoint is set. A
JSGF grammar of expected sentences makes it exact (tests use one). Audio is decoded in windows
of ``window_seconds``; each non-empty window becomes a segment located by its time range."""

from __future__ import annotations

import threading

from pocketsphinx import Decoder

from adapters.speech.decode import BYTES_PER_SECOND, decode_pcm16, split_pcm
from domain.chunks import Segment
from domain.errors import NoTextFound
from domain.locators import Locator


class PocketsphinxTranscriber:
    """Implements application.ports.transcriber.Transcriber."""

    name = "pocketsphinx"

    def __init__(self, *, grammar: str | None = None, window_seconds: float = 20.0) -> None:
        self.grammar = grammar  # JSGF text, or None for the general language model
        self.window_seconds = window_seconds
        self._local = threading.local()  # a Decoder is not thread-safe: one per thread

    def _decoder(self) -> Decoder:
        decoder = getattr(self._local, "decoder", None)
        if decoder is None:
            # with a grammar, the best-path lattice search drops the last words: keep the Viterbi result
            decoder = Decoder(samprate=16000, loglevel="FATAL", bestpath=not self.grammar)
            if self.grammar:
                decoder.add_jsgf_string("grammar", self.grammar.encode())
                decoder.activate_search("grammar")
            self._local.decoder = decoder
        return decoder

    def transcribe(self, audio: bytes, *, language: str | None = None) -> list[Segment]:
        pcm = decode_pcm16(audio)
        if not pcm:
            raise NoTextFound("The audio is empty.")
        decoder = self._decoder()
        segments = []
        for start, part in split_pcm(pcm, self.window_seconds):
            decoder.start_utt()
            decoder.process_raw(part, full_utt=True)
            decoder.end_utt()
            hypothesis = decoder.hyp()
            text = hypothesis.hypstr.strip() if hypothesis is not None else ""
            if text:
                end = start + len(part) / BYTES_PER_SECOND
                segments.append(Segment(text=text, locator=Locator(start_seconds=start, end_seconds=end)))
        return segments
