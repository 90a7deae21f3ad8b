"""Dense lookups over the float16 matrices kept in search_documents, shared by both databases.

A question reads, for its documents, only ``version`` and ``model`` (a few bytes a document);
matrices come from a process-wide cache keyed by (document, version) and are read from the
database only when missing or stale, so a warm process scores a 100-document library without
reading a vector. Scores are cosines (the rows and the query are unit length)."""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Sequence

import attrs
import numpy as np

from application.ports.embedder import Embeddings
from application.ports.search_index import SearchHit

CACHE_BYTES = 256 * 2**20


@attrs.frozen
class Matrix:
    """A document's vectors (row i: the chunk of ordinal i) and the ordinals of its boilerplate chunks."""

    rows: np.ndarray
    boilerplate: frozenset[int] = frozenset()

    def __len__(self) -> int:
        return len(self.rows)


class MatrixCache:
    """An LRU of documents' float32 matrices bounded by their total size."""

    def __init__(self, capacity_bytes: int = CACHE_BYTES) -> None:
        self._items: OrderedDict[tuple[uuid.UUID, uuid.UUID], Matrix] = OrderedDict()
        self._bytes, self._capacity = 0, capacity_bytes
        self._lock = threading.Lock()

    def get(self, key: tuple[uuid.UUID, uuid.UUID]) -> Matrix | None:
        with self._lock:
            matrix = self._items.get(key)
            if matrix is not None:
                self._items.move_to_end(key)
            return matrix

    def put(self, key: tuple[uuid.UUID, uuid.UUID], matrix: Matrix) -> None:
        with self._lock:
            if key in self._items:
                return
            self._items[key] = matrix
            self._bytes += matrix.rows.nbytes
            while self._bytes > self._capacity and len(self._items) > 1:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= dropped.rows.nbytes


MATRICES = MatrixCache()


def in_ordinal_order(vectors: Embeddings, ordinals: Sequence[int]) -> Embeddings:
    """The rows reordered so that row i is the chunk of ordinal i (a lookup names its hits by row);
    the chunks given must be the document's, ordinals 0..n-1 in any order, one row each."""
    if vectors.count != len(ordinals) or sorted(ordinals) != list(range(len(ordinals))):
        raise ValueError("vectors need one row per chunk of the document, ordinals 0..n-1")
    if list(ordinals) == sorted(ordinals):
        return vectors
    rows = np.frombuffer(vectors.data, dtype="<f2").reshape(-1, vectors.dim)[np.argsort(ordinals)]
    return attrs.evolve(vectors, data=rows.astype("<f2").tobytes())


def matrix(data: bytes, dim: int) -> np.ndarray:
    return np.frombuffer(data, dtype="<f2").reshape(-1, dim).astype(np.float32)


Load = Callable[[list[uuid.UUID]], dict[uuid.UUID, tuple[bytes, int, frozenset[int]]]]


def nearest(
    documents: Sequence[tuple[uuid.UUID, uuid.UUID]],
    load: Load,
    query: Embeddings,
    limit: int,
    cache: MatrixCache = MATRICES,
) -> list[SearchHit]:
    """The ``limit`` rows nearest ``query`` among ``documents`` ((id, version) pairs indexed with
    the query's model); ``load`` reads the (vectors, dim, boilerplate ordinals) of the ids given,
    for the cache misses. A hit is named by its row (row i is the chunk of ordinal i)."""
    if limit <= 0 or not documents or query.count != 1:
        return []
    matrices, missing = cached(documents, cache)
    if missing:
        matrices |= parsed(documents, load(missing), query.dim, cache)
    return scored(documents, matrices, query, limit)


def cached(documents: Sequence[tuple[uuid.UUID, uuid.UUID]], cache: MatrixCache = MATRICES,
           ) -> tuple[dict[uuid.UUID, Matrix], list[uuid.UUID]]:
    """The documents' matrices the cache holds (held here: an eviction meanwhile loses none) and
    the ids of the others."""
    matrices: dict[uuid.UUID, Matrix] = {}
    missing = []
    for document_id, version in documents:
        found = cache.get((document_id, version))
        if found is None:
            missing.append(document_id)
        else:
            matrices[document_id] = found
    return matrices, missing


def parsed(documents: Sequence[tuple[uuid.UUID, uuid.UUID]],
           loaded: dict[uuid.UUID, tuple[bytes, int, frozenset[int]]], dim: int,
           cache: MatrixCache = MATRICES) -> dict[uuid.UUID, Matrix]:
    """Matrices of the rows ``load`` read (those of another dimension left out), put in the cache."""
    versions = dict(documents)
    matrices = {}
    for document_id, (data, stored_dim, boilerplate) in loaded.items():
        if stored_dim != dim:
            continue
        matrices[document_id] = Matrix(matrix(data, stored_dim), boilerplate)
        cache.put((document_id, versions[document_id]), matrices[document_id])
    return matrices


def scored(documents: Sequence[tuple[uuid.UUID, uuid.UUID]], matrices: dict[uuid.UUID, Matrix],
           query: Embeddings, limit: int) -> list[SearchHit]:
    """The ``limit`` rows of ``matrices`` nearest ``query``, in ``documents`` order on ties."""
    if limit <= 0 or query.count != 1:
        return []
    ordered = [(d, matrices[d].rows) for d, _ in documents
               if d in matrices and len(matrices[d]) and matrices[d].rows.shape[1] == query.dim]
    if not ordered:
        return []
    vector = matrix(query.data, query.dim)[0]
    # one small product per document (too small for BLAS to spread over threads; no copy of the
    # library's matrices into one), then one array of scores
    scores = np.concatenate([m @ vector for _, m in ordered]) if len(ordered) > 1 else ordered[0][1] @ vector
    owners = np.repeat(np.arange(len(ordered)), [len(m) for _, m in ordered])
    starts = np.cumsum([0] + [len(m) for _, m in ordered])
    k = min(limit, len(scores))
    top = np.argpartition(-scores, k - 1)[:k]
    top = top[np.lexsort((top, -scores[top]))]
    hits = []
    for i in top:
        document_id, ordinal = ordered[owners[i]][0], int(i - starts[owners[i]])
        hits.append(SearchHit(document_id=document_id, ordinal=ordinal, score=float(scores[i]),
                              boilerplate=ordinal in matrices[document_id].boilerplate))
    return hits
