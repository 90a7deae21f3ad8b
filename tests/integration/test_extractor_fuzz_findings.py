"""Regressions for what `make fuzz` found: each damaged file is refused with a domain error (or read
as far as it can be), never an internal error."""

from __future__ import annotations

import io
import zipfile

import pytest

from adapters.extractors.docx import DocxExtractor
from adapters.extractors.pdf import PdfExtractor
from adapters.extractors.pdf_tables import plumber_tables
from adapters.extractors.xlsx import XlsxExtractor
from domain.documents import DocumentKind
from domain.errors import FileCorrupt
from tests.corpus import corpus_path

_PAGE_NOT_A_DICTIONARY = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >> endobj\n"
    b"4 0 obj 42 endobj\ntrailer << /Root 1 0 R >>\n%%EOF"
)


def test_a_page_pdfium_cannot_load_is_file_corrupt() -> None:
    with pytest.raises(FileCorrupt, match="one of its pages cannot be read"):
        PdfExtractor().extract(_PAGE_NOT_A_DICTIONARY, kind=DocumentKind.PDF)


def _repacked(relative: str) -> bytes:
    source = zipfile.ZipFile(corpus_path(relative))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name in source.namelist():
            package.writestr(name, source.read(name))
    return buffer.getvalue()


def test_a_package_needing_an_unknown_zip_version_is_file_corrupt() -> None:
    data = bytearray(_repacked("docx/blk-paras-and-tables.docx"))
    central = data.find(b"PK\x01\x02")
    data[central + 6:central + 8] = (84).to_bytes(2, "little")  # "version needed to extract": 8.4
    with pytest.raises(FileCorrupt):
        DocxExtractor().extract(bytes(data), kind=DocumentKind.DOCX)


@pytest.mark.parametrize("relative", ["xlsx/55906-MultiSheetRefs.xlsx", "docx/heading123.docx"])
def test_a_part_whose_deflate_stream_is_damaged_is_file_corrupt(relative: str) -> None:
    data = bytearray(_repacked(relative))
    package = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = next(i for i in package.infolist() if i.filename.endswith(".xml") and i.compress_size > 64)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start:start + 8] = b"\xff" * 8  # an invalid block: zlib.error, not a CRC mismatch
    kind = DocumentKind.XLSX if relative.endswith("xlsx") else DocumentKind.DOCX
    extractor = XlsxExtractor() if kind is DocumentKind.XLSX else DocxExtractor()
    with pytest.raises(FileCorrupt):
        extractor.extract(bytes(data), kind=kind)


def test_pdfminer_failing_on_a_page_leaves_it_without_tables() -> None:
    assert plumber_tables(_PAGE_NOT_A_DICTIONARY, [1]) == {}
