"""Guards for OOXML (zip) packages, checked on the central directory before anything is inflated.

A zip bomb is refused from its declared sizes: entry count, total uncompressed size, and the
compression ratio of any large entry. CPython's zipfile stops reading an entry at its declared
size (and checks the CRC), so a directory that lies about sizes cannot inflate more than it
declares. XML parts may not carry a DTD: OOXML never needs one, and a DTD is how entity
expansion ("billion laughs") and external entities (XXE) start; only the first bytes of each
part are inflated to check."""

from __future__ import annotations

import io
import zipfile
import zlib

import attrs

from domain.errors import FileCorrupt, HostileFile

_HEAD_BYTES = 4096


@attrs.frozen(kw_only=True)
class ZipLimits:
    max_entries: int = 10_000
    max_total_bytes: int = 512 * 1024 * 1024
    max_ratio: float = 200.0
    ratio_floor_bytes: int = 1024 * 1024  # smaller entries may compress as well as they like


def open_zip(data: bytes, limits: ZipLimits = ZipLimits()) -> zipfile.ZipFile:
    """The package, checked; FileCorrupt when it is not a readable zip, HostileFile for a bomb."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        infos = package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, zlib.error, NotImplementedError) as error:  # `make fuzz`
        raise FileCorrupt("The file is damaged or truncated (its zip structure cannot be read).") from error
    check_sizes(infos, limits)
    reject_dtds(package)
    return package


def check_sizes(infos: list[zipfile.ZipInfo], limits: ZipLimits) -> None:
    if len(infos) > limits.max_entries:
        raise HostileFile(f"The package has {len(infos)} parts (at most {limits.max_entries} are accepted).")
    total = sum(info.file_size for info in infos)
    if total > limits.max_total_bytes:
        raise HostileFile(f"The package would unpack to {total / 2**20:.0f} MiB "
                          f"(at most {limits.max_total_bytes / 2**20:.0f} MiB are accepted).")
    for info in infos:
        if info.file_size > limits.ratio_floor_bytes and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise HostileFile(f"The part {info.filename!r} is compressed {info.file_size / max(info.compress_size, 1):.0f}"
                              " times, the mark of a zip bomb; the file was not unpacked.")


def reject_dtds(package: zipfile.ZipFile) -> None:
    for info in package.infolist():
        if not info.filename.endswith((".xml", ".rels")):
            continue
        try:
            with package.open(info) as part:
                head = part.read(_HEAD_BYTES)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error, NotImplementedError) as error:
            raise FileCorrupt(f"The part {info.filename!r} is damaged.") from error
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            raise HostileFile(f"The part {info.filename!r} declares XML entities (a DTD), which documents "
                              "never need; the file was refused.")
