"""Hand-written PDFs with a text layer for the citation viewer's tests: a page of any size (and
/Rotate) with lines of Helvetica text, optionally over an image of any declared pixel size (a
flate stream of one repeated byte, so a 40,000 x 40,000 image is a few hundred KB)."""

from __future__ import annotations

from tests.pdf_factory import grey_flate, pdf_file

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
        pixels = grey_flate(width_px * height_px)
        objects.append(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                       b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
                       % (width_px, height_px, len(pixels), pixels))
        resources += " /XObject << /Im0 6 0 R >>"
        content = f"q {width_pt} 0 0 {height_pt} 0 0 cm /Im0 Do Q " + content
    objects[2] = (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width_pt} {height_pt}] /Rotate {rotate} "
                  f"/Resources << {resources} >> /Contents 4 0 R >>").encode()
    objects[3] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content.encode("latin-1"))
    return pdf_file(objects)


def _escaped(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
