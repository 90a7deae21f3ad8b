"""The media type an original file is served as, from its kind and its first bytes (never its name)."""

from __future__ import annotations

from domain.documents import DocumentKind

_BY_KIND = {
    DocumentKind.PDF: "application/pdf",
    DocumentKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    DocumentKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    DocumentKind.TEXT: "text/plain",
    DocumentKind.MARKDOWN: "text/markdown",
    DocumentKind.CSV: "text/csv",
}
_AUDIO = ((b"OggS", "audio/ogg"), (b"fLaC", "audio/flac"), (b"ID3", "audio/mpeg"), (b"\x1a\x45\xdf\xa3", "audio/webm"))
_IMAGE = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"), (b"II*\x00", "image/tiff"),
          (b"MM\x00*", "image/tiff"))
FALLBACK = "application/octet-stream"
# every type media_type() names but the fallback (the original file route declares them)
SERVED = tuple(dict.fromkeys([*_BY_KIND.values(), "audio/wav", "audio/mp4", *(name for _, name in _AUDIO),
                              "image/webp", *(name for _, name in _IMAGE)]))


def media_type(kind: DocumentKind, head: bytes) -> str:
    """E.g. "audio/ogg" for an Ogg recording, "image/webp", "application/pdf"; the magic numbers are
    those domain.file_kinds sniffed the kind from."""
    if kind is DocumentKind.AUDIO:
        if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
            return "audio/wav"
        if head[4:8] == b"ftyp":
            return "audio/mp4"
        return next((name for magic, name in _AUDIO if head.startswith(magic)), "audio/mpeg")  # an MPEG frame
    if kind is DocumentKind.IMAGE:
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            return "image/webp"
        return next((name for magic, name in _IMAGE if head.startswith(magic)), FALLBACK)
    return _BY_KIND.get(kind, FALLBACK)


def plays_inline(media: str) -> bool:
    """Whether a browser may show the file itself (a recording, a picture); anything else is a download."""
    return media.startswith(("audio/", "image/")) and media != "image/tiff"
