"""The offline model (application.keyless behind the LanguageModel port) on small sources: the
sentence or the table value that answers, with its source's marker; the column of the period
asked; "not in the document" when nothing answers; English and Russian."""

from adapters.llm.offline import OfflineLanguageModel
from adapters.text.snowball import SnowballAnalyzer
from application.ports.language_model import AnswerRequest, Completion, CompletionDelta, Source
from application.prompts import SYSTEM_PROMPT
from domain.text import count_tokens

SOURCES = (
    Source(number=1, label="page 1", text="Acme Corp was founded in 1999 in Berlin. It makes industrial robots."),
    Source(number=2, label="page 2", text="In 2023 the revenue of Acme reached 40 million euros.\n"
                                         "The company employs 300 people."),
    Source(number=3, label="page 3", text="Выручка компании в 2023 году составила 40 миллионов евро. "
                                         "Штаб-квартира находится в Берлине."),
)
STATEMENT = Source(number=1, label="page 4", text=(
    "CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS (Unaudited)\n"
    "(In millions, except per share amounts)\n"
    "| | Three Months Ended July 1, 2023 | Three Months Ended June 25, 2022 | Nine Months Ended July 1, 2023 |"
    " Nine Months Ended June 25, 2022 |\n"
    "|---|---|---|---|---|\n"
    "| Net sales: | | | | |\n"
    "| Products | $60,584 | $63,355 | $230,901 | $245,241 |\n"
    "| Services | 21,213 | 19,604 | 62,886 | 58,941 |\n"
    "| Total net sales | 81,797 | 82,959 | 293,787 | 304,182 |\n"
    "| Research and development | 7,442 | 6,797 | 22,608 | 19,490 |\n"
    "| Earnings per share: | | | | |\n"
    "| Diluted | $1.26 | $1.20 | $4.67 | $4.82 |"))
BALANCE = Source(number=2, label="page 5", text=(
    "CONDENSED CONSOLIDATED BALANCE SHEETS (In millions)\n"
    "| | July 1, 2023 | September 24, 2022 |\n|---|---|---|\n"
    "| Cash and cash equivalents | $28,408 | $23,646 |\n| Total assets | $335,038 | $352,755 |\n"
    "| Total current assets | 122,659 | 135,405 |"))


def ask(question: str, sources: tuple[Source, ...] = SOURCES) -> Completion:
    request = AnswerRequest(system=SYSTEM_PROMPT, question=question, sources=sources)
    return OfflineLanguageModel(SnowballAnalyzer()).complete(request)


def test_picks_the_sentence_that_answers_with_its_source_number() -> None:
    completion = ask("What was the revenue in 2023?")
    assert completion.text == "In 2023 the revenue of Acme reached 40 million euros. [2]"
    assert completion.model == "offline-extractive" == OfflineLanguageModel.name


def test_a_sentence_wrapped_over_lines_is_one_sentence() -> None:
    wrapped = (Source(number=1, label="page 9", text="During the nine months ended July 1, 2023, the Company\n"
                                                     "repurchased 471 million shares of its common stock\n"
                                                     "for $56.1 billion.\nLiquidity\nThe Company believes"),)
    assert ask("How many shares did the company buy back?", wrapped).text == (
        "During the nine months ended July 1, 2023, the Company repurchased 471 million shares of its common stock "
        "for $56.1 billion. [1]")


def test_a_table_value_with_its_unit_and_period() -> None:
    assert ask("What were total net sales for the three months ended July 1, 2023?", (STATEMENT,)).text == (
        "Total net sales were $81,797 million for the three months ended July 1, 2023 [1].")


def test_the_column_follows_the_period_asked() -> None:
    assert ask("Total net sales in the same quarter last year?", (STATEMENT,)).text == (
        "Total net sales were $82,959 million for the three months ended June 25, 2022 [1].")
    assert ask("Services revenue year to date?", (STATEMENT,)).text == (
        "Services (Net sales) were $62,886 million for the nine months ended July 1, 2023 [1].")
    assert ask("What was R&D spending for the nine months ended June 25, 2022?", (STATEMENT,)).text == (
        "Research and development was $19,490 million for the nine months ended June 25, 2022 [1].")
    assert "$1.26 for the three months ended July 1, 2023" in ask("Diluted EPS this quarter?", (STATEMENT,)).text


def test_a_balance_sheet_row_at_a_date() -> None:
    assert ask("Total assets?", (BALANCE,)).text == "Total assets were $335,038 million as of July 1, 2023 [2]."
    assert ask("How much cash and cash equivalents at the end of the previous fiscal year?", (BALANCE,)).text == (
        "Cash and cash equivalents were $23,646 million as of September 24, 2022 [2].")


def test_weak_matches_do_not_trail_a_good_answer() -> None:
    assert ask("When and where was Acme founded?").text == "Acme Corp was founded in 1999 in Berlin. [1]"


def test_russian_question_finds_russian_sentence() -> None:
    assert ask("Какой была выручка в 2023 году?").text == "Выручка компании в 2023 году составила 40 миллионов евро. [3]"


def test_not_in_the_document_in_english_and_russian() -> None:
    assert ask("Who is the chief executive officer?").text == "The document does not contain information about this."
    assert ask("Кто генеральный директор?").text == "В документе нет сведений об этом."


def test_no_sources_or_no_keywords() -> None:
    assert ask("What was the revenue?", sources=()).text == "The document does not contain information about this."
    assert ask("What is it?").text == "The document does not contain information about this."


def test_token_counts() -> None:
    completion = ask("What was the revenue in 2023?")
    prompt = "\n".join([SYSTEM_PROMPT, "What was the revenue in 2023?", *(s.text for s in SOURCES)])
    assert completion.tokens_in == count_tokens(prompt)
    assert completion.tokens_out == count_tokens(completion.text) > 0


def test_deterministic() -> None:
    answers = {ask("How many people does the company employ?").text for _ in range(5)}
    assert answers == {"The company employs 300 people. [2]"}


def test_duplicate_sentences_from_overlapping_sources_are_quoted_once() -> None:
    overlap = (SOURCES[1], Source(number=4, label="page 2", text="The company employs 300 people."))
    text = ask("How many people does the company employ?", sources=overlap).text
    assert text.count("employs 300 people") == 1 and "[2]" in text


def test_stream_joins_to_the_complete_text() -> None:
    request = AnswerRequest(system=SYSTEM_PROMPT, question="What was the revenue in 2023?", sources=SOURCES)
    model = OfflineLanguageModel(SnowballAnalyzer())
    items = list(model.stream(request))
    assert isinstance(items[-1], Completion) and items[-1] == model.complete(request)
    deltas = items[:-1]
    assert len(deltas) > 3 and all(isinstance(d, CompletionDelta) for d in deltas)
    assert "".join(d.text for d in deltas) == items[-1].text


def test_a_question_about_something_the_sources_never_name_is_not_answered() -> None:
    # shares "revenue" and "2023" with a sentence, but asks about a subsidiary never mentioned
    assert ask("What was the revenue of the Zurich subsidiary Helvetica Robotics in 2023?").text == (
        "The document does not contain information about this.")


def test_notes_for_a_map_reduce_pass_are_plain_cited_sentences() -> None:
    request = AnswerRequest(system=SYSTEM_PROMPT, question="Summarize the document", sources=SOURCES, purpose="notes")
    text = OfflineLanguageModel(SnowballAnalyzer()).complete(request).text
    assert text.startswith("Acme Corp was founded in 1999 in Berlin. [1]") and '"' not in text
    nothing = AnswerRequest(system=SYSTEM_PROMPT, question="Who is the CEO?", sources=SOURCES, purpose="notes")
    assert OfflineLanguageModel(SnowballAnalyzer()).complete(nothing).text == "NONE"  # as MAP_PROMPT asks


def test_summary_questions_get_the_opening_sentences_in_document_order() -> None:
    text = ask("Summarize the document").text
    assert text.startswith("Acme Corp was founded in 1999 in Berlin. [1]")
    assert text.index("[1]") < text.index("[2]") < text.index("[3]")
    assert ask("Кратко перескажи документ").text.startswith("Acme Corp was founded")
