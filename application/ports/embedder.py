"""Dense text embeddings: texts in, one unit-length vector per text out (float16 rows)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import attrs


@attrs.frozen(kw_only=True)
class Embeddings:
    """``count`` rows of ``dim`` little-endian float16 values in ``data``, row-major, each row of
    unit length (a dot product is the cosine). Opaque to the core: the search index stores and
    scores them."""

    model: str
    dim: int
    data: bytes

    @property
    def count(self) -> int:
        return len(self.data) // (2 * self.dim) if self.dim else 0


class EmbeddingModelUnavailable(Exception):
    """The embedding model could not be loaded: the lexical index serves alone."""


class Embedder(Protocol):
    name: str  # the model: vectors of another model are not compared with this one's

    def embed(self, texts: Sequence[str]) -> Embeddings:
        """One vector per text, in order (EmbeddingModelUnavailable when the model cannot load)."""
        ...

    def similarities(self, query: str, texts: Sequence[str]) -> list[float]:
        """The cosine of ``query``'s vector with each text's, in order (errors as ``embed``)."""
        ...
