"""WordLlama's static embeddings (the ``wordllama`` wheel's l2_supercat 256-dimension model),
read straight from the files the wheel ships: ``weights/l2_supercat_256.safetensors`` (one
vector per token of a 32,000-token Llama-2 vocabulary) and the tokenizer's JSON, through
``safetensors`` and ``tokenizers``. Nothing is downloaded: ``wordllama`` itself is never
imported (its loader looks for the tokenizer in another folder and then tries the Hugging Face
hub). A text's vector is the mean of its tokens' vectors, unit length.

The tokenizer runs once per distinct whitespace-separated word (its pieces never cross a
space): a word's summed vectors and token count are kept, so a document costs one tokenizer
call per new word and a numpy sum per chunk (~0.25 ms a 1,200-character chunk on one core).

Licence: the package is MIT (Lee Miller, 2024); its README says the weights were trained from
the token embeddings of Llama 2 70B and Phi-3, with the Llama 2 tokenizer (see docs/answers.md).
English-centric: Russian text finds English passages only sometimes, and the reverse rarely."""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import structlog

from application.ports.embedder import EmbeddingModelUnavailable, Embeddings

log = structlog.get_logger(__name__)

WEIGHTS = Path("weights") / "l2_supercat_256.safetensors"
TOKENIZER = Path("tokenizers") / "l2_supercat_tokenizer_config.json"
MAX_WORDS = 400_000  # words remembered before the cache starts over
MAX_TEXT_WORDS = 2_000  # a text's first words embedded (a 4,000-character question is bounded)


def package_folder() -> Path | None:
    spec = importlib.util.find_spec("wordllama")
    locations = list(spec.submodule_search_locations or []) if spec else []
    return Path(locations[0]) if locations else None


class WordLlamaEmbedder:
    """Implements application.ports.embedder.Embedder. Loads on first use (or ``warm()``); a model
    that cannot load is logged once and every call then raises EmbeddingModelUnavailable."""

    name = "wordllama-l2-supercat-256"

    def __init__(self, folder: Path | None = None) -> None:
        self._folder = folder
        self._lock = threading.Lock()
        self._loaded = False
        self._failed: str | None = None
        self._vectors: np.ndarray | None = None
        self._tokenizer = None
        self._words: dict[str, int] = {}
        self._sums = np.zeros((0, 0), np.float32)
        self._counts = np.zeros(0, np.float32)

    def warm(self) -> bool:
        """Load the model now; False (and one warning) when it cannot be loaded."""
        try:
            self._load()
        except EmbeddingModelUnavailable:
            return False
        return True

    def embed(self, texts: Sequence[str]) -> Embeddings:
        self._load()
        split = [text.split()[:MAX_TEXT_WORDS] for text in texts]
        with self._lock:
            self._remember({w for words in split for w in words})
            sums, counts, index = self._sums, self._counts, self._words
            out = np.zeros((len(split), sums.shape[1]), np.float32)
            for i, words in enumerate(split):
                if words:
                    ids = np.fromiter((index[w] for w in words), np.int64, len(words))
                    total = counts[ids].sum()
                    if total:
                        out[i] = sums[ids].sum(axis=0) / total
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return Embeddings(model=self.name, dim=out.shape[1], data=(out / norms).astype("<f2").tobytes())

    def similarities(self, query: str, texts: Sequence[str]) -> list[float]:
        if not texts:
            return []
        rows = self.embed([query, *texts])
        matrix = np.frombuffer(rows.data, dtype="<f2").reshape(-1, rows.dim).astype(np.float32)
        return [float(x) for x in matrix[1:] @ matrix[0]]

    def _remember(self, batch: set[str]) -> None:
        """Tokenize the words of ``batch`` not seen yet (under the lock) and keep their sums and
        token counts; the cache starts over when it would pass ``MAX_WORDS``."""
        new = batch - self._words.keys()
        if not new:
            return
        if len(self._words) + len(new) > MAX_WORDS:
            self._words, self._sums, self._counts = {}, self._sums[:0], self._counts[:0]
            new = set(batch)
        words = sorted(new)
        encodings = self._tokenizer.encode_batch_fast(words, add_special_tokens=False)
        sums = np.zeros((len(words), self._vectors.shape[1]), np.float32)
        counts = np.zeros(len(words), np.float32)
        by_length: dict[int, list[int]] = {}
        for j, encoding in enumerate(encodings):
            if encoding.ids:
                by_length.setdefault(len(encoding.ids), []).append(j)
        for length, rows in by_length.items():  # one gather per token count
            ids = np.array([encodings[j].ids for j in rows], np.int64)
            sums[rows] = self._vectors[ids].sum(axis=1)
            counts[rows] = length
        base = len(self._counts)
        self._sums = np.concatenate([self._sums, sums]) if base else sums
        self._counts = np.concatenate([self._counts, counts]) if base else counts
        self._words.update({w: base + j for j, w in enumerate(words)})

    def _load(self) -> None:
        if self._loaded:
            return
        with self._lock:
            if self._loaded:
                return
            if self._failed is not None:
                raise EmbeddingModelUnavailable(self._failed)
            try:
                from safetensors.numpy import load_file
                from tokenizers import Tokenizer

                folder = self._folder or package_folder()
                if folder is None:
                    raise FileNotFoundError("the wordllama package is not installed")
                self._vectors = load_file(str(folder / WEIGHTS))["embedding.weight"].astype(np.float32)
                tokenizer = Tokenizer.from_file(str(folder / TOKENIZER))
                tokenizer.no_truncation()
                tokenizer.no_padding()
                self._tokenizer = tokenizer
                self._sums = np.zeros((0, self._vectors.shape[1]), np.float32)
            except Exception as error:  # a missing or damaged model: the lexical index serves alone
                self._failed = f"the embedding model {self.name} could not be loaded: {error}"
                log.warning("embedding_model_unavailable", model=self.name, error=str(error))
                raise EmbeddingModelUnavailable(self._failed) from error
            self._loaded = True
