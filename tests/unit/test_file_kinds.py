"""Sniffing a file's kind from its bytes; the name only tells text sub-types apart."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from domain.documents import DocumentKind
from domain.errors import FileCorrupt, PasswordRequired, UnsupportedFileType
from domain.file_kinds import is_encrypted_office, sniff_kind
from tests.corpus import corpus_path


def corpus_file(relative: str) -> bytes:
    return corpus_path(relative).read_bytes()


def make_zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


def wav_header() -> bytes:
    return b"RIFF" + struct.pack("<I", 36) + b"WAVEfmt " + b"\x10\x00\x00\x00\x01\x00\x01\x00" + b"\x00" * 16


@pytest.mark.parametrize(
    ("data", "filename", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "report.pdf", DocumentKind.PDF),
        (b"%PDF-1.4 whatever", "no-extension", DocumentKind.PDF),
        (make_zip("[Content_Types].xml", "word/document.xml"), "letter.docx", DocumentKind.DOCX),
        (make_zip("[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"), "book.xlsx",
         DocumentKind.XLSX),
        (make_zip("[Content_Types].xml", "word/document.xml"), "renamed.pdf", DocumentKind.DOCX),
        (make_zip("xl/workbook.xml"), "renamed.docx", DocumentKind.XLSX),
        (b"OggS\x00\x02" + b"\x00" * 20, "voice.ogg", DocumentKind.AUDIO),
        (wav_header(), "memo.wav", DocumentKind.AUDIO),
        (b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\x00" * 20, "song.mp3", DocumentKind.AUDIO),
        (b"\xff\xfb\x90\x64" + b"\x00" * 20, "frames.mp3", DocumentKind.AUDIO),
        (b"fLaC\x00\x00\x00\x22", "a.flac", DocumentKind.AUDIO),
        (b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00", "a.m4a", DocumentKind.AUDIO),
        (b"Plain text\nwith lines\n", "notes.txt", DocumentKind.TEXT),
        (b"Plain text\n", "no-extension", DocumentKind.TEXT),
        ("Привет, мир".encode(), "hello.TXT", DocumentKind.TEXT),
        (b"# Title\n\n- item\n", "README.md", DocumentKind.MARKDOWN),
        (b"# Title\n", "notes.Markdown", DocumentKind.MARKDOWN),
        (b"a,b,c\n1,2,3\n", "table.csv", DocumentKind.CSV),
        (b"a,b,c\n1,2,3\n", "table.CSV", DocumentKind.CSV),
        (b"\xff\xfe" + "a;b\n".encode("utf-16-le"), "export.csv", DocumentKind.CSV),  # UTF-16 LE
        (b"\xfe\xff" + "a;b\n".encode("utf-16-be"), "export.csv", DocumentKind.CSV),  # UTF-16 BE
        ("Итого\n".encode("utf-8-sig"), "sum.txt", DocumentKind.TEXT),
        (b"a,b\n", "archive.tar.gz.csv", DocumentKind.CSV),
    ],
)
def test_sniff_kind(data: bytes, filename: str, kind: DocumentKind) -> None:
    assert sniff_kind(data, filename) is kind


def test_pdf_header_after_some_junk_is_still_pdf() -> None:
    assert sniff_kind(b"\r\n\r\n%PDF-1.4\n1 0 obj", "x.pdf") is DocumentKind.PDF


def test_a_docx_storing_a_pdf_first_is_still_a_docx() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("word/media/attachment.pdf", b"%PDF-1.7\n%%EOF")
        archive.writestr("word/document.xml", "<w:document/>")
    assert sniff_kind(buffer.getvalue(), "letter.docx") is DocumentKind.DOCX


def test_a_text_file_named_pdf_is_text_not_pdf() -> None:
    assert sniff_kind(b"just some words", "fake.pdf") is DocumentKind.TEXT


def test_cfb_magic_without_an_encrypted_package_is_a_legacy_office_file() -> None:
    with pytest.raises(UnsupportedFileType, match=r"\.doc/\.xls") as caught:
        sniff_kind(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "secret.docx")
    assert caught.value.code == "unsupported_file_type"


@pytest.mark.parametrize(
    "data",
    [
        make_zip(),  # an empty zip (end-of-directory record only)
        make_zip("[Content_Types].xml"),  # an OOXML package that is neither docx nor xlsx
        make_zip("photo.jpg", "notes.txt"),
        b"\x00\x01\x02\x03binary\x00stuff\x00",
        b"MZ\x90\x00\x03\x00\x00\x00",
        bytes(range(256)),
    ],
)
def test_unsupported_bytes(data: bytes) -> None:
    with pytest.raises(UnsupportedFileType) as caught:
        sniff_kind(data, "file.txt")
    assert caught.value.code == "unsupported_file_type"


@pytest.mark.parametrize(("head", "name"), [
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "receipt.mp3"),  # a JPEG, whatever its name (and not an MPEG frame)
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "scan.txt"),
    (b"RIFF\x10\x00\x00\x00WEBPVP8 ", "photo.wav"),  # RIFF, but not a WAVE
    (b"II*\x00\x08\x00\x00\x00", "pages.tif"),
    (b"MM\x00*\x00\x00\x00\x08", "pages.tiff"),
])
def test_images_are_sniffed_from_their_bytes(head: bytes, name: str) -> None:
    assert sniff_kind(head + b"\x00" * 64, name) is DocumentKind.IMAGE


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=1, max_size=2048))
def test_random_binary_with_nuls_is_unsupported(blob: bytes) -> None:
    data = b"\x00\x01" + blob  # leading NUL: no magic can match
    assume(b"%PDF-" not in data[:1024])
    with pytest.raises(UnsupportedFileType):
        sniff_kind(data, "notes.txt")


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=300),
       st.sampled_from(["a.txt", "b.md", "c.csv", "d", "e.pdf"]))
def test_sniffing_utf8_text_never_raises_for_printable_text(text: str, filename: str) -> None:
    printable = "".join(ch for ch in text if ch.isprintable() or ch in "\n\t")
    assume(printable and not printable.startswith(("%PDF-", "OggS", "ID3", "fLaC", "RIFF")))
    assume("%PDF-" not in printable)
    data = printable.encode()
    assume(not (len(data) > 1 and data[0] == 0xFF) and data[4:8] != b"ftyp")
    assert sniff_kind(data, filename) in {DocumentKind.TEXT, DocumentKind.MARKDOWN, DocumentKind.CSV}


# --- the shared corpus ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["heading123.docx", "blk-paras-and-tables.docx", "IllustrativeCases.docx"])
def test_corpus_docx(name: str) -> None:
    assert sniff_kind(corpus_file(f"docx/{name}"), name) is DocumentKind.DOCX


@pytest.mark.parametrize("name", ["simple-monthly-budget.xlsx", "55906-MultiSheetRefs.xlsx", "AverageTaxRates.xlsx"])
def test_corpus_xlsx(name: str) -> None:
    assert sniff_kind(corpus_file(f"xlsx/{name}"), name) is DocumentKind.XLSX


def test_corpus_pdf() -> None:
    assert sniff_kind(corpus_file("pdf/text/pdflatex-4-pages.pdf"), "x.pdf") is DocumentKind.PDF


def test_corpus_docx_renamed_pdf_sniffs_as_docx() -> None:
    assert sniff_kind(corpus_file("pdf/corrupt/docx-renamed.pdf"), "docx-renamed.pdf") is DocumentKind.DOCX


@pytest.mark.parametrize("path", ["docx/bug53475-password-is-pass.docx", "xlsx/protected_passtika.xlsx"])
def test_corpus_password_protected_office_files_need_their_password(path: str) -> None:
    assert is_encrypted_office(corpus_file(path))
    with pytest.raises(PasswordRequired):
        sniff_kind(corpus_file(path), Path(path).name)


def test_a_broken_zip_is_corrupt_not_unsupported() -> None:
    """A truncated .docx/.xlsx (its central directory is lost) is reported as damaged."""
    with pytest.raises(FileCorrupt):
        sniff_kind(b"PK\x03\x04" + b"\x00" * 40, "report.docx")
