"""domain.sentences reads a possible abbreviation at a text's end only: the same answer as a search
of the whole text (the pattern is anchored at the end)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from domain.sentences import _ABBREVIATION, _ends_abbreviated

PIECES = st.sampled_from(["inc.", "Inc", "e.g.", "u.s.", "approx.", "Corp.", " ", "\n", "x", "A.", "руб.", "т.е.",
                          "г.", "Sept.", "etc", ".", "1.", "zinc.", "Dr.", "abc", "-"])


@given(st.lists(PIECES, max_size=12).map("".join))
def test_the_tail_answers_as_the_whole_text_does(text: str) -> None:
    assert _ends_abbreviated(text) == bool(_ABBREVIATION.search(text))


def test_a_word_ending_in_an_abbreviation_is_not_one() -> None:
    assert not _ends_abbreviated("The ore held zinc.") and _ends_abbreviated("Apple Inc.")
    assert _ends_abbreviated("Цена 100 руб.") and not _ends_abbreviated("x" * 40 + "ok.")
