from adapters.llm.offline import OfflineLanguageModel
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


def ask(question: str, sources: tuple[Source, ...] = SOURCES, **kwargs: int) -> Completion:
    request = AnswerRequest(system=SYSTEM_PROMPT, question=question, sources=sources)
    return OfflineLanguageModel(**kwargs).complete(request)


def test_picks_the_right_sentence_with_its_source_number() -> None:
    completion = ask("What was the revenue in 2023?", max_sentences=1)
    assert completion.text == 'According to the document: "In 2023 the revenue of Acme reached 40 million euros". [2]'
    assert completion.model == "offline-extractive" == OfflineLanguageModel.name


def test_quotes_several_sentences_best_first_each_with_its_source() -> None:
    sources = (Source(number=1, label="p1", text="The office is in Berlin. Parking is free for visitors."),
               Source(number=2, label="p2", text="Acme employs 300 people in the Berlin office.\nLunch is at noon."))
    question = "How many people are in the Berlin office?"
    assert ask(question, sources=sources).text == (
        'According to the document: "Acme employs 300 people in the Berlin office". [2] '
        '"The office is in Berlin". [1]')
    assert ask(question, sources=sources, max_sentences=1).text == (
        'According to the document: "Acme employs 300 people in the Berlin office". [2]')


def test_weak_matches_do_not_trail_a_good_answer() -> None:
    assert ask("When and where was Acme founded?").text == (
        'According to the document: "Acme Corp was founded in 1999 in Berlin". [1]')


def test_russian_question_finds_russian_sentence() -> None:
    text = ask("Какой была выручка в 2023 году?").text
    assert text.startswith('Согласно документу: "Выручка компании в 2023 году составила 40 миллионов евро". [3]')


def test_not_in_the_document_in_english() -> None:
    assert ask("Who is the chief executive officer?").text == "The document does not contain information about this."


def test_not_in_the_document_in_russian() -> None:
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
    assert len(answers) == 1
    assert "[2]" in answers.pop()


def test_duplicate_sentences_from_overlapping_sources_are_quoted_once() -> None:
    overlap = (SOURCES[1], Source(number=4, label="page 2", text="The company employs 300 people."))
    text = ask("How many people does the company employ?", sources=overlap).text
    assert text.count("employs 300 people") == 1 and "[2]" in text


def test_stream_joins_to_the_complete_text() -> None:
    request = AnswerRequest(system=SYSTEM_PROMPT, question="What was the revenue in 2023?", sources=SOURCES)
    model = OfflineLanguageModel()
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
    text = OfflineLanguageModel().complete(request).text
    assert text.startswith("Acme Corp was founded in 1999 in Berlin. [1]") and '"' not in text
    nothing = AnswerRequest(system=SYSTEM_PROMPT, question="Who is the CEO?", sources=SOURCES, purpose="notes")
    assert OfflineLanguageModel().complete(nothing).text == "NONE"  # as MAP_PROMPT asks


def test_summary_questions_get_the_opening_sentences_in_document_order() -> None:
    text = ask("Summarize the document").text
    assert text.startswith('According to the document: "Acme Corp was founded in 1999 in Berlin". [1]')
    assert text.index("[1]") < text.index("[2]") < text.index("[3]")
    assert ask("Кратко перескажи документ").text.startswith("Согласно документу:")
