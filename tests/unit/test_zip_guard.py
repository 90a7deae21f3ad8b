"""Zip guards: decided from the central directory, before anything is inflated (hypothesis)."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.extractors.zip_guard import ZipLimits, open_zip
from domain.errors import FileCorrupt, HostileFile


def make_zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return buffer.getvalue()


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.from_regex(r"[a-z]{1,8}\.(bin|txt)", fullmatch=True), st.binary(max_size=2000),
                       max_size=12))
def test_small_packages_pass_and_open(parts: dict[str, bytes]) -> None:
    package = open_zip(make_zip(parts))
    assert {info.filename for info in package.infolist()} == set(parts)


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=1, max_value=30), st.integers(min_value=0, max_value=30))
def test_entry_count_cap_is_exact(limit: int, count: int) -> None:
    data = make_zip({f"p{i}.txt": b"x" for i in range(count)})
    if count > limit:
        with pytest.raises(HostileFile):
            open_zip(data, ZipLimits(max_entries=limit))
    else:
        open_zip(data, ZipLimits(max_entries=limit))


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=1, max_value=64))
def test_total_size_cap(kib: int) -> None:
    data = make_zip({"a.bin": bytes(kib * 1024)})
    limits = ZipLimits(max_total_bytes=32 * 1024, ratio_floor_bytes=10**9)
    if kib * 1024 > limits.max_total_bytes:
        with pytest.raises(HostileFile):
            open_zip(data, limits)
    else:
        open_zip(data, limits)


def test_a_highly_compressed_large_part_is_refused_without_reading_it() -> None:
    data = make_zip({"word/document.bin": bytes(4 * 1024 * 1024)})  # 4 MiB of zeros: ratio ~1000
    with pytest.raises(HostileFile, match="compressed"):
        open_zip(data)


@pytest.mark.parametrize("xml", [b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
                                 b'<!DOCTYPE x SYSTEM "file:///etc/passwd"><x/>'])
def test_xml_parts_with_a_dtd_are_refused(xml: bytes) -> None:
    with pytest.raises(HostileFile, match="DTD"):
        open_zip(make_zip({"xl/sharedStrings.xml": xml}))


@given(st.binary(max_size=200))
def test_garbage_is_corrupt_not_a_crash(data: bytes) -> None:
    try:
        open_zip(data)
    except FileCorrupt:
        pass
