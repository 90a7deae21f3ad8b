"""The offline engine's answers from whole sources: what it states and what it leaves out."""

from __future__ import annotations

from adapters.text.snowball import SnowballAnalyzer
from application.keyless.answerer import KeylessAnswerer
from application.keyless.columns import choose_column
from application.ports.language_model import Source
from domain.questions import profile

ANALYZER = SnowballAnalyzer()


def answer(question: str, *texts: str) -> str | None:
    language = ANALYZER.language(question)
    sources = tuple(Source(number=i + 1, label=f"source {i + 1}", text=t) for i, t in enumerate(texts))
    return KeylessAnswerer(lambda text: set(ANALYZER.terms(text, language))).answer(question, sources, language)


def ru(text: str) -> set[str]:
    return set(ANALYZER.terms(text, "ru"))


def test_a_sentence_announcing_a_formula_is_answered_with_the_formula() -> None:
    text = ("За каждый день просрочки начисляется пеня, которая определяется по формуле:\n\n"
            "П = (Ц - В) x С, где Ц - цена Контракта.\n\nИные условия не меняются.")
    found = answer("По какой формуле считается пеня за просрочку?", text)
    assert found is not None
    assert "по формуле: [1]" in found and "П = (Ц - В) x С" in found
    assert "Иные условия" not in found


def test_a_header_word_hyphenated_to_fit_its_cell_names_the_column() -> None:
    header = ("№", "Наименование", "Коли-чество", "Сум-ма, руб.")
    values = ("1", "Кабель", "100", "3 550,00")
    question = "Сколько стоит кабель?"
    assert choose_column(header, values, profile(question), question, ru, 1) == 3


def test_a_number_question_on_a_row_of_names_gives_no_value() -> None:
    header = ("№", "Наименование", "Товарный знак", "Страна")
    values = ("18", "Извещатель пожарный тип 1", "Извещатель пожарный тип 1", "Российская Федерация")
    question = "Сколько извещателей нужно?"
    assert choose_column(header, values, profile(question), question, ru, 1) is None


def test_a_cell_repeating_the_label_is_not_its_value() -> None:
    header = ("Наименование", "Марка", "Цена")
    values = ("Блок индикации", "Блок индикации", "3 828,71")
    question = "Какова цена блока индикации?"
    assert choose_column(header, values, profile(question), question, ru, 0) == 2


SPECIFICATION = """Спецификация оборудования
| № | Наименование оборудования | Ед. изм. | Количество | Цена за единицу, руб. | Сумма, руб. |
|---|---|---|---|---|---|
| 2.1 | Модуль газового пожаротушения | шт. | 20 | 234968,34 | 4699366,80 |
| 2.2 | Стойка модулей | шт. | 4 | 10500,00 | 42000,00 |"""


def test_a_question_in_two_parts_gets_both_values_of_the_row() -> None:
    found = answer("Сколько модулей газового пожаротушения закупается и на какую сумму?", SPECIFICATION)
    assert found is not None
    assert "20" in found and "4699366,80" in found and "Стойка" not in found


def test_the_column_a_question_names_answers_a_who_question() -> None:
    places = ("Сведения о местах выполнения работ\n"
              "| № | Наименование получателя | Адрес | Ф.И.О. контактного лица получателя | Телефон |\n"
              "|---|---|---|---|---|\n"
              "| 1 | Центральный государственный архив | ул. Варфоломеевская, д. 15а | Гончаренко Семен Николаевич "
              "| (812) 560-95-33 |")
    prose = "Контактное лицо Подрядчика сообщается Государственному заказчику письменно."
    found = answer("Кто контактное лицо получателя?", prose, places)
    assert found is not None and "Гончаренко Семен Николаевич" in found
