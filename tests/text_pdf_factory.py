"""Hand-written PDFs with a text layer for the citation viewer's tests: a page of any size (and
/Rotate) with lines of Helvetica text, optionally over an image of any declared pixel size (a
flate stream of one repeated byte, so a 40,000 x 40,000 image is a few hundred KB)."""

from __future__ import annotations

import zlib

from tests.pdf_factory import _big_flate

FONT_SIZE = 12


def text_page_pdf(width_pt: float, height_pt: float, lines: list[str], *, rotate: int = 0,
                  image_px: tuple[int, int] | None = None, top_pt: float = 72.0) -> bytes:
    """One page with ``lines`` from ``top_pt`` below the top edge, at x = 36 pt, 16 pt apart."""
    text = " ".join(f"({_escaped(line)}) Tj 0 -16 Td" for line in lines)
    content = f"BT /F1 {FONT_SIZE} Tf 36 {height_pt - top_pt} Td {text} ET"
    resources = "/Font << /F1 5 0 R >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        None,  # the page, once the resources are known
        None,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    if image_px is not None:
        width_px, height_px = image_px
        size = width_px * height_px
        pixels = zlib.compress(b"\x80" * size, 9) if size <= 1 << 24 else _big_flate(size)
        objects.append(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                       b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
                       % (width_px, height_px, len(pixels), pixels))
        resources += " /XObject << /Im0 6 0 R >>"
        content = f"q {width_pt} 0 0 {height_pt} 0 0 cm /Im0 Do Q " + content
    objects[2] = (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width_pt} {height_pt}] /Rotate {rotate} "
                  f"/Resources << {resources} >> /Contents 4 0 R >>").encode()
    objects[3] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content.encode("latin-1"))
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


def _escaped(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
