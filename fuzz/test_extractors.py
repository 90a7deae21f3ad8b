"""Hypothesis over mutated corpus files, through every document extractor (PDF without OCR, XLSX,
DOCX, text/Markdown/CSV, images decoded for a stand-in OCR): each mutant is read or refused with a domain error; any other exception
is a finding. Zip packages are mutated inside (one part's bytes changed, the package written
again), so the XML parsers see the damage instead of a failed CRC.

FUZZ_EXAMPLES (default 400) mutants per seed family; `make fuzz` runs a few minutes."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.extractors.docx import DocxExtractor
from adapters.extractors.image import ImageExtractor
from adapters.extractors.pdf import PdfExtractor
from adapters.extractors.sheet_caps import SheetCaps
from adapters.extractors.text import PlainTextExtractor
from adapters.extractors.xlsx import XlsxExtractor
from application.ports.extractor import Budget, ExtractionLimits
from domain.documents import DocumentKind
from domain.errors import DomainError
from tests.corpus import corpus_path

SEEDS = {
    DocumentKind.PDF: ["pdf/text/pdflatex-4-pages.pdf", "pdf/tables/la-precinct-bulletin-2014-p1.pdf",
                       "pdf/tables/senate-expenditures.pdf", "pdf/encrypted/r2-owner-password.pdf",
                       "pdf/corrupt/malformed-from-issue-932.pdf", "pdf/scanned/imagemagick-images.pdf",
                       "hostile/hugemono.pdf"],
    DocumentKind.XLSX: ["xlsx/55906-MultiSheetRefs.xlsx", "xlsx/simple-monthly-budget.xlsx",
                        "xlsx/DataTableCities.xlsx", "hostile/poc-xmlbomb.xlsx"],
    DocumentKind.DOCX: ["docx/blk-paras-and-tables.docx", "docx/heading123.docx", "hostile/ExternalEntityInText.docx"],
    DocumentKind.MARKDOWN: ["groundtruth/linn.txt"],
    DocumentKind.CSV: [],
    DocumentKind.IMAGE: ["images/baiona.png", "images/baiona_alpha.png", "images/baiona_colormapped.png",
                         "images/baiona_cmyk.jpg", "images/baiona_color.jpg"],
}


class _DecodeOnlyOcr:
    """Every frame is decoded, converted and encoded for OCR; Tesseract itself is not run."""

    def available(self) -> bool:
        return True

    def image_to_text(self, png: bytes, *, timeout: float | None = None) -> str:
        return "text"

_CSV_SEED = b"name;amount;date\nalpha;1,5;2024-01-02\n\"be\"\"ta\";2;2024-02-03\ngamma;;\n"
EXTRACTORS = {DocumentKind.PDF: PdfExtractor(), DocumentKind.XLSX: XlsxExtractor(SheetCaps(max_rows=5000)),
              DocumentKind.DOCX: DocxExtractor(), DocumentKind.MARKDOWN: PlainTextExtractor(),
              DocumentKind.CSV: PlainTextExtractor(), DocumentKind.IMAGE: ImageExtractor(_DecodeOnlyOcr())}
LIMITS = ExtractionLimits(max_pages=200, max_characters=2_000_000, max_seconds=30)


def _seeds(kind: DocumentKind) -> list[bytes]:
    seeds = [corpus_path(relative).read_bytes() for relative in SEEDS[kind]]
    return seeds + ([_CSV_SEED] if kind is DocumentKind.CSV else [])


mutation = st.one_of(
    st.tuples(st.just("flip"), st.floats(0, 1), st.integers(0, 255)),
    st.tuples(st.just("insert"), st.floats(0, 1), st.binary(min_size=1, max_size=64)),
    st.tuples(st.just("delete"), st.floats(0, 1), st.integers(1, 4096)),
    st.tuples(st.just("repeat"), st.floats(0, 1), st.integers(1, 2000)),
    st.tuples(st.just("truncate"), st.floats(0, 1), st.just(0)),
    st.tuples(st.just("number"), st.floats(0, 1), st.sampled_from([b"0", b"-1", b"99999999", b"1e308", b"2147483648"])),
)


def mutate(data: bytes, mutations: list[tuple]) -> bytes:
    out = bytearray(data)
    for op, where, arg in mutations:
        at = int(where * len(out))
        if op == "flip" and out:
            out[min(at, len(out) - 1)] ^= arg or 1
        elif op == "insert":
            out[at:at] = arg
        elif op == "delete":
            del out[at:at + arg]
        elif op == "repeat":
            out[at:at] = bytes(out[at:at + 16]) * arg
        elif op == "truncate":
            del out[at:]
        elif op == "number":  # a digit run replaced: sizes, counts, offsets, dimensions
            end = at
            while end < len(out) and 48 <= out[end] <= 57:
                end += 1
            out[at:end] = arg
    return bytes(out)


def mutate_package(data: bytes, part: float, mutations: list[tuple]) -> bytes:
    """One part of a zip package mutated, the package written again (its CRCs right)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    target = names[int(part * len(names)) % len(names)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name in names:
            body = source.read(name)
            package.writestr(name, mutate(body, mutations) if name == target else body)
    return buffer.getvalue()


def check(kind: DocumentKind, data: bytes) -> None:
    try:
        EXTRACTORS[kind].extract(data, kind=kind, budget=Budget(LIMITS))
    except (DomainError, MemoryError):  # MemoryError: in a worker, the child's file_too_complex
        pass


@pytest.mark.parametrize("kind", list(EXTRACTORS), ids=lambda k: k.value)
def test_a_mutated_file_is_read_or_refused_with_a_domain_error(kind: DocumentKind) -> None:
    seeds = _seeds(kind)
    zipped = kind in (DocumentKind.XLSX, DocumentKind.DOCX)

    @given(seed=st.sampled_from(range(len(seeds))), inside=st.booleans(), part=st.floats(0, 1),
           mutations=st.lists(mutation, min_size=1, max_size=6))
    def run(seed: int, inside: bool, part: float, mutations: list[tuple]) -> None:
        data = seeds[seed]
        check(kind, mutate_package(data, part, mutations) if zipped and inside else mutate(data, mutations))

    run()
