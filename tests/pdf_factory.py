"""Tiny hand-written PDFs for the resource-limit tests: a page of any size holding one image of
any pixel size (a few hundred bytes: the image is a flate stream of one repeated byte).

``image_page_pdf(14400, 14400)`` is the issue-13 upload: an 800-byte file whose one textless page
is 200 x 200 inches, read by OCR (an image covers it)."""

from __future__ import annotations

import zlib


def image_page_pdf(width_pt: float, height_pt: float, *, image_px: tuple[int, int] = (1, 1)) -> bytes:
    """One page ``width_pt`` x ``height_pt`` points covered by a grey image of ``image_px`` pixels."""
    width_px, height_px = image_px
    pixels = grey_flate(width_px * height_px)
    content = f"q {width_pt} 0 0 {height_pt} 0 0 cm /Im0 Do Q".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width_pt} {height_pt}] "
        f"/Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>".encode(),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
        % (width_px, height_px, len(pixels), pixels),
    ]
    return pdf_file(objects)


def pdf_file(objects: list[bytes]) -> bytes:
    """A PDF of ``objects`` (object 1 the catalog), numbered from 1, with its cross-reference table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def grey_flate(size: int) -> bytes:
    """``size`` bytes of 0x80 deflated (a grey image's samples), large ones without holding them in memory."""
    return zlib.compress(b"\x80" * size, 9) if size <= 1 << 24 else _big_flate(size)


def _big_flate(size: int) -> bytes:
    """``size`` bytes of 0x80 deflated without holding them in memory."""
    compressor = zlib.compressobj(9)
    block = b"\x80" * (1 << 20)
    parts = [compressor.compress(block) for _ in range(size >> 20)]
    parts.append(compressor.compress(b"\x80" * (size & ((1 << 20) - 1))))
    return b"".join(parts) + compressor.flush()
