"""The History page's answers split around their citation markers (entrypoints.web.answer_parts)."""

from entrypoints.web.answer_parts import Part, answer_parts


def test_markers_of_existing_citations_become_parts_of_their_own() -> None:
    parts = answer_parts("Net sales rose [1] and margins fell [2].", {1, 2})
    assert parts == [Part("Net sales rose "), Part("[1]", 1), Part(" and margins fell "), Part("[2]", 2), Part(".")]


def test_a_marker_naming_no_citation_stays_text() -> None:
    assert answer_parts("See [3] and [1]", {1}) == [Part("See [3] and "), Part("[1]", 1)]


def test_markup_in_the_answer_is_kept_as_text_for_the_template_to_escape() -> None:
    parts = answer_parts("<img src=x onerror=alert(1)>[1]", {1})
    assert parts == [Part("<img src=x onerror=alert(1)>"), Part("[1]", 1)]


def test_an_answer_without_markers_is_one_part() -> None:
    assert answer_parts("Not in the document.", set()) == [Part("Not in the document.")]
    assert answer_parts("", {1}) == []
