"""Sniffing a file's kind from its bytes. The filename only tells text sub-types apart."""

from __future__ import annotations

import io
import zipfile

from domain.documents import DocumentKind
from domain.errors import FileCorrupt, PasswordRequired, UnsupportedFileType

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")  # a CFB directory entry's name
_IMAGE_MAGICS = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*")
_AUDIO_MAGICS = (b"OggS", b"fLaC", b"ID3", b"\x1a\x45\xdf\xa3")
_TEXT_SUFFIXES = {".md": DocumentKind.MARKDOWN, ".markdown": DocumentKind.MARKDOWN, ".csv": DocumentKind.CSV}
_TEXT_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def sniff_kind(data: bytes, filename: str = "") -> DocumentKind:
    """Return the kind of ``data``; raise PasswordRequired (an encrypted .docx/.xlsx) or
    UnsupportedFileType (a legacy .doc/.xls, or nothing we read) otherwise."""
    head = data[:16]
    if head.startswith(b"%PDF-"):
        return DocumentKind.PDF
    if head.startswith(b"PK\x03\x04"):  # before the loose PDF search: a zip may store a PDF near its start
        return _sniff_zip(data)
    if b"%PDF-" in data[:1024]:  # readers accept a header after up to 1 KiB of junk
        return DocumentKind.PDF
    if is_encrypted_office(data):
        raise PasswordRequired("This Word/Excel file is protected by a password; upload it again with its password.")
    if head.startswith(_CFB_MAGIC):
        raise UnsupportedFileType(
            "This is an old binary Office file (.doc/.xls/.ppt): save it as .docx or .xlsx and send it again."
        )
    if head.startswith(_IMAGE_MAGICS) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return DocumentKind.IMAGE  # before audio: a JPEG's first byte looks like an MPEG frame's
    if _is_audio(head):
        return DocumentKind.AUDIO
    if _looks_like_text(data[:8192]):
        suffix = filename[filename.rfind(".") :].lower() if "." in filename else ""
        return _TEXT_SUFFIXES.get(suffix, DocumentKind.TEXT)
    raise UnsupportedFileType(
        "Unsupported file type: send a PDF, Excel (.xlsx), Word (.docx), text, Markdown, CSV, image "
        "(JPEG, PNG, WebP, TIFF) or audio file."
    )


def is_encrypted_office(data: bytes) -> bool:
    """A password-protected .docx/.xlsx: an OLE2 (CFB) container holding an "EncryptedPackage"."""
    return data.startswith(_CFB_MAGIC) and _ENCRYPTED_PACKAGE in data


def _sniff_zip(data: bytes) -> DocumentKind:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())  # reads the directory only
    except (zipfile.BadZipFile, ValueError) as error:
        raise FileCorrupt("The file is a damaged or truncated archive (a .docx/.xlsx cut short?).") from error
    if "word/document.xml" in names:
        return DocumentKind.DOCX
    if "xl/workbook.xml" in names:
        return DocumentKind.XLSX
    raise UnsupportedFileType(
        "This archive is not a Word (.docx) or Excel (.xlsx) document, or it is damaged."
    )


def _is_audio(head: bytes) -> bool:
    if head.startswith(_TEXT_BOMS):  # b"\xff\xfe" (UTF-16 LE text) also looks like an MPEG frame sync
        return False
    if head.startswith(_AUDIO_MAGICS):
        return True
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return True
    if head[4:8] == b"ftyp":  # MP4/M4A audio
        return True
    return len(head) > 1 and head[0] == 0xFF and (head[1] & 0xE0) == 0xE0  # MPEG audio frame


def _looks_like_text(sample: bytes) -> bool:
    if sample.startswith(_TEXT_BOMS):
        return True
    if b"\x00" in sample:
        return False
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls <= len(sample) // 100
