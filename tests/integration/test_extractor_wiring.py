"""The container wires every extractor, the OCR engine and the transcriber chosen by settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.bootstrap import build_container
from config.errors import ConfigError
from domain.documents import DocumentKind
from domain.errors import FileTooComplex


@pytest.fixture(autouse=True)
def isolated(isolated_settings: Path) -> Path:
    return isolated_settings


def test_every_kind_has_an_extractor_and_the_offline_transcriber_is_the_default() -> None:
    container = build_container()
    extractors = container.extractors()
    assert extractors.supported_kinds() == frozenset(DocumentKind)
    names = {kind: extractors.for_kind(kind).name for kind in DocumentKind}
    assert names[DocumentKind.PDF] == "pdf" and names[DocumentKind.AUDIO] == "audio/pocketsphinx"
    assert container.process_document().tiers is container.tiers()
    container.engine().dispose()


def test_whisper_uses_the_openai_settings_unless_its_own_are_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_TRANSCRIPTION_BACKEND", "whisper")
    monkeypatch.setenv("ASSISTANT_OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("ASSISTANT_WHISPER_MODEL", "whisper-large-v3")
    container = build_container()
    transcriber = container.transcriber()
    assert type(transcriber).__name__ == "WhisperApiTranscriber"
    assert transcriber.model == "whisper-large-v3"
    assert str(transcriber._client.base_url).startswith("http://127.0.0.1:9/v1")  # noqa: SLF001
    container.engine().dispose()


def test_whisper_without_a_key_or_url_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_TRANSCRIPTION_BACKEND", "whisper")
    with pytest.raises(ConfigError, match="transcription.backend=whisper needs"):
        build_container()


def test_the_resource_limit_settings_reach_the_extractors(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"WORKER_MEMORY_MB": "300", "OCR_MAX_PIXELS": "2000000", "PDF_MAX_IMAGE_PIXELS": "3000000",
                        "SHEET_MAX_ROWS": "5", "SHEET_MAX_CELLS": "70"}.items():
        monkeypatch.setenv(f"ASSISTANT_{name}", value)
    container = build_container()
    extractors = container.extractors()
    pdf = extractors.for_kind(DocumentKind.PDF)
    assert pdf.memory_mb == 300 and (pdf.inner.caps.max_pixels, pdf.inner.caps.max_image_pixels) == (2_000_000, 3_000_000)
    assert extractors.for_kind(DocumentKind.XLSX).inner.caps == extractors.for_kind(DocumentKind.CSV).inner.caps
    assert not hasattr(extractors.for_kind(DocumentKind.AUDIO), "memory_mb")  # transcribed in process
    six_rows = "\n".join(f"{i},x" for i in range(6)).encode()
    with pytest.raises(FileTooComplex, match="more than 5 rows"):  # through the capped child process
        extractors.for_kind(DocumentKind.CSV).extract(six_rows, kind=DocumentKind.CSV)
    container.engine().dispose()
