"""Password-protected Word/Excel files: OOXML encrypted into an OLE2 (CFB) "EncryptedPackage".

msoffcrypto-tool parses the container and decrypts; the key of an "agile" file is derived here
per MS-OFFCRYPTO 2.3.4.11, because msoffcrypto truncates the hash to the key size but does not
pad it with 0x36 when the hash is shorter (SHA-1 with a 256-bit AES key, as Apache POI's
bug53475 file has) and compares a SHA-1 verifier against its padded block. The password is
checked against the file's verifier before anything is decrypted (its hashing rounds are capped:
the file sets them); the decrypted package must pass the zip guards like any upload. The decrypted
output is never larger than the input."""

from __future__ import annotations

import io

from adapters.extractors.zip_guard import open_zip
from domain.errors import FileCorrupt, FileTooComplex, PasswordRequired, UnsupportedFileType

MAX_SPIN_COUNT = 1_000_000  # hash rounds of the password check; each costs ~1 us of CPU at upload
_WRONG = "The password for this file is wrong."


def decrypt_office(data: bytes, password: str) -> bytes:
    """The OOXML package inside ``data``; PasswordRequired when ``password`` is wrong."""
    import msoffcrypto
    from msoffcrypto import exceptions

    try:
        office = msoffcrypto.OfficeFile(io.BytesIO(data))
        encrypted = office.is_encrypted()
    except Exception as error:  # olefile and msoffcrypto raise OSError, FileFormatError, ParseError ...
        raise FileCorrupt("The Office file is damaged and cannot be read.") from error
    if not encrypted or getattr(office, "format", None) != "ooxml":
        raise UnsupportedFileType("Only password-protected .docx and .xlsx files can be opened with a password; "
                                  "save old .doc/.xls files as .docx/.xlsx.")
    if office.type == "agile" and not 0 < office.info.get("spinValue", 0) <= MAX_SPIN_COUNT:
        raise FileTooComplex(f"The file's password takes more than {MAX_SPIN_COUNT:,} hashing rounds to check "
                             "(Office uses 100,000); it was not opened.", limit=MAX_SPIN_COUNT)
    try:
        if office.type == "agile":
            office.load_key(secret_key=_agile_secret_key(office.info, password))
        else:
            office.load_key(password=password, verify_password=True)
        plain = io.BytesIO()
        office.decrypt(plain)
    except exceptions.InvalidKeyError as error:
        raise PasswordRequired(_WRONG) from error
    except Exception as error:  # DecryptionError, ValueError from a damaged key blob ...
        raise FileCorrupt("The password-protected Office file is damaged and cannot be decrypted.") from error
    package = plain.getvalue()
    open_zip(package).close()  # FileCorrupt (a wrong key decrypts to noise) or HostileFile
    return package


def _agile_secret_key(info: dict, password: str) -> bytes:
    from msoffcrypto.exceptions import InvalidKeyError
    from msoffcrypto.method import ecma376_agile as agile

    algorithm, salt = info["passwordHashAlgorithm"], info["passwordSalt"]
    hash_function = agile._get_hash_func(algorithm)  # noqa: SLF001 - msoffcrypto's own primitives
    size = info["passwordKeyBits"] // 8
    base = agile.ECMA376Agile._derive_iterated_hash_from_password(  # noqa: SLF001
        password, salt, algorithm, info["spinValue"]).digest()

    def key(block: bytes) -> bytes:
        return hash_function(base + block).digest()[:size].ljust(size, b"\x36")

    def decrypt(value: bytes, block: bytes) -> bytes:
        return agile._decrypt_aes_cbc(value, key(block), salt)  # noqa: SLF001

    verifier = hash_function(decrypt(info["encryptedVerifierHashInput"], agile.blkKey_VerifierHashInput)).digest()
    expected = decrypt(info["encryptedVerifierHashValue"], agile.blkKey_encryptedVerifierHashValue)
    if expected[:len(verifier)] != verifier:
        raise InvalidKeyError(_WRONG)
    return decrypt(info["encryptedKeyValue"], agile.blkKey_encryptedKeyValue)
