"""Answer quality: what the model is sent, what the keyless engine answers, what its citations
point at, on question sets written by reading the documents (bench/questions/*.json).

Every question goes through the shipped path: the documents uploaded and processed by the
use cases (extraction, chunking, the search index) into a SQLite file of its own, the question
asked through QueryDocument with the offline model. Printed per corpus and kind of question:
  recall     the main fact (the first gold string) is inside the context sent to the model
  share      context tokens / document tokens
  answer     the keyless answer states the main fact (the gold string, or a table value given in
             another unit as written in prose: "$14.51 billion" for 14,514 in millions)
  citations  citation precision: of the citations of the answers that state the fact, the share
             whose locator's text holds it (and, in brackets, the same over every answer's citations)
against the baselines: the whole document (recall 100%, share 100% by construction) and
truncation (the first chunks that fit the budget). SQuAD 2.0 (CS224N dev half): each article a
Markdown document of its paragraphs; answerable questions as above, unanswerable ones counted
when the answer says the document does not contain it.

Follow-ups (bench/questions/followups.json): the first question of a pair asked in a new thread,
then the follow-up, scored: its answer states the fact, its standalone question's context holds
it; beside it the same follow-up asked alone (no thread), the baseline.

Run: .venv/bin/python -m bench.retrieval [--only sec,ru,holdout,small,squad,followups] [--squad-questions N] [--misses]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import attrs

from application.retrieval.context import within_budget
from bench.qa_world import World, answer_holds, holds, locator_text
from domain.text import count_tokens

QUESTIONS = Path(__file__).resolve().parent / "questions"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SQUAD = CORPUS / "qa" / "squad" / "squad2-dev-cs224n-split.json"
NOT_FOUND = ("does not contain information", "нет сведений")


@attrs.define
class Tally:
    n: int = 0
    recall: int = 0
    truncation: int = 0
    context: int = 0
    document: int = 0
    answered: int = 0
    cited: int = 0  # citations of every answer
    cited_right: int = 0
    kept: int = 0  # citations of the answers that state the fact
    kept_right: int = 0
    seconds: float = 0.0

    def cite(self, answer_right: bool, locator_right: bool) -> None:
        self.cited += 1
        self.cited_right += locator_right
        if answer_right:
            self.kept += 1
            self.kept_right += locator_right

    def line(self, name: str) -> str:
        n = max(1, self.n)
        return (f"  {name:<8} n={self.n:<4} recall {self.recall / n:6.1%}  share {self.context / max(1, self.document):6.1%}"
                f"  answer {self.answered / n:6.1%}  citation precision {self.kept_right / max(1, self.kept):6.1%}"
                f" of {self.kept:<3} (all answers' {self.cited_right / max(1, self.cited):6.1%} of {self.cited:<3})"
                f" | truncation recall {self.truncation / n:6.1%} | {1000 * self.seconds / n:5.1f} ms/q")


def run_set(world: World, files: dict[str, Path], questions: list[dict], args: argparse.Namespace,
            label: str, by_language: bool = False) -> dict[str, Tally]:
    tallies: dict[str, Tally] = defaultdict(Tally)
    documents = {}
    for name, path in files.items():
        document = world.ingest(path)
        if document.status.value != "completed":
            print(f"  {name}: {document.status.value} {document.error_code}")
            continue
        chunks = world.chunks(document.id)
        documents[name] = (document, chunks, sum(c.token_count for c in chunks),
                           " ".join(c.text for c in within_budget(chunks, args.context_tokens)))
    for q in questions:
        if q["file"] not in documents:
            continue
        document, chunks, tokens, truncated = documents[q["file"]]
        gold = q["gold"][0]
        if q.get("gold_alt") and not holds("\n".join(c.text for c in chunks), gold):
            gold = q["gold_alt"][0] if isinstance(q["gold_alt"], list) else q["gold_alt"]  # the value as stored
        started = time.perf_counter()
        conversation, sources = world.ask([document.id], q["question"])
        seconds = time.perf_counter() - started
        context = "\n".join(sources)
        keys = (q.get("kind", "all"), "all")
        if by_language:  # also per language and kind: "en/table", "ru/prose"
            keys += (f"{q.get('language', 'en')}/{q.get('kind', 'all')}",)
        for key in keys:
            t = tallies[key]
            t.n += 1
            t.recall += holds(context, gold)
            t.truncation += holds(truncated, gold)
            t.context += count_tokens(context)
            t.document += tokens
            right = answer_holds(conversation.answer, gold)
            t.answered += right
            t.seconds += seconds
            for citation in conversation.citations:
                t.cite(right, any(holds(locator_text(chunks, loc), gold) for loc in citation.locators))
        if args.misses and not answer_holds(conversation.answer, gold):
            where = "context" if holds(context, gold) else "NOT IN CONTEXT"
            print(f"    miss [{label}/{q.get('id')}] ({where}) {q['question']!r} gold={gold!r}\n"
                  f"         -> {conversation.answer[:300]!r}")
        elif args.misses and not all(any(holds(locator_text(chunks, loc), gold) for loc in c.locators)
                                     for c in conversation.citations):
            print(f"    citation [{label}/{q.get('id')}] {q['question']!r} gold={gold!r} page={q.get('page')}\n"
                  f"         -> {conversation.answer[:200]!r} cites {[c.label for c in conversation.citations]}")
    return tallies


def load(name: str) -> tuple[dict[str, Path], list[dict]]:
    data = json.loads((QUESTIONS / name).read_text(encoding="utf-8"))
    files, questions = {}, []
    for document in data["documents"]:
        files[document["file"]] = CORPUS / document["file"]
        questions += [{**q, "file": document["file"]} for q in document["questions"]]
    return files, questions


def small_documents() -> tuple[dict[str, Path], list[dict]]:
    folder = Path(tempfile.mkdtemp(prefix="small-docs-"))
    subprocess.run([sys.executable, str(QUESTIONS / "make_small_docs.py"), str(folder)], check=True,
                   capture_output=True)
    data = json.loads((QUESTIONS / "small_docs.json").read_text(encoding="utf-8"))
    files, questions = {}, []
    for document in data["documents"]:
        files[document["file"]] = folder / document["file"]
        questions += [{**q, "file": document["file"], "kind": "small"} for q in document["questions"]]
    return files, questions


def follow_ups(world: World, args: argparse.Namespace) -> None:
    data = json.loads((QUESTIONS / "followups.json").read_text(encoding="utf-8"))
    small_files, _ = small_documents()
    folder = next(iter(small_files.values())).parent
    ingested: dict[str, object] = {}
    for label, groups in (("Follow-ups (bench/questions/followups.json)", (("documents", CORPUS), ("small", folder))),
                          ("Follow-ups held out (written after the tuning)", (("holdout", CORPUS),
                                                                                ("holdout_small", folder)))):
        tallies: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # n, answered, recall, alone
        for group, base in groups:
            for entry in data[group]:
                if entry["file"] not in ingested:
                    ingested[entry["file"]] = world.ingest(base / entry["file"])
                document = ingested[entry["file"]]
                if document.status.value != "completed":
                    print(f"  {entry['file']}: {document.status.value} {document.error_code}")
                    continue
                for pair in entry["pairs"]:
                    _score_pair(world, document, pair, tallies, args)
        print(f"{label}: {tallies['all'][0]} pairs")
        for key in sorted(tallies):
            n, answered, recall, alone = tallies[key]
            print(f"  {key:<6} n={n:<3} follow-up answer {answered / n:6.1%}  standalone recall {recall / n:6.1%}"
                  f" | asked alone, no thread: answer {alone / n:6.1%}")


def _score_pair(world: World, document, pair: dict, tallies: dict[str, list[int]],  # noqa: ANN001
                args: argparse.Namespace) -> None:
    gold = pair["gold"][0]
    conversation, sources, resolved = world.ask_follow_up([document.id], pair["first"], pair["followup"])
    alone, _ = world.ask([document.id], pair["followup"])
    right, found = answer_holds(conversation.answer, gold), holds("\n".join(sources), gold)
    for key in ("all", pair["kind"], pair["language"]):
        t = tallies[key]
        t[0] += 1
        t[1] += right
        t[2] += found
        t[3] += answer_holds(alone.answer, gold)
    if args.misses and not right:
        print(f"    miss [{pair['id']}] ({'context' if found else 'NOT IN CONTEXT'}) {pair['followup']!r} "
              f"-> standalone {resolved!r} gold={gold!r}\n         -> {conversation.answer[:200]!r}")


def squad(world: World, args: argparse.Namespace) -> None:
    data = json.loads(SQUAD.read_text(encoding="utf-8"))["data"]
    folder = Path(tempfile.mkdtemp(prefix="squad-"))
    answerable, unanswerable = Tally(), Tally()
    said_not_found = answerable_not_found = asked = 0
    for article in data:
        path = folder / f"{article['title'][:60]}.md"
        path.write_text("\n\n".join(p["context"] for p in article["paragraphs"]), encoding="utf-8")
        document = world.ingest(path)
        chunks = world.chunks(document.id)
        tokens = sum(c.token_count for c in chunks)
        truncated = " ".join(c.text for c in within_budget(chunks, args.context_tokens))
        for paragraph in article["paragraphs"]:
            for qa in paragraph["qas"]:
                if args.squad_questions and asked >= args.squad_questions:
                    break
                asked += 1
                started = time.perf_counter()
                conversation, sources = world.ask([document.id], qa["question"])
                seconds = time.perf_counter() - started
                not_found = any(s in conversation.answer for s in NOT_FOUND)
                if not qa["answers"]:
                    unanswerable.n += 1
                    unanswerable.seconds += seconds
                    said_not_found += not_found
                    continue
                golds = [a["text"] for a in qa["answers"]]
                context = "\n".join(sources)
                t = answerable
                t.n += 1
                t.recall += any(holds(context, g) for g in golds)
                t.truncation += any(holds(truncated, g) for g in golds)
                t.context += count_tokens(context)
                t.document += tokens
                right = any(holds(conversation.answer, g) for g in golds)
                t.answered += right
                answerable_not_found += not_found
                t.seconds += seconds
                for citation in conversation.citations:
                    t.cite(right, any(holds(locator_text(chunks, loc), g) for loc in citation.locators for g in golds))
    print(f"SQuAD 2.0 (CS224N dev half): {len(data)} articles, {answerable.n} answerable and {unanswerable.n} "
          f"unanswerable questions")
    print(answerable.line("answerable"))
    print(f"  unanswerable recognised {said_not_found / max(1, unanswerable.n):6.1%}   answerable said not found "
          f"{answerable_not_found / max(1, answerable.n):6.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="sec,ru,holdout,small,squad,followups",
                        help="corpora: sec, ru, holdout, small, squad, followups")
    parser.add_argument("--squad-questions", type=int, default=0, help="SQuAD questions to ask (0: all)")
    parser.add_argument("--context-tokens", type=int, default=2500, help="ASSISTANT_CONTEXT_TOKENS")
    parser.add_argument("--misses", action="store_true", help="print every question whose answer lacks the fact")
    parser.add_argument("--embedding", default=None, help="ASSISTANT_EMBEDDING_BACKEND (default: the shipped one)")
    args = parser.parse_args()
    only = set(args.only.split(","))
    settings = {"context_tokens": args.context_tokens}
    if args.embedding:
        settings["embedding_backend"] = args.embedding
    world = World(**settings)
    print(f"context budget {args.context_tokens} tokens; embedding model: "
          f"{getattr(world.container.embedder(), 'name', None) or 'none'}")
    try:
        sets = []
        if "sec" in only:
            a, qa = load("sec10q_a.json")
            b, qb = load("sec10q_b.json")
            sets.append(("SEC 10-Q (5 filings)", {**a, **b}, qa + qb))
        if "ru" in only:
            sets.append(("Russian contract (docx/bug65649.docx)", *load("ru_contract.json")))
        if "holdout" in only:
            sets.append(("Held-out set (written after tuning, never tuned on)", *load("holdout.json")))
        if "small" in only:
            sets.append(("small documents", *small_documents()))
        for label, files, questions in sets:
            tallies = run_set(world, files, questions, args, label.split()[0], by_language=label.startswith("Held-out"))
            print(f"{label}: {tallies['all'].n} questions")
            for kind in sorted(tallies):
                print(tallies[kind].line(kind))
        if "followups" in only:
            follow_ups(world, args)
        if "squad" in only:
            squad(world, args)
    finally:
        world.close()


if __name__ == "__main__":
    main()
