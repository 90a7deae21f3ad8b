"""Finding a citation's quote in its original text (domain.passages): tolerant of spacing, line
wraps, hyphenation, case, ligatures, Markdown table rows and quotes cut short or joined by " … "."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.passages import find_quote, fold, merge, quote_pieces

PAGE = ("Gaming revenue for the third quarter of fiscal year 2024 was $2.86 billion, up 81% from a year ago and "
        "up 15% from the previous quarter. We\r\nlaunched DLSS 3.5 Ray Reconstruc\ufffe\r\ntion; released "
        "TensorRT-LLM for Windows.\r\nProfessional Visualization revenue was $416 million.")


def _texts(text: str, spans: list[tuple[int, int]]) -> list[str]:
    return [text[start:end] for start, end in spans]


def test_folding_keeps_letters_and_digits_with_their_offsets() -> None:
    folded, offsets = fold("Re-\nve ﬁne $2.86")
    assert folded == "revefine286"
    assert [offsets[i] for i in (0, 2, 4, 5)] == [0, 4, 7, 7]  # the ligature's two letters share its offset


def test_a_quote_normalised_by_the_chunker_is_found_across_wraps_and_hyphens() -> None:
    quote = "up 15% from the previous quarter. We launched DLSS 3.5 Ray Reconstruction; released TensorRT-LLM"
    spans = find_quote(PAGE, quote)
    assert len(spans) == 1
    found = _texts(PAGE, spans)[0]
    assert found.startswith("up 15%") and found.endswith("TensorRT-LLM") and "\r\n" in found


def test_a_quote_cut_mid_word_ends_where_it_was_cut() -> None:
    assert _texts(PAGE, find_quote(PAGE, "Professional Visualiz")) == ["Professional Visualiz"]


def test_parts_joined_by_an_ellipsis_are_found_each_in_order() -> None:
    spans = find_quote(PAGE, "Gaming revenue for the third quarter … Visualization revenue was $416 million")
    assert _texts(PAGE, spans) == ["Gaming revenue for the third quarter", "Visualization revenue was $416 million"]


def test_a_markdown_row_and_its_header_are_pieces_of_their_own() -> None:
    quote = "| KX-22 | Riga | 410 |\n| SKU | Depot | Units |"
    assert quote_pieces(quote) == ["| KX-22 | Riga | 410 |", "| SKU | Depot | Units |"]
    assert quote_pieces("first line\nsecond line") == ["first line\nsecond line"]  # prose: a wrap is a space
    sheet = "SKU Depot Units\nKX-19 Riga 75\nKX-22 Riga 410\n"
    assert _texts(sheet, find_quote(sheet, quote)) == ["SKU Depot Units", "KX-22 Riga 410"]


def test_words_in_another_order_or_changed_fall_back_to_the_longest_matching_run() -> None:
    text = "Net revenue was 18,120 in the quarter, compared with 5,931 a year earlier, as reported."
    spans = find_quote(text, "net revenue was 18,120 in Q3 compared with 5,931 a year earlier")
    assert _texts(text, spans) == ["Net revenue was 18,120 in the quarter, compared with 5,931 a year earlier"]


def test_a_quote_that_is_not_there_finds_nothing() -> None:
    assert find_quote(PAGE, "The board approved a dividend of four dollars per share") == []
    assert find_quote(PAGE, "") == [] and find_quote("", "Gaming revenue") == []
    assert find_quote(PAGE, "| $ |") == []  # too short to say where anything stands


def test_merge_joins_overlapping_and_touching_spans() -> None:
    assert merge([(5, 9), (0, 3), (3, 4), (8, 12)]) == [(0, 4), (5, 12)]


WORDS = st.lists(st.sampled_from(["revenue", "grew", "Gaming", "quarter", "2,856", "$18.1", "net", "income",
                                  "up", "81%", "Riga", "déjà", "straße"]), min_size=8, max_size=40)


@settings(max_examples=150, deadline=None)
@given(words=WORDS, data=st.data())
def test_any_run_of_words_respaced_and_rewrapped_is_found(words: list[str], data: st.DataObject) -> None:
    separators = data.draw(st.lists(st.sampled_from([" ", "  ", "\r\n", " \n", "\t"]), min_size=len(words),
                                    max_size=len(words)))
    text = "".join(w + s for w, s in zip(words, separators, strict=True))
    start = data.draw(st.integers(0, len(words) - 3))
    end = data.draw(st.integers(start + 3, len(words)))
    quote = " ".join(words[start:end]).upper()
    spans = find_quote(text, quote)
    assert spans, (text, quote)
    assert fold(" ".join(_texts(text, spans)))[0] == fold(quote)[0]
