"""An extractive "language model" that needs no network: application.keyless answers from the
sources alone (the table value or the sentence that answers, each with its source's marker),
"not in the document" when nothing does; summary and overview questions get the opening
sentences of evenly spaced sources (a lead-based extract). The words are matched through the
TextAnalyzer it is given (Snowball stems in the container), and, with an embedding model, the
cosine of the question's and each sentence's vectors counts too. Deterministic."""

from __future__ import annotations

import re
from collections.abc import Iterator

from application.keyless.answerer import KeylessAnswerer
from application.keyless.overview import lead_sentences
from application.keyless.phrasing import NOT_FOUND
from application.ports.embedder import Embedder
from application.ports.language_model import AnswerRequest, Completion, CompletionDelta
from application.ports.text_analyzer import TextAnalyzer
from application.prompts import is_overview_question
from domain.language import detect_language
from domain.text import count_tokens

_SAMPLE = 4000


class OfflineLanguageModel:
    """Implements application.ports.language_model.LanguageModel without any network."""

    name = "offline-extractive"

    def __init__(self, analyzer: TextAnalyzer, embedder: Embedder | None = None) -> None:
        self._analyzer = analyzer
        self._embedder = embedder

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
        language = "ru" if detect_language(request.question) in ("ru", "uk") else "en"
        sample = "\n".join(s.text for s in request.sources)[:_SAMPLE]
        document_language = self._analyzer.language(sample) if sample else "en"

        def terms(text: str) -> set[str]:
            return set(self._analyzer.terms(text, document_language))

        answerer = KeylessAnswerer(terms, self._embedder.similarities if self._embedder is not None else None)
        if is_overview_question(request.question):
            answer = lead_sentences(request.sources, terms)
        elif request.purpose == "notes":
            answer = answerer.notes(request.question, request.sources)
        else:
            answer = answerer.answer(request.question, request.sources, language)
        if request.purpose == "notes":  # plain cited sentences for the reduce step, or NONE as MAP_PROMPT asks
            return answer or "NONE"
        return answer or NOT_FOUND[language]
