import uuid

import pytest

from adapters.retrieval.bm25 import BM25Retriever
from domain.chunks import Chunk
from domain.locators import Locator

DOC = uuid.uuid4()
TEXTS = [
    "The quarterly revenue grew by 12 percent thanks to strong hardware sales.",
    "Employees receive 25 days of paid vacation per year.",
    "Revenue, revenue, revenue: the word repeated in a very long chunk about many unrelated matters "
    "such as parking, cafeteria menus, office plants and the colour of the carpets on the third floor.",
    "Выручка компании за третий квартал выросла на 12 процентов.",
    "Сотрудники получают 28 дней оплачиваемого отпуска.",
    "Employees receive 25 days of paid vacation per year.",
]


def chunks() -> list[Chunk]:
    return [Chunk(document_id=DOC, ordinal=i, text=t, locators=(Locator(paragraph=i + 1),), start=0,
                  end=len(t), token_count=len(t.split())) for i, t in enumerate(TEXTS)]


def test_best_match_first_and_no_zero_scores() -> None:
    ranked = BM25Retriever().rank("How much did quarterly revenue grow?", chunks(), limit=10)
    assert [s.chunk.ordinal for s in ranked] == [0, 2]
    assert ranked[0].score > ranked[1].score > 0


def test_russian_and_case_folding() -> None:
    ranked = BM25Retriever().rank("СКОЛЬКО дней ОТПУСКА?", chunks(), limit=5)
    assert [s.chunk.ordinal for s in ranked] == [4]
    ranked = BM25Retriever().rank("выручка за квартал", chunks(), limit=5)
    assert ranked[0].chunk.ordinal == 3


def test_ties_broken_by_ordinal_and_limit() -> None:
    ranked = BM25Retriever().rank("paid vacation", chunks(), limit=10)
    assert [s.chunk.ordinal for s in ranked] == [1, 5]
    assert ranked[0].score == pytest.approx(ranked[1].score)
    assert [s.chunk.ordinal for s in BM25Retriever().rank("paid vacation", chunks(), limit=1)] == [1]


def test_nothing_matches() -> None:
    retriever = BM25Retriever()
    assert retriever.rank("dividends", chunks(), limit=5) == []
    assert retriever.rank("?!", chunks(), limit=5) == []
    assert retriever.rank("revenue", [], limit=5) == []
    assert retriever.rank("revenue", chunks(), limit=0) == []


def test_a_term_in_every_chunk_still_ranks() -> None:
    few = chunks()[:2]
    both = [Chunk(document_id=DOC, ordinal=c.ordinal, text=c.text + " per", locators=c.locators, start=0,
                  end=len(c.text) + 4, token_count=c.token_count + 1) for c in few]
    assert len(BM25Retriever().rank("per", both, limit=5)) == 2


def test_parameters_are_validated() -> None:
    with pytest.raises(ValueError):
        BM25Retriever(b=1.5)


def test_word_forms_match_through_the_stem() -> None:
    ranked = BM25Retriever().rank("revenues", chunks(), limit=5)
    assert [s.chunk.ordinal for s in ranked] == [2, 0]  # "revenue" three times outranks once
    assert BM25Retriever().rank("выручки", chunks(), limit=5)[0].chunk.ordinal == 3


def test_function_words_alone_match_nothing() -> None:
    assert BM25Retriever().rank("what is the", chunks(), limit=5) == []


def test_the_index_of_a_document_is_built_once() -> None:
    retriever, document = BM25Retriever(cached_indexes=1), chunks()
    first = retriever._index(document)
    assert retriever._index(document) is first
    assert retriever._index(document[:3]) is not first  # another set of chunks, another index
    assert retriever._index(document) is not first  # the LRU kept only one
