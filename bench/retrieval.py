"""Retrieval and answering quality: what the model is sent, and what the offline model answers.

Corpora (../shared/corpus):
  - SQuAD 2.0 (CS224N dev half): each article ingested as one document (a paragraph = a segment
    with a paragraph locator), chunked with the default policy; its answerable questions.
  - SEC 10-Q PDFs: each filing extracted (adapters.extractors.pdf when present, else pypdfium2
    page by page) and chunked the same way; questions written by hand after reading the filings,
    with gold answer strings.

For every question the context is chosen exactly as QueryDocument chooses it (the whole document
when it fits the budget, else the BM25 top-k within the budget) and measured:
  - context recall: a gold answer string is inside the context sent to the model;
  - context share: context tokens / whole-document tokens.
Baselines: the whole document (recall 1, share 1 by construction) and truncation (the first
chunks that fit the budget: what a model sees without retrieval). Figures are also given for
documents over 20k tokens (the issue's target: recall >= 0.90 at <= 10% of the tokens).

The offline model end to end on SQuAD: the answer contains a gold answer (answerable questions),
the first citation points at the gold paragraph, and unanswerable questions answered with
"not in the document".

Run: .venv/bin/python -m bench.retrieval [--squad-questions N] [--context-tokens T] [--top-k K]
"""

from __future__ import annotations

import argparse
import json
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

import attrs

from adapters.llm.offline import OfflineLanguageModel
from adapters.retrieval.bm25 import BM25Retriever
from application.ports.language_model import AnswerRequest, Source
from application.prompts import SYSTEM_PROMPT
from application.use_cases.query_document import select_context, within_budget
from domain.chunking import ChunkingPolicy, chunk_segments
from domain.chunks import Chunk, Segment
from domain.citations import evidence_by_number, pinpoint
from domain.conversations import cited_numbers
from domain.locators import Locator
from domain.text import normalise

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SQUAD = CORPUS / "qa" / "squad" / "squad2-dev-cs224n-split.json"
SEC = CORPUS / "pdf" / "sec-10q"
LONG = 20_000
NOT_FOUND = ("does not contain information", "нет сведений")

# Written after reading the filings' text; gold strings are as they appear in the filing.
SEC_QUESTIONS: list[tuple[str, str, list[str]]] = [
    ("2023-Q3-NVDA.pdf", "What was NVIDIA's revenue for the third quarter of fiscal year 2024?", ["$18.12 billion"]),
    ("2023-Q3-NVDA.pdf", "How much was Data Center revenue in the third quarter of fiscal year 2024?",
     ["$14.51 billion"]),
    ("2023-Q3-NVDA.pdf", "What was Gaming revenue for the third quarter of fiscal year 2024?", ["$2.86 billion"]),
    ("2023-Q3-NVDA.pdf", "What acquisition termination cost was recorded for Arm?", ["$1.35 billion"]),
    ("2023-Q3-NVDA.pdf", "How large is the commercial paper program?", ["$575 million"]),
    ("2023-Q3-NVDA.pdf", "What share of Data Center revenue came from products now subject to export licensing "
                         "requirements?", ["20-25%"]),
    ("2023-Q3-NVDA.pdf", "What percentage of total revenue did sales to Customer A represent in the third quarter?",
     ["12%"]),
    ("2023-Q3-NVDA.pdf", "What was Automotive revenue for the third quarter of fiscal year 2024?", ["$261 million"]),
    ("2023-Q3-AAPL.pdf", "How many shares of common stock did Apple repurchase during the nine months ended "
                         "July 1, 2023?", ["365 million shares"]),
    ("2023-Q3-AAPL.pdf", "What was Apple's effective tax rate for the third quarter of 2023?", ["12.5 %", "12.5%"]),
    ("2023-Q3-AAPL.pdf", "What was the quarterly cash dividend per share as of July 1, 2023?", ["$0.24 per share"]),
    ("2023-Q3-AAPL.pdf", "How much Commercial Paper was outstanding as of July 1, 2023?", ["$4.0 billion"]),
    ("2023-Q3-AAPL.pdf", "What were iPhone net sales in the third quarter of 2023?", ["39,669"]),
]


@attrs.define
class Tally:
    questions: int = 0
    recall: int = 0
    truncation_recall: int = 0
    context_tokens: int = 0
    document_tokens: int = 0

    def add(self, hit: bool, truncation_hit: bool, context: int, document: int) -> None:
        self.questions += 1
        self.recall += hit
        self.truncation_recall += truncation_hit
        self.context_tokens += context
        self.document_tokens += document

    def line(self, name: str) -> str:
        n = max(1, self.questions)
        return (f"  {name:<26} n={self.questions:<5} context recall {self.recall / n:6.1%}   "
                f"share {self.context_tokens / max(1, self.document_tokens):6.1%}   "
                f"| whole document: recall 100.0% share 100.0%   | truncation recall {self.truncation_recall / n:6.1%}")


def select(retriever: BM25Retriever, question: str, chunks: list[Chunk], budget: int, top_k: int) -> list[Chunk]:
    """QueryDocument's choice of sources (the same function, not a copy)."""
    return select_context(retriever, question, chunks, budget=budget, top_k=top_k)


def contains(text: str, answers: Sequence[str]) -> bool:
    folded = " ".join(text.casefold().split())
    return any(" ".join(normalise(a).casefold().split()) in folded for a in answers)


def squad_articles(min_tokens: int = 0) -> list[tuple[list[Chunk], list[tuple[str, int, list[str]]]]]:
    """Each article as one document; with ``min_tokens``, consecutive articles are joined into
    documents of at least that size (SQuAD's articles are all under 20k tokens)."""
    groups: list[list[dict]] = [[]]
    size = 0
    for article in json.loads(SQUAD.read_text(encoding="utf-8"))["data"]:
        if groups[-1] and size >= min_tokens:
            groups.append([])
            size = 0
        groups[-1].append(article)
        size += sum(len(p["context"]) for p in article["paragraphs"]) // 4
    documents = []
    for group in groups:
        segments, questions = [], []
        for paragraph in (p for article in group for p in article["paragraphs"]):
            number = len(segments) + 1
            segments.append(Segment(text=paragraph["context"], locator=Locator(paragraph=number)))
            questions += [(qa["question"], number, [a["text"] for a in qa["answers"]]) for qa in paragraph["qas"]]
        documents.append((chunk_segments(uuid.uuid4(), segments, ChunkingPolicy()).chunks, questions))
    return documents


def bench_squad_long(args: argparse.Namespace, retriever: BM25Retriever) -> None:
    """Context recall and share on SQuAD articles joined into documents over 20k tokens."""
    documents = squad_articles(min_tokens=LONG + 2000)
    tally = Tally()
    for chunks, questions in documents:
        doc_tokens = sum(c.token_count for c in chunks)
        if doc_tokens <= LONG:
            continue
        truncated = " ".join(c.text for c in within_budget(chunks, args.context_tokens))
        for question, _, answers in questions:
            if answers:
                context = select(retriever, question, chunks, args.context_tokens, args.top_k)
                tally.add(contains(" ".join(c.text for c in context), answers), contains(truncated, answers),
                          sum(c.token_count for c in context), doc_tokens)
    sizes = sorted(sum(c.token_count for c in chunks) for chunks, _ in documents)
    print(f"SQuAD articles joined into {len(documents)} documents of {sizes[0]}-{sizes[-1]} tokens:")
    print(tally.line(f"documents > {LONG // 1000}k tokens"))


def pdf_segments(path: Path) -> tuple[list[Segment], str]:
    """The production PDF extractor's segments (no stand-in: the bench measures what ships)."""
    from adapters.extractors.pdf import PdfExtractor
    from domain.documents import DocumentKind

    extraction = PdfExtractor().extract(path.read_bytes(), kind=DocumentKind.PDF)
    return list(extraction.segments), "adapters.extractors.pdf"


def bench_squad(args: argparse.Namespace, retriever: BM25Retriever) -> None:
    if not SQUAD.is_file():
        print(f"SQuAD: corpus file missing: {SQUAD}")
        return
    articles = squad_articles()
    model = OfflineLanguageModel()
    every, long_docs = Tally(), Tally()
    n = {"answerable": 0, "unanswerable": 0}
    hits = {"answer_contains_gold": 0, "citation_on_gold_paragraph": 0, "unanswerable_said_so": 0,
            "answerable_said_not_found": 0}
    seconds = 0.0
    limit = args.squad_questions or 10**9
    for chunks, questions in articles:
        doc_tokens = sum(c.token_count for c in chunks)
        truncated = within_budget(chunks, args.context_tokens)
        for question, gold, answers in questions:
            if sum(n.values()) >= limit:
                break
            started = time.perf_counter()
            context = select(retriever, question, chunks, args.context_tokens, args.top_k)
            request = AnswerRequest(system=SYSTEM_PROMPT, question=question, sources=tuple(
                Source(number=i + 1, label=c.label, text=c.text) for i, c in enumerate(context)))
            answer = model.complete(request).text
            seconds += time.perf_counter() - started
            said_not_found = any(s in answer for s in NOT_FOUND)
            if not answers:
                n["unanswerable"] += 1
                hits["unanswerable_said_so"] += said_not_found
                continue
            n["answerable"] += 1
            context_tokens = sum(c.token_count for c in context)
            hit = contains(" ".join(c.text for c in context), answers)
            truncation_hit = contains(" ".join(c.text for c in truncated), answers)
            every.add(hit, truncation_hit, context_tokens, doc_tokens)
            if doc_tokens > LONG:
                long_docs.add(hit, truncation_hit, context_tokens, doc_tokens)
            hits["answer_contains_gold"] += contains(answer, answers)
            hits["answerable_said_not_found"] += said_not_found
            numbers = cited_numbers(answer)
            if numbers and numbers[0] <= len(context):
                locators, _ = pinpoint(context[numbers[0] - 1], evidence_by_number(answer).get(numbers[0], ""))
                hits["citation_on_gold_paragraph"] += any(loc.paragraph == gold for loc in locators)
    sizes = sorted(sum(c.token_count for c in chunks) for chunks, _ in articles)
    print(f"SQuAD 2.0 (CS224N dev half): {len(articles)} articles of {sizes[0]}-{sizes[-1]} tokens "
          f"({sum(s > LONG for s in sizes)} over {LONG}), {sum(n.values())} questions "
          f"({n['answerable']} answerable, {n['unanswerable']} unanswerable)")
    print(every.line("all answerable"))
    if long_docs.questions:
        print(long_docs.line(f"documents > {LONG // 1000}k tokens"))
    print("  offline model:")
    for name, value in hits.items():
        base = n["unanswerable"] if name == "unanswerable_said_so" else n["answerable"]
        print(f"    {name:<28} {value / max(1, base):6.1%}")
    print(f"    retrieval + answer: {1000 * seconds / max(1, sum(n.values())):.2f} ms per question")


def bench_sec(args: argparse.Namespace, retriever: BM25Retriever) -> None:
    documents: dict[str, list[Chunk]] = {}
    every, long_docs = Tally(), Tally()
    misses = []
    for filename, question, answers in SEC_QUESTIONS:
        if filename not in documents:
            path = SEC / filename
            if not path.is_file():
                print(f"SEC 10-Q: missing {path}")
                return
            segments, how = pdf_segments(path)
            documents[filename] = chunk_segments(uuid.uuid4(), segments, ChunkingPolicy()).chunks
            tokens = sum(c.token_count for c in documents[filename])
            print(f"SEC 10-Q {filename}: {tokens} tokens, {len(documents[filename])} chunks, read with {how}")
        chunks = documents[filename]
        doc_tokens = sum(c.token_count for c in chunks)
        if not contains(" ".join(c.text for c in chunks), answers):
            print(f"  (gold answer {answers} not found in the extracted text of {filename}: question skipped)")
            continue
        context = select(retriever, question, chunks, args.context_tokens, args.top_k)
        hit = contains(" ".join(c.text for c in context), answers)
        truncation_hit = contains(" ".join(c.text for c in within_budget(chunks, args.context_tokens)), answers)
        every.add(hit, truncation_hit, sum(c.token_count for c in context), doc_tokens)
        if doc_tokens > LONG:
            long_docs.add(hit, truncation_hit, sum(c.token_count for c in context), doc_tokens)
        if not hit:
            misses.append(question)
    print(f"SEC 10-Q: {every.questions} hand-written questions on {len(documents)} filings")
    print(every.line("all"))
    print(long_docs.line(f"documents > {LONG // 1000}k tokens"))
    for question in misses:
        print(f"    missed: {question}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--squad-questions", type=int, default=0, help="SQuAD questions to use (0: all)")
    parser.add_argument("--context-tokens", type=int, default=3000, help="context budget (ASSISTANT_CONTEXT_TOKENS)")
    parser.add_argument("--top-k", type=int, default=8, help="chunks retrieved (ASSISTANT_RETRIEVAL_TOP_K)")
    parser.add_argument("--skip-squad", action="store_true")
    args = parser.parse_args()
    print(f"context budget {args.context_tokens} tokens, top-k {args.top_k}, chunks of "
          f"{ChunkingPolicy().budget} tokens (overlap {ChunkingPolicy().overlap})")
    retriever = BM25Retriever()
    if not args.skip_squad:
        bench_squad(args, retriever)
        bench_squad_long(args, retriever)
    bench_sec(args, retriever)


if __name__ == "__main__":
    main()
