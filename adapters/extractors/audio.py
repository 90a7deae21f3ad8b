"""Audio and voice notes: the transcript from a Transcriber, one segment per timed piece.

The transcriber (Whisper API or pocketsphinx, chosen in the container) is given to the
constructor, typed by the application port, so this package does not import adapters.speech."""

from __future__ import annotations

from application.ports.extractor import Budget, Extraction, ProgressCallback
from application.ports.transcriber import Transcriber
from domain.documents import DocumentKind
from domain.errors import NoTextFound


class AudioExtractor:
    """Implements application.ports.extractor.Extractor for AUDIO."""

    kinds = frozenset({DocumentKind.AUDIO})
    version = "1"

    def __init__(self, transcriber: Transcriber, language: str | None = None) -> None:
        self.transcriber = transcriber
        self.language = language
        self.name = f"audio/{getattr(transcriber, 'name', type(transcriber).__name__)}"

    def extract(self, data: bytes, *, kind: DocumentKind, progress: ProgressCallback | None = None,
                budget: Budget | None = None) -> Extraction:
        budget = budget or Budget()
        segments = self.transcriber.transcribe(data, language=self.language)
        for segment in segments:
            budget.add(segment.text)
        budget.check_time()
        if progress is not None:
            progress(1, 1)
        if not segments:
            raise NoTextFound("No speech was recognised in this audio.")
        return Extraction(segments=segments)
