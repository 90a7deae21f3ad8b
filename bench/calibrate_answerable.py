"""Fit application.keyless.answerable's coefficients on SQuAD 2.0's even articles and print them,
with the answerable / unanswerable figures at several thresholds on the even (fitted) and odd
(not fitted) articles.

Every question goes through the shipped path (bench.qa_world: upload, processing, the search
index, QueryDocument with the offline engine); the engine is made to answer every question
(application.keyless.answerer.evidence wrapped to record the Evidence and answer anyway), and the label is
whether that forced answer holds a gold answer (never, for an unanswerable question). The rule of
application.keyless.swaps is no feature of the fit; a sentence it refuses counts as "not found"
in the figures and in the threshold's choice. Then a
logistic regression (numpy, standardised features, L2 1e-3) on the even articles; the threshold
printed as chosen is the highest whose share of the even articles' answerable questions told
"not found" stays within ``--max-not-found``. Paste the printed constants into answerable.py.

Run: .venv/bin/python -m bench.calibrate_answerable [--max-not-found 0.07]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import attrs
import numpy as np

from application.keyless import answerer
from application.keyless.answerable import MEAN_COSINE, Evidence
from bench.qa_world import World, holds
from bench.retrieval import SQUAD

FEATURES = [f.name for f in attrs.fields(Evidence) if f.name != "swapped"]  # a rule, not fitted


class _Forced:
    """Stands for an Evidence in the engine: always answers, so every question is answered."""

    def answers(self) -> bool:
        return True


def collect(world: World) -> list[tuple[dict[str, float], bool, bool, int]]:
    """(features, the forced answer holds a gold answer, answerable, article) per question whose
    best unit is a sentence."""
    recorded: list[Evidence] = []
    build = answerer.evidence

    def keep(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        recorded.append(build(*args, **kwargs))
        return _Forced()

    answerer.evidence = keep
    out = []
    try:
        data = json.loads(SQUAD.read_text(encoding="utf-8"))["data"]
        folder = Path(tempfile.mkdtemp(prefix="squad-"))
        for index, article in enumerate(data):
            path = folder / f"{article['title'][:60]}.md"
            path.write_text("\n\n".join(p["context"] for p in article["paragraphs"]), encoding="utf-8")
            document = world.ingest(path)
            for paragraph in article["paragraphs"]:
                for qa in paragraph["qas"]:
                    recorded.clear()
                    conversation, _ = world.ask([document.id], qa["question"])
                    found = recorded[-1] if recorded else None
                    if found is None:
                        continue
                    values = attrs.asdict(found)
                    values["cosine"] = MEAN_COSINE if values["cosine"] is None else values["cosine"]
                    right = any(holds(conversation.answer, a["text"]) for a in qa["answers"])
                    out.append((values, right, bool(qa["answers"]), index))
    finally:
        answerer.evidence = build
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-not-found", type=float, default=0.07)
    args = parser.parse_args()
    world = World()
    try:
        rows = collect(world)
    finally:
        world.close()
    x = np.array([[float(v[name]) for name in FEATURES] for v, _, _, _ in rows])
    y = np.array([right for _, right, _, _ in rows], dtype=float)
    answerable = np.array([a for _, _, a, _ in rows])
    even = np.array([i % 2 == 0 for _, _, _, i in rows])
    mean, spread = x[even].mean(0), x[even].std(0) + 1e-9
    z = np.c_[np.ones(len(x)), (x - mean) / spread]
    b = np.zeros(z.shape[1])
    for _ in range(3000):
        p = 1 / (1 + np.exp(-z[even] @ b))
        b += 0.5 * (z[even].T @ (y[even] - p) / even.sum() - 1e-3 * b)
    coefficients = b[1:] / spread
    bias = b[0] - float((b[1:] * mean / spread).sum())
    probability = 1 / (1 + np.exp(-(bias + x @ coefficients)))
    print(f"_BIAS = {bias:.3f}")
    print("_COEFFICIENTS = {" + ", ".join(f'"{n}": {c:.3f}' for n, c in zip(FEATURES, coefficients)) + "}")
    print(f"MEAN_COSINE = {x[even][:, FEATURES.index('cosine')].mean():.2f}")
    swapped = np.array([bool(v.get("swapped")) for v, _, _, _ in rows])  # application.keyless.swaps: refused anyway
    chosen = 0.0
    for step in range(41):  # thresholds 0.00 to 0.40 by 0.01; every 0.05 printed
        threshold = step / 100
        line = []
        for name, half in (("even", even), ("odd", ~even)):
            answered = (probability[half] >= threshold) & ~swapped[half]
            right = (y[half] * answered).sum() / max(1, answerable[half].sum())
            told = (answerable[half] & ~answered).sum() / max(1, answerable[half].sum())
            recognised = (~answerable[half] & ~answered).sum() / max(1, (~answerable[half]).sum())
            line.append(f"{name}: answerable right {right:6.1%}, told not found {told:5.1%}, unanswerable "
                        f"recognised {recognised:6.1%}")
            if name == "even" and told <= args.max_not_found:
                chosen = threshold
        if step % 5 == 0:
            print(f"threshold {threshold:.2f}  " + " | ".join(line))
    print(f"THRESHOLD = {chosen:.2f}  (the highest keeping the even articles' answerable told not found <= "
          f"{args.max_not_found:.0%}); questions answered by a table row or before the decision are left out")


if __name__ == "__main__":
    main()
