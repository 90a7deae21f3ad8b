"""Photos sent together (a Telegram album) as one PDF, a page per photo, the JPEG bytes embedded
as they are: nothing is decoded here (the PDF extractor reads the pages by OCR later, in its
memory-capped child process, under the pixel caps)."""

from __future__ import annotations

import io
import threading

import pypdfium2

from domain.errors import FileCorrupt, HostileFile

PAGE_DPI = 200  # the page size given to each photo (it sets the resolution OCR renders it at)
MAX_PHOTOS = 100
_JPEG = b"\xff\xd8\xff"
_PDFIUM = threading.Lock()  # pdfium is not thread-safe


def photos_to_pdf(photos: list[bytes], *, max_image_pixels: int = 100_000_000) -> bytes:
    """A PDF with one page per JPEG photo, in order; FileCorrupt for a photo that is not a JPEG,
    HostileFile for one declaring more than ``max_image_pixels``."""
    if not photos or len(photos) > MAX_PHOTOS:
        raise FileCorrupt(f"An album holds 1 to {MAX_PHOTOS} photos.")
    with _PDFIUM:
        pdf = pypdfium2.PdfDocument.new()
        try:
            for number, photo in enumerate(photos, start=1):
                if not photo.startswith(_JPEG):
                    raise FileCorrupt(f"Photo {number} of the album is not a JPEG.")
                image = pypdfium2.PdfImage.new(pdf)
                try:
                    image.load_jpeg(io.BytesIO(photo), inline=True)  # the header is read, the pixels are not
                    width, height = image.get_px_size()
                except (pypdfium2.PdfiumError, OSError) as error:
                    raise FileCorrupt(f"Photo {number} of the album is damaged.") from error
                if not (width and height):
                    raise FileCorrupt(f"Photo {number} of the album is damaged.")
                if width * height > max_image_pixels:
                    raise HostileFile(f"Photo {number} of the album is {width:,} x {height:,} pixels, over the "
                                      f"{max_image_pixels / 1e6:,.0f} megapixels a photo may have.")
                page_width, page_height = width * 72 / PAGE_DPI, height * 72 / PAGE_DPI
                page = pdf.new_page(page_width, page_height)
                image.set_matrix(pypdfium2.PdfMatrix().scale(page_width, page_height))
                page.insert_obj(image)
                page.gen_content()
                page.close()
            buffer = io.BytesIO()
            pdf.save(buffer)
            return buffer.getvalue()
        finally:
            pdf.close()
