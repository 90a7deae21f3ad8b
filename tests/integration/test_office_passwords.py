"""Password-protected .docx/.xlsx (OOXML inside an OLE2 EncryptedPackage) through UploadDocument
and ProcessDocument: opened with the upload's password (the stored copy is the decrypted package),
password_required without it or with a wrong one, and the decrypted package still meets the zip
guards. Files: the corpus's two encrypted files, and packages encrypted here with msoffcrypto."""

from __future__ import annotations

import io

import docx
import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from adapters.extractors.docx import DocxExtractor
from adapters.extractors.office_crypto import decrypt_office
from adapters.extractors.pdf import PdfExtractor
from adapters.extractors.registry import ExtractorMap
from adapters.extractors.xlsx import XlsxExtractor
from application.use_cases.process_document import ProcessDocument
from application.use_cases.upload_document import UploadDocument, UploadDocumentCommand
from domain.errors import DomainError, FileCorrupt, FileTooComplex, PasswordRequired
from domain.users import Tier
from tests.corpus import corpus_path
from tests.unit.conftest import World


def upload_and_process(data: bytes, filename: str, password: str | None = None):  # noqa: ANN201
    """(outcome code or status, chunk texts, stored bytes)."""
    world = World()
    world.extractors = ExtractorMap([PdfExtractor(), XlsxExtractor(), DocxExtractor()])
    user = world.add_user(tier=Tier.PREMIUM)
    upload = UploadDocument(uow=world.uow, storage=world.storage, queue=world.queue, extractors=world.extractors,
                            tiers=world.tiers, clock=world.clock)
    try:
        document = upload(UploadDocumentCommand(user_id=user.id, filename=filename, data=data,
                                                password=password)).document
    except DomainError as error:
        return error.code, [], None
    ProcessDocument(uow=world.uow, storage=world.storage, extractors=world.extractors, notifier=world.notifier,
                    clock=world.clock, tiers=world.tiers)(document.id)
    document = world.document(document.id)
    texts = [c.text for c in world.store.chunks.get(document.id, [])]
    return document.error_code or document.status.value, texts, world.storage.get(document.storage_key)


def encrypt(package: bytes, password: str) -> bytes:
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(package)).encrypt(password, out)
    return out.getvalue()


@pytest.mark.parametrize(("relative", "password", "needle"), [
    ("docx/bug53475-password-is-pass.docx", "pass", "a password protected document"),
    ("xlsx/protected_passtika.xlsx", "tika", "Sheet"),
])
def test_corpus_encrypted_office_files_open_with_their_password(relative: str, password: str, needle: str) -> None:
    data = corpus_path(relative).read_bytes()
    outcome, texts, stored = upload_and_process(data, relative.split("/")[-1], password)
    assert outcome == "completed"
    assert stored.startswith(b"PK\x03\x04")  # the decrypted package is kept, never the password
    assert needle in "\n".join(texts)


@pytest.mark.parametrize("password", [None, "wrong"])
@pytest.mark.parametrize("relative", ["docx/bug53475-password-is-pass.docx", "xlsx/protected_passtika.xlsx"])
def test_without_or_with_a_wrong_password_the_upload_asks_for_it(relative: str, password: str | None) -> None:
    outcome, _, _ = upload_and_process(corpus_path(relative).read_bytes(), "locked.docx", password)
    assert outcome == "password_required"


def test_a_docx_encrypted_with_msoffcrypto_round_trips() -> None:
    document = docx.Document()
    document.add_heading("Payment terms", level=1)
    document.add_paragraph("Invoices are due within 30 days.")
    plain = io.BytesIO()
    document.save(plain)
    locked = encrypt(plain.getvalue(), "s3cret")
    assert decrypt_office(locked, "s3cret") == plain.getvalue()
    outcome, texts, _ = upload_and_process(locked, "terms.docx", "s3cret")
    assert outcome == "completed"
    assert any("Invoices are due within 30 days." in t for t in texts)
    with pytest.raises(PasswordRequired):
        decrypt_office(locked, "S3cret")


def test_a_decrypted_zip_bomb_is_still_refused() -> None:
    locked = encrypt(corpus_path("hostile/zipbomb-256MiB.docx").read_bytes(), "boom")
    outcome, _, _ = upload_and_process(locked, "bomb.docx", "boom")
    assert outcome == "hostile_file"


def test_a_password_for_a_non_office_cfb_file_is_refused_clearly() -> None:
    with pytest.raises(FileCorrupt):
        decrypt_office(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le"),
                       "pw")


def test_a_file_demanding_too_many_hash_rounds_is_refused_before_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    from adapters.extractors import office_crypto

    monkeypatch.setattr(office_crypto, "MAX_SPIN_COUNT", 99_999)  # the corpus file uses Office's 100,000
    with pytest.raises(FileTooComplex):
        decrypt_office(corpus_path("docx/bug53475-password-is-pass.docx").read_bytes(), "pass")
