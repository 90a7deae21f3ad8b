"""Images for the image-document tests: corpus files re-encoded, several as one multi-page TIFF,
and PNGs that declare any size while holding almost nothing (what a decompression bomb looks
like to a reader that trusts the header)."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

from tests.corpus import corpus_path


def saved(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def corpus_jpeg(relative: str, quality: int = 90) -> bytes:
    """A corpus image as a JPEG, the way Telegram sends photos."""
    return saved(Image.open(corpus_path(relative)).convert("RGB"), "JPEG", quality=quality)


def corpus_tiff(*relatives: str) -> bytes:
    """Corpus images as the pages of one grayscale TIFF, in order."""
    pages = [Image.open(corpus_path(relative)).convert("L") for relative in relatives]
    return saved(pages[0], "TIFF", save_all=True, append_images=pages[1:], compression="tiff_deflate")


def declared_png(width: int, height: int) -> bytes:
    """A PNG whose header declares ``width`` x ``height`` and whose data is one tiny compressed row."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")
