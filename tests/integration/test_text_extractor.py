import uuid

import pytest

from adapters.extractors.registry import ExtractorMap
from adapters.extractors.text import PlainTextExtractor
from domain.chunking import chunk_segments
from domain.documents import DocumentKind
from domain.errors import FileCorrupt, NoTextFound, UnsupportedFileType
from domain.locators import Locator
from tests.corpus import corpus_path

TEXT = "First paragraph, line one.\nLine two.\n\n\nSecond paragraph.\n"
RUSSIAN = ("Договор поставки № 15\n\nПоставщик обязуется передать товар покупателю в течение десяти дней.\n"
           "Оплата производится в рублях по курсу Центрального банка.")
FRENCH = "Le café est très bon.\n\nNous avons mangé une crème brûlée à côté de la fenêtre. Ça coûte cher."


def extract(data: bytes, kind: DocumentKind = DocumentKind.TEXT, progress=None):  # noqa: ANN001, ANN201
    return PlainTextExtractor().extract(data, kind=kind, progress=progress).segments


def test_utf8_paragraphs_with_lines() -> None:
    segments = extract(TEXT.encode())
    assert [s.text for s in segments] == ["First paragraph, line one.\nLine two.", "Second paragraph."]
    assert [s.locator for s in segments] == [
        Locator(paragraph=1, line_start=1, line_end=2), Locator(paragraph=2, line_start=5, line_end=5)]


def test_crlf_line_ends() -> None:
    segments = extract(TEXT.replace("\n", "\r\n").encode())
    assert [s.locator.line_start for s in segments] == [1, 5]
    assert "\r" not in segments[0].text


def test_utf8_bom_is_dropped() -> None:
    segments = extract(b"\xef\xbb\xbf" + "Привет, мир.".encode())
    assert segments[0].text == "Привет, мир."


@pytest.mark.parametrize("raw", [
    RUSSIAN.encode("utf-16"),  # BOM in native order
    b"\xfe\xff" + RUSSIAN.encode("utf-16-be"),
    b"\xff\xfe" + RUSSIAN.encode("utf-16-le"),
    RUSSIAN.encode("utf-32"),
], ids=["utf-16", "utf-16-be", "utf-16-le", "utf-32"])
def test_utf16_and_utf32_with_bom(raw: bytes) -> None:
    segments = extract(raw)
    assert [s.text for s in segments] == RUSSIAN.split("\n\n")
    assert segments[1].locator.line_start == 3


def test_cp1251_russian() -> None:
    segments = extract(RUSSIAN.encode("cp1251"))
    assert [s.text for s in segments] == RUSSIAN.split("\n\n")


def test_latin1_french() -> None:
    segments = extract(FRENCH.encode("latin-1"))
    assert "\n\n".join(s.text for s in segments) == FRENCH


def test_undecodable_bytes_are_corrupt() -> None:
    with pytest.raises(FileCorrupt):
        extract(b"\xff\xfe\x00\xd8")  # UTF-16 BOM then a lone high surrogate


@pytest.mark.parametrize("data", [b"", b"   \n\n\t \r\n", b"\xef\xbb\xbf \n"])
def test_empty_text_has_no_text(data: bytes) -> None:
    for kind in (DocumentKind.TEXT, DocumentKind.MARKDOWN, DocumentKind.CSV):
        with pytest.raises(NoTextFound):
            extract(data, kind)


def test_markdown_sections() -> None:
    md = ("Intro before any heading.\n\n"
          "# Terms\n\n"
          "Payment is due in 30 days.\n\n"
          "Late fees apply.\n"
          "## Delivery ##\n"
          "Goods ship within a week.\n\n"
          "```\n# not a heading\n\nstill code\n```\n\n"
          "#hashtag is not a heading either\n")
    segments = extract(md.encode(), DocumentKind.MARKDOWN)
    got = [(s.text, s.locator.section, s.locator.paragraph, s.locator.line_start, s.locator.line_end)
           for s in segments]
    assert got == [
        ("Intro before any heading.", None, 1, 1, 1),
        ("# Terms\nPayment is due in 30 days.", "Terms", 2, 3, 5),
        ("Late fees apply.", "Terms", 3, 7, 7),
        ("## Delivery ##\nGoods ship within a week.", "Delivery", 4, 8, 9),
        ("```\n# not a heading\n\nstill code\n```", "Delivery", 5, 11, 15),
        ("#hashtag is not a heading either", "Delivery", 6, 17, 17),
    ]
    assert segments[1].locator.label() == 'section "Terms", paragraph 2, lines 3-5'


def test_text_kind_ignores_markdown_headings() -> None:
    segments = extract(b"# Title\nbody", DocumentKind.TEXT)
    assert segments[0].locator.section is None and segments[0].text == "# Title\nbody"


def test_csv_with_semicolons_and_decimal_commas() -> None:
    rows = ["Product;Price;Stock"] + [f"Item {i};{i},50;{i * 10}" for i in range(1, 46)]
    segments = extract("\n".join(rows).encode(), DocumentKind.CSV)
    assert len(segments) == 3
    assert segments[0].text.split("\n")[0] == "Product: Item 1; Price: 1,50; Stock: 10"
    assert [(s.locator.line_start, s.locator.line_end) for s in segments] == [(2, 21), (22, 41), (42, 46)]
    assert len(segments[2].text.split("\n")) == 5


def test_csv_quoted_multiline_cells_and_ragged_rows() -> None:
    data = 'name,note\r\nAnn,"two\r\nlines"\r\n\r\nBob,,extra\r\n'
    segments = extract(data.encode(), DocumentKind.CSV)
    assert segments[0].text == "name: Ann; note: two\nlines\nname: Bob; column 3: extra"
    assert (segments[0].locator.line_start, segments[0].locator.line_end) == (2, 5)


def test_csv_header_only() -> None:
    segments = extract(b"a,b,c\n", DocumentKind.CSV)
    assert [s.text for s in segments] == ["a; b; c"]


def test_csv_in_cp1251_with_tabs() -> None:
    data = "Город\tНаселение\nМосква\t13 млн\nКазань\t1,3 млн\n".encode("cp1251")
    segments = extract(data, DocumentKind.CSV)
    assert segments[0].text == "Город: Москва; Население: 13 млн\nГород: Казань; Население: 1,3 млн"


def test_progress_is_reported_a_few_times() -> None:
    calls: list[tuple[int, int]] = []
    text = "\n\n".join(f"Paragraph {i}." for i in range(1000))
    segments = extract(text.encode(), progress=lambda done, total: calls.append((done, total)))
    assert len(segments) == 1000
    assert 1 <= len(calls) <= 5 and calls[-1] == (1000, 1000)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_a_real_text_file_from_the_corpus() -> None:
    data = corpus_path("groundtruth/linn.txt").read_bytes()
    segments = extract(data)
    assert segments[0].text.startswith("The LinnSequencer")
    assert segments[0].locator.line_start == 1
    lines = data.decode().splitlines()
    for segment in segments:
        first, last = segment.locator.line_start, segment.locator.line_end
        assert segment.text.split("\n")[0] == lines[first - 1].strip()
        assert segment.text.split("\n")[-1] == lines[last - 1].strip()
    assert any("TIMING CORRECTION" in s.text for s in segments)
    chunked = chunk_segments(uuid.uuid4(), segments)
    assert chunked.chunks and "LinnSequencer" in chunked.text


def test_registry() -> None:
    extractor = PlainTextExtractor()
    registry = ExtractorMap([extractor])
    assert registry.supported_kinds() == {DocumentKind.TEXT, DocumentKind.MARKDOWN, DocumentKind.CSV}
    assert registry.for_kind(DocumentKind.CSV) is extractor
    with pytest.raises(UnsupportedFileType) as error:
        registry.for_kind(DocumentKind.PDF)
    assert error.value.code == "unsupported_file_type"
    assert ExtractorMap([]).supported_kinds() == frozenset()


def test_registry_first_extractor_wins() -> None:
    first, second = PlainTextExtractor(), PlainTextExtractor()
    assert ExtractorMap([first, second]).for_kind(DocumentKind.TEXT) is first
