"""Retrieval and citation quality on the SQuAD 2.0 subset of ../shared/corpus.

Each article becomes one document (a paragraph = a segment with a paragraph locator), chunked with
the default policy. For every question it measures:
  - recall@1 / recall@k: the gold paragraph is inside the best / the k best chunks, for the BM25
    retriever and for the baseline "truncation" (the first chunks that fit the context budget,
    what a model sees without retrieval);
  - the offline model end to end (QueryDocument's retrieval + OfflineLanguageModel): answer
    contains a gold answer, the first citation points at the gold paragraph, and unanswerable
    questions answered with "not in the document".

Run: .venv/bin/python -m bench.retrieval_squad [--questions N]
"""

from __future__ import annotations

import argparse
import json
import time
import uuid
from pathlib import Path

from adapters.llm.offline import OfflineLanguageModel
from adapters.retrieval.bm25 import BM25Retriever
from application.ports.language_model import AnswerRequest, Source
from application.prompts import SYSTEM_PROMPT
from domain.chunking import ChunkingPolicy, chunk_segments
from domain.chunks import Chunk, Segment
from domain.citations import evidence_by_number, pinpoint
from domain.conversations import cited_numbers
from domain.locators import Locator

SQUAD = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "qa" / "squad" / "squad2-dev-cs224n-split.json"
CONTEXT_TOKENS, TOP_K = 3000, 8
NOT_FOUND = "does not contain information"


def load_articles(path: Path) -> list[tuple[list[Chunk], list[tuple[str, int, list[str]]]]]:
    """Per article: its chunks and its questions (text, gold paragraph number, gold answers)."""
    articles = []
    for article in json.loads(path.read_text(encoding="utf-8"))["data"]:
        segments, questions = [], []
        for number, paragraph in enumerate(article["paragraphs"], start=1):
            segments.append(Segment(text=paragraph["context"], locator=Locator(paragraph=number)))
            for qa in paragraph["qas"]:
                questions.append((qa["question"], number, [a["text"] for a in qa["answers"]]))
        articles.append((chunk_segments(uuid.uuid4(), segments, ChunkingPolicy()).chunks, questions))
    return articles


def within_budget(chunks: list[Chunk]) -> list[Chunk]:
    chosen, used = [], 0
    for chunk in chunks:
        if used + chunk.token_count > CONTEXT_TOKENS and chosen:
            break
        chosen.append(chunk)
        used += chunk.token_count
    return chosen


def holds(chunk: Chunk, paragraph: int) -> bool:
    return any(loc.paragraph == paragraph for loc in chunk.locators)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=2000, help="questions to use (0: all)")
    args = parser.parse_args()
    if not SQUAD.is_file():
        raise SystemExit(f"corpus file missing: {SQUAD}")
    articles = load_articles(SQUAD)
    retriever, model = BM25Retriever(), OfflineLanguageModel()
    n = {"answerable": 0, "unanswerable": 0}
    hits = {"bm25@1": 0, f"bm25@{TOP_K}": 0, "truncation@1": 0, f"truncation@{TOP_K}": 0,
            "answer_contains_gold": 0, "citation_on_gold_paragraph": 0, "unanswerable_said_so": 0}
    rank_seconds = answer_seconds = 0.0
    budget = args.questions or 10**9
    for chunks, questions in articles:
        truncated = within_budget(chunks)
        for question, gold, answers in questions:
            if sum(n.values()) >= budget:
                break
            started = time.perf_counter()
            ranked = [s.chunk for s in retriever.rank(question, chunks, limit=TOP_K)]
            rank_seconds += time.perf_counter() - started
            context = within_budget(ranked or chunks)
            request = AnswerRequest(system=SYSTEM_PROMPT, question=question, sources=tuple(
                Source(number=i + 1, label=c.label, text=c.text) for i, c in enumerate(context)))
            started = time.perf_counter()
            answer = model.complete(request).text
            answer_seconds += time.perf_counter() - started
            if not answers:
                n["unanswerable"] += 1
                hits["unanswerable_said_so"] += NOT_FOUND in answer
                continue
            n["answerable"] += 1
            hits["bm25@1"] += bool(ranked) and holds(ranked[0], gold)
            hits[f"bm25@{TOP_K}"] += any(holds(c, gold) for c in ranked)
            hits["truncation@1"] += holds(truncated[0], gold)
            hits[f"truncation@{TOP_K}"] += any(holds(c, gold) for c in truncated[:TOP_K])
            hits["answer_contains_gold"] += any(a.lower() in answer.lower() for a in answers)
            numbers = cited_numbers(answer)
            if numbers and numbers[0] <= len(context):
                locators, _ = pinpoint(context[numbers[0] - 1], evidence_by_number(answer).get(numbers[0], ""))
                hits["citation_on_gold_paragraph"] += any(loc.paragraph == gold for loc in locators)

    total = sum(n.values())
    chunk_count = sum(len(c) for c, _ in articles)
    print(f"SQuAD 2.0 subset: {len(articles)} articles, {chunk_count} chunks, {total} questions "
          f"({n['answerable']} answerable, {n['unanswerable']} unanswerable)")
    for name, value in hits.items():
        base = n["unanswerable"] if name == "unanswerable_said_so" else n["answerable"]
        print(f"  {name:<28} {value / max(1, base):6.1%}")
    for k in ("1", str(TOP_K)):
        baseline = hits[f"truncation@{k}"] / max(1, n["answerable"])
        ratio = (hits[f"bm25@{k}"] / max(1, n["answerable"])) / baseline if baseline else float("inf")
        print(f"  recall@{k}: BM25 / truncation baseline = {ratio:.2f}x")
    print(f"  BM25 ranking: {1000 * rank_seconds / max(1, total):.2f} ms per question; "
          f"offline answer: {1000 * answer_seconds / max(1, total):.2f} ms per question")


if __name__ == "__main__":
    main()
