"""WordLlamaEmbedder (adapters/embeddings/wordllama.py, the Embedder port) with the weights and
tokenizer the installed ``wordllama`` wheel ships: unit-length float16 rows of 256 values, related
sentences nearer than unrelated ones, similarities() as the dot products of embed()'s rows,
deterministic, and loaded from the wheel's two files alone, with no network."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from adapters.embeddings.wordllama import MAX_TEXT_WORDS, TOKENIZER, WEIGHTS, WordLlamaEmbedder, package_folder
from application.ports.embedder import Embedder, EmbeddingModelUnavailable, Embeddings

PAYABLE = "Invoices are payable within 30 days of receipt."
DUE = "Payment of each invoice is due thirty days after it is received."
UNRELATED = "The Berlin office cafeteria serves vegetarian lunch on Fridays."
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def embedder() -> WordLlamaEmbedder:
    model = WordLlamaEmbedder()
    assert model.warm(), "the wordllama wheel's model did not load"
    return model


def rows(embeddings: Embeddings) -> np.ndarray:
    return np.frombuffer(embeddings.data, dtype="<f2").reshape(-1, embeddings.dim)


def test_one_float16_row_of_256_values_per_text(embedder: WordLlamaEmbedder) -> None:
    out = embedder.embed([PAYABLE, DUE, UNRELATED])
    assert (out.model, out.dim, out.count) == ("wordllama-l2-supercat-256", 256, 3)
    assert len(out.data) == 3 * 256 * 2  # little-endian float16
    assert rows(out).dtype == np.dtype("<f2") and rows(out).shape == (3, 256)
    assert out.model == embedder.name


def test_rows_are_unit_length(embedder: WordLlamaEmbedder) -> None:
    norms = np.linalg.norm(rows(embedder.embed([PAYABLE, "x", "Штраф по договору", "1 2 3"])).astype(np.float64), axis=1)
    assert norms == pytest.approx([1.0] * 4, abs=2e-3)


def test_related_sentences_are_nearer_than_unrelated_ones(embedder: WordLlamaEmbedder) -> None:
    matrix = rows(embedder.embed([PAYABLE, DUE, UNRELATED])).astype(np.float32)
    cosines = matrix @ matrix.T
    assert cosines[0, 1] > cosines[0, 2] + 0.3
    assert cosines[0, 1] > cosines[1, 2] + 0.3


def test_similarities_are_the_cosines_of_embed(embedder: WordLlamaEmbedder) -> None:
    scores = embedder.similarities(PAYABLE, [DUE, UNRELATED, PAYABLE])
    matrix = rows(embedder.embed([PAYABLE, DUE, UNRELATED])).astype(np.float32)
    assert scores == pytest.approx([float(matrix[1] @ matrix[0]), float(matrix[2] @ matrix[0]), 1.0], abs=2e-3)
    assert all(isinstance(s, float) for s in scores)
    assert scores[0] > scores[1]


def test_empty_input(embedder: WordLlamaEmbedder) -> None:
    none = embedder.embed([])
    assert (none.model, none.dim, none.count, none.data) == (embedder.name, 256, 0, b"")
    assert embedder.similarities(PAYABLE, []) == []
    blank = embedder.embed(["", "   \n"])  # no words: a zero row (nothing to be near), not NaN
    assert blank.count == 2 and not rows(blank).any()
    assert embedder.similarities("", [PAYABLE]) == [0.0]


def test_deterministic_whatever_the_batch_and_the_process(embedder: WordLlamaEmbedder) -> None:
    alone = embedder.embed([DUE]).data
    in_batch = rows(embedder.embed([UNRELATED, DUE, PAYABLE]))[1].tobytes()
    fresh = WordLlamaEmbedder().embed([DUE]).data
    assert alone == in_batch == fresh == embedder.embed([DUE]).data


def test_a_long_text_is_embedded_by_its_first_words(embedder: WordLlamaEmbedder) -> None:
    words = [f"word{i % 97}" for i in range(MAX_TEXT_WORDS)]
    head = " ".join(words)
    assert embedder.embed([head + " " + " ".join(["dividend"] * 500)]).data == embedder.embed([head]).data


def test_the_word_cache_starting_over_changes_no_vector(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = WordLlamaEmbedder().embed([PAYABLE, DUE, UNRELATED]).data
    monkeypatch.setattr("adapters.embeddings.wordllama.MAX_WORDS", 5)
    small = WordLlamaEmbedder()
    small.embed([UNRELATED])
    assert small.embed([PAYABLE, DUE, UNRELATED]).data == expected
    assert small.embed([PAYABLE, DUE, UNRELATED]).data == expected


def test_the_wheels_two_files_are_all_it_reads(tmp_path: Path) -> None:
    installed = package_folder()
    assert installed is not None and (installed / WEIGHTS).is_file() and (installed / TOKENIZER).is_file()
    for relative in (WEIGHTS, TOKENIZER):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(installed / relative, tmp_path / relative)
    copied = WordLlamaEmbedder(folder=tmp_path)
    assert copied.embed([PAYABLE, UNRELATED]).data == WordLlamaEmbedder().embed([PAYABLE, UNRELATED]).data


def test_a_missing_model_is_unavailable_every_time(tmp_path: Path) -> None:
    broken = WordLlamaEmbedder(folder=tmp_path)  # an empty folder
    assert broken.warm() is False
    for _ in range(2):
        with pytest.raises(EmbeddingModelUnavailable, match="wordllama-l2-supercat-256"):
            broken.embed([PAYABLE])
    with pytest.raises(EmbeddingModelUnavailable):
        broken.similarities(PAYABLE, [DUE])


PROBE = textwrap.dedent("""
    import json, sys

    attempts = []

    def no_network(event, args):
        if event.startswith("socket.") and event not in ("socket.__new__", "socket.gethostname"):
            attempts.append(event)
            raise OSError(f"network blocked in this test: {event}")

    sys.addaudithook(no_network)
    from adapters.embeddings.wordllama import WordLlamaEmbedder

    embedder = WordLlamaEmbedder()
    loaded = embedder.warm()
    out = embedder.embed(["Invoices are payable within 30 days."])
    print(json.dumps({"loaded": loaded, "count": out.count, "dim": out.dim, "attempts": attempts,
                      "imported": sorted(m for m in sys.modules
                                         if m.split(".")[0] in ("wordllama", "huggingface_hub", "requests"))}))
""")


def test_it_loads_without_network_or_hub_and_never_imports_wordllama(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGINGFACE", "ASSISTANT_"))}
    env |= {"HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache"), "HF_HOME": str(tmp_path / "hf"),
            "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report == {"loaded": True, "count": 1, "dim": 256, "attempts": [], "imported": []}
    assert not (tmp_path / "hf").exists() and not (tmp_path / "cache").exists()  # no hub cache written


def test_it_implements_the_port(embedder: WordLlamaEmbedder) -> None:
    port: Embedder = embedder
    assert port.name == "wordllama-l2-supercat-256" and len(port.name) <= 100  # search_documents.model
