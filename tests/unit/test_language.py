"""Telling a text's language from its script and its function words (domain.language)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.language import LATIN, UNDETERMINED, detect_language, reply_language, script_of


@pytest.mark.parametrize(("text", "expected"), [
    ("The revenue of the company is growing and the costs are stable.", "en"),
    ("Выручка компании растёт, а расходы остаются стабильными.", "ru"),
    ("Виручка компанії зростає, і це добре для їхніх акціонерів.", "uk"),
    ("Der Umsatz ist nicht gestiegen und die Kosten sind mit dem Plan.", "de"),
    ("Le chiffre est dans la salle et les gens sont pour le projet.", "fr"),
    ("El precio de los productos para la empresa es alto.", "es"),
    ("Il prezzo della casa è per una famiglia che non ha figli.", "it"),
    ("O preço da casa é para uma família com dois filhos.", "pt"),
    ("De prijs van het huis is een probleem voor de koper.", "nl"),
])
def test_each_language_is_told_by_its_script_and_function_words(text: str, expected: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize("text", [
    "",
    "   \n\t ",
    "12345 !!! 3.14",
    "مرحبا بالعالم، هذا نص عربي",
    "你好世界，这是中文文本",
    "日本語のテキスト",
])
def test_other_scripts_and_texts_without_words_are_undetermined(text: str) -> None:
    assert detect_language(text) == UNDETERMINED


def test_latin_text_without_function_words_is_english() -> None:
    assert detect_language("Revenue Q3") == "en"
    assert detect_language("Hello") == "en"


def test_the_commonest_script_decides() -> None:
    assert detect_language("Договор поставки товара Acme между сторонами") == "ru"
    assert detect_language("The supply agreement with ООО Ромашка was signed by the parties") == "en"


def test_a_russian_text_with_a_stray_ukrainian_letter_stays_russian() -> None:
    # one "і" among more than a hundred Cyrillic words is under the 1% threshold
    text = " ".join(["договор поставки товара между сторонами"] * 25) + " Київ"
    assert detect_language(text) == "ru"
    assert detect_language("Київ і Львів") == "uk"


def test_only_the_first_twenty_thousand_characters_are_read() -> None:
    text = "x" * 20_000 + " Выручка компании растёт"
    assert detect_language(text) == "en"  # only "xxx..." is read: a Latin word, no function words
    assert detect_language("Выручка компании растёт " + "x" * 20_000) == "ru"


def test_every_listed_function_word_counts() -> None:
    assert detect_language("Die Preise werden steigen") == "de"  # "die" counts
    assert detect_language("Preise werden steigen") == "de"  # only "werden" is a function word here


@pytest.mark.parametrize(("word", "expected"), [
    ("Выручка", "cyrillic"), ("revenue", "latin"), ("élan", "latin"), ("ñandú", "latin"),
    ("123abc", "latin"), ("«Договор»", "cyrillic"), ("مرحبا", "other"), ("中文", "other"),
    ("123", "other"), ("", "other"), ("...", "other"),
])
def test_script_of_a_word_is_that_of_its_first_letter(word: str, expected: str) -> None:
    assert script_of(word) == expected


@pytest.mark.parametrize(("question", "default", "expected"), [
    ("What was the revenue in the quarter?", "en", "en"),
    ("What was the revenue in the quarter?", "ru", "en"),
    ("Какая выручка за квартал?", "en", "ru"),
    ("Яка виручка за квартал? Їхня.", "en", "ru"),  # Ukrainian is answered in Russian
    ("Wie hoch ist der Umsatz und die Kosten?", "ru", "en"),  # another Latin-script language: English
    ("ما هي الإيرادات؟", "ru", "ru"),
    ("ما هي الإيرادات؟", "en", "en"),
    ("?", "ru", "ru"),
    ("", "en", "en"),
])
def test_reply_language(question: str, default: str, expected: str) -> None:
    assert reply_language(question, default) == expected


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60), st.sampled_from(["en", "ru"]))
def test_reply_language_is_always_one_the_shells_speak(question: str, default: str) -> None:
    assert reply_language(question, default) in {"en", "ru"}
    assert detect_language(question) in {UNDETERMINED, "ru", "uk", *LATIN}
