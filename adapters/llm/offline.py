"""An extractive "language model" that needs no network: it quotes the sentences of the sources
that best match the question, each followed by its source's citation marker ``[n]``.

Scoring: every source is cut into sentences (at line breaks and after . ! ? …); a sentence
scores the IDF-weighted share of the question's terms it contains, IDF taken over all candidate
sentences. Terms are domain.text.terms without one-letter terms and a few English and Russian
function words, cut to their first ``_STEM`` characters so "revenue"/"revenues" and
"выручка"/"выручки" match. Sentences scoring at least ``_THRESHOLD`` and at least ``_RELATIVE``
of the best score are quoted, best first (the relative cut keeps a sentence that shares one
common word with the question from trailing a good answer).

Saying "not in the document": when no sentence reaches ``_THRESHOLD``, or when the question's
terms that appear nowhere in the sources carry ``_MISSING`` or more of its IDF weight (a question
about something the document never names). Tuned on SQuAD 2.0 (bench/retrieval.py): unanswerable
questions recognised went from 2% to about a third, answers containing the gold answer from 85%
to about two thirds of the answerable questions: fewer confident quotes that answer another question.

Summary and overview questions (application.prompts.is_overview_question) are answered with the
opening sentence of evenly spaced sources, in document order: a lead-based extract.
Deterministic: the same request always gives the same answer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

from application.ports.language_model import AnswerRequest, Completion, CompletionDelta, Source
from application.prompts import is_overview_question
from domain.text import count_tokens, terms

_SENTENCE_END = re.compile(r"(?<=[.!?…。！？])\s+|\n+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_STEM = 6
_THRESHOLD = 0.4
_MISSING = 0.35
_OVERVIEW_SENTENCES = 5
_RELATIVE = 0.6
_QUOTE_CHARS = 400
# "how long", "how many"...: the word after "how" asks for a quantity, it is not a topic
_QUESTION_PHRASE = re.compile(r"\bhow (long|many|much|often|far|old|big|large|soon)\b", re.IGNORECASE)
_STOPWORDS = frozenset(
    "the and for are was were is be been of to in on at by an or as it its this that these those with from "
    "what which who whom whose when where why how does did do has have had can could would should will "
    "about into there their them they you your we our not no any all some me my many much "
    "это как что кто где когда почему зачем какой какая какие каких каком чем для при про над под без или "
    "не ни да но же ли бы по из за от до на во со об то так там тут все всё его её их она они оно он мы вы "
    "сколько".split()
)
_NOT_FOUND = {"en": "The document does not contain information about this.", "ru": "В документе нет сведений об этом."}
_LEAD = {"en": "According to the document: ", "ru": "Согласно документу: "}


class OfflineLanguageModel:
    """Implements application.ports.language_model.LanguageModel without any network."""

    name = "offline-extractive"

    def __init__(self, max_sentences: int = 3) -> None:
        if max_sentences < 1:
            raise ValueError("max_sentences must be >= 1")
        self.max_sentences = max_sentences

    def complete(self, request: AnswerRequest) -> Completion:
        answer = self._answer(request)
        prompt = "\n".join([request.system, request.question, *(s.text for s in request.sources)])
        return Completion(text=answer, tokens_in=count_tokens(prompt), tokens_out=count_tokens(answer),
                          model=self.name)

    def stream(self, request: AnswerRequest) -> Iterator[CompletionDelta | Completion]:
        """The answer word by word, then the Completion; the pieces join to exactly its text."""
        completion = self.complete(request)
        for piece in re.findall(r"\S+\s*", completion.text):
            yield CompletionDelta(text=piece)
        yield completion

    def _answer(self, request: AnswerRequest) -> str:
        language = _language(request.question)
        if is_overview_question(request.question):
            chosen = _lead_sentences(request.sources)
        else:
            chosen = self._best_sentences(request.question, request.sources)
        if not chosen:
            return "NONE" if request.purpose == "notes" else _NOT_FOUND[language]
        if request.purpose == "notes":  # plain cited sentences, for the reduce step to read
            return " ".join(f"{_quote(text)}. [{source.number}]" for text, source in chosen)
        quotes = " ".join(f'"{_quote(text)}". [{source.number}]' for text, source in chosen)
        return _LEAD[language] + quotes

    def _best_sentences(self, question: str, sources: tuple[Source, ...]) -> list[tuple[str, Source]]:
        wanted = _keywords(_QUESTION_PHRASE.sub(" ", question))
        candidates: list[tuple[str, Source, set[str]]] = []
        seen: set[str] = set()
        for source in sources:
            for sentence in _SENTENCE_END.split(source.text):
                sentence = " ".join(sentence.split())
                key = sentence.casefold()
                if sentence and key not in seen:
                    seen.add(key)
                    candidates.append((sentence, source, _keywords(sentence)))
        if not wanted or not candidates:
            return []
        n = len(candidates)
        idf = {t: math.log(1 + (n + 1) / (1 + sum(1 for c in candidates if t in c[2]))) for t in wanted}
        total = sum(idf.values())
        present = set().union(*(words for _, _, words in candidates))
        if sum(idf[t] for t in wanted - present) >= _MISSING * total:
            return []  # the question is about something the sources never name
        scored = [(sum(idf[t] for t in wanted & words) / total, i) for i, (_, _, words) in enumerate(candidates)]
        top = max(score for score, _ in scored)
        floor = max(_THRESHOLD, top * _RELATIVE)
        best = sorted((s for s in scored if s[0] >= floor), key=lambda s: (-s[0], s[1]))
        return [(candidates[i][0], candidates[i][1]) for _, i in best[: self.max_sentences]]


def _lead_sentences(sources: tuple[Source, ...]) -> list[tuple[str, Source]]:
    """The first real sentence of up to ``_OVERVIEW_SENTENCES`` evenly spaced sources."""
    if not sources:
        return []
    step = max(1, len(sources) / _OVERVIEW_SENTENCES)
    picked = sorted({int(i * step) for i in range(_OVERVIEW_SENTENCES) if int(i * step) < len(sources)})
    chosen = []
    for index in picked:
        sentences = [" ".join(s.split()) for s in _SENTENCE_END.split(sources[index].text)]
        prose = [s for s in sentences if len(s.split()) >= 6 and s[-1] in ".!?…。" and len(_keywords(s)) >= 4]
        lead = next(iter(prose), None) or next((s for s in sentences if len(_keywords(s)) >= 3), None)
        if lead:
            chosen.append((lead, sources[index]))
    return chosen


def _keywords(text: str) -> set[str]:
    return {_stem(t) for t in terms(text) if len(t) > 1 and t not in _STOPWORDS}


def _stem(term: str) -> str:
    """The first ``_STEM`` characters, without a plural/verb "s" ("opens" -> "open")."""
    term = term[:_STEM]
    return term[:-1] if len(term) > 3 and term.endswith("s") and not term.endswith("ss") else term


def _language(question: str) -> str:
    letters = [ch for ch in question if ch.isalpha()]
    cyrillic = sum(1 for ch in letters if _CYRILLIC.match(ch))
    return "ru" if letters and cyrillic * 2 > len(letters) else "en"


def _quote(sentence: str) -> str:
    text = sentence.rstrip(" .;:,")
    return text if len(text) <= _QUOTE_CHARS else text[: _QUOTE_CHARS - 1].rstrip() + "…"
