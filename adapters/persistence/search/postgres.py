"""PostgreSQL: the terms as a tsvector built from the analyzer's own terms (a literal, so no
text-search configuration re-parses them), GIN-indexed; ranked BM25-style in one statement:
each term's ``ts_rank`` (a saturating function of its frequency, divided by 1 + log of the
chunk's length) weighted by its inverse document frequency: from the planner's statistics of
the lexemes once the table has been analysed (one pass over the matching rows), counted among
the question's documents before that."""

from __future__ import annotations

import math
import threading
import time
import uuid
from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import bindparam, cast, insert, text
from sqlalchemy.dialects.postgresql import TSVECTOR

from adapters.persistence.search.common import SearchIndexBase, informative, query_terms
from adapters.persistence.search.vectors import cached, parsed, scored
from adapters.persistence.tables import search_chunks
from application.ports.embedder import Embeddings
from application.ports.search_index import SearchHit


_COMMON = text("SELECT most_common_elems::text AS elems, most_common_elem_freqs AS freqs FROM pg_stats "
               "WHERE tablename = 'search_chunks' AND attname = 'terms'")
STATS_SECONDS = 300.0
_stats: tuple[float, dict[str, float]] = (0.0, {})
_stats_lock = threading.Lock()


def tsvector_literal(terms: Sequence[str]) -> str:
    """``'term':1,4 'other':2``: each term with its positions (1-based, at most 16383)."""
    positions: dict[str, list[int]] = {}
    for position, term in enumerate(terms, start=1):
        positions.setdefault(term, []).append(min(position, 16383))
    return " ".join(f"'{_quoted(term)}':{','.join(map(str, spots[:256]))}" for term, spots in positions.items())


def _tsquery(term: str) -> str:
    """A term as a tsquery: ``'term'``, or ``'term':*`` for a prefix."""
    return f"'{_quoted(term.rstrip('*'))}'" + (":*" if term.endswith("*") else "")


def _quoted(term: str) -> str:
    return term.replace("\\", "\\\\").replace("'", "''")


class PostgresSearchIndex(SearchIndexBase):
    """Implements application.ports.search_index.SearchIndex on PostgreSQL."""

    terms_key = "terms_literal"

    def _insert_chunks(self) -> Any:
        return insert(search_chunks).values(terms=cast(bindparam("terms_literal"), TSVECTOR))

    def _terms_value(self, terms: Sequence[str]) -> str:
        return tsvector_literal(terms)

    def _vector_rows(self, ids: list[uuid.UUID]) -> list[tuple[uuid.UUID, bytes | None, int | None]]:
        """Read in psycopg's binary format, on this unit of work's connection: a text-format bytea
        is sent as hex, twice the bytes, then decoded (a cold library question read ~10 MB so)."""
        raw = self._conn.connection.driver_connection
        with raw.cursor(binary=True) as cursor:
            cursor.execute("SELECT document_id, vectors, dim FROM search_documents WHERE document_id = ANY(%s)", [ids])
            return [(document_id, vectors, dim) for document_id, vectors, dim in cursor.fetchall()]

    def lexical(self, document_ids: Sequence[uuid.UUID], terms: Sequence[str], *, limit: int) -> list[SearchHit]:
        lookup = self._lexical_lookup(document_ids, terms, limit)
        if lookup is None:
            return []
        return _hits(self._conn.execute(*lookup).all())

    def hybrid(self, document_ids: Sequence[uuid.UUID], terms: Sequence[str], query: Embeddings | None, *,
               limit: int) -> tuple[list[SearchHit], list[SearchHit]]:
        """The two lookups overlapped: the lexical statement is sent in pipeline mode and ranked by
        the server while this process scores the vectors (a matrix missing from the cache is read
        before, the arithmetic done meanwhile), then its rows are read. The same hits as
        ``lexical`` then ``dense``."""
        from psycopg import Pipeline  # loaded with the connection already; not imported on SQLite

        lookup = self._lexical_lookup(document_ids, terms, limit) if query is not None and limit > 0 else None
        if lookup is None or not Pipeline.is_supported():  # pipeline mode needs libpq 14 or later
            return super().hybrid(document_ids, terms, query, limit=limit)
        documents = self._dense_documents(document_ids, query)
        matrices, missing = cached(documents)
        loaded = self._load(missing) if missing else {}
        connection = self._conn  # row security's settings sent first (adapters.persistence.unit_of_work)
        statement = str(lookup[0].compile(dialect=connection.dialect))
        raw = connection.connection.driver_connection
        with raw.pipeline(), raw.cursor() as cursor:
            cursor.execute(statement, lookup[1])
            matrices |= parsed(documents, loaded, query.dim)
            dense = scored(documents, matrices, query, limit) if query.count == 1 else []
            rows = cursor.fetchall()
        return _hits([_Row(*row) for row in rows]), dense

    def _lexical_lookup(self, document_ids: Sequence[uuid.UUID], terms: Sequence[str], limit: int,
                        ) -> tuple[Any, dict[str, Any]] | None:
        """The lexical statement and its parameters; None when there is nothing to look up."""
        wanted = query_terms(terms)
        if not wanted or not document_ids or limit <= 0:
            return None
        shares = self._shares()
        wanted = informative(wanted, shares)
        queries = [_tsquery(t) for t in wanted if t.rstrip("*")]
        params: dict[str, Any] = {"ids": list(dict.fromkeys(document_ids)), "limit": limit,
                                  "any": " | ".join(queries)}
        for i, query in enumerate(queries):
            params[f"q{i}"] = query
        statement = _weighted(queries, wanted, shares, params) if shares else _counted(queries)
        return statement, params

    def _shares(self) -> dict[str, float]:
        """The commonest lexemes' shares of the chunks, from the planner's statistics (pg_stats'
        most common elements, which ANALYZE and autovacuum keep), read once per ``STATS_SECONDS``
        per process; empty until the table has been analysed."""
        global _stats
        now = time.monotonic()
        if now - _stats[0] < STATS_SECONDS:
            return _stats[1]
        row = self._conn.execute(_COMMON).first()
        shares: dict[str, float] = {}
        if row is not None and row.elems and row.freqs:
            elems = [e.strip('"') for e in row.elems.strip("{}").split(",")]
            shares = {e: float(f) for e, f in zip(elems, row.freqs, strict=False)}
        with _stats_lock:
            _stats = (now, shares)
        return shares


class _Row(NamedTuple):
    """A lexical row read by the driver itself (``hybrid``): the statements' columns, in order."""

    document_id: uuid.UUID
    ordinal: int
    boilerplate: bool
    score: float


def _hits(rows: Sequence[Any]) -> list[SearchHit]:
    return [SearchHit(document_id=row.document_id, ordinal=row.ordinal, score=float(row.score),
                      boilerplate=bool(row.boilerplate)) for row in rows]


def _weighted(queries: list[str], wanted: list[str], shares: dict[str, float], params: dict[str, Any]) -> Any:
    """Each term's inverse frequency from the planner's statistics (a term not among the most
    common elements is at most as frequent as the least of them): one pass over the matching rows."""
    floor = min(shares.values()) / 2
    scores = []
    for i, term in enumerate(wanted[: len(queries)]):
        share = min(max(shares.get(term.rstrip("*"), floor), 1e-6), 0.999)
        params[f"w{i}"] = math.log(1 + (1 - share) / share)
        scores.append(f"ts_rank(terms, CAST(:q{i} AS tsquery), 1) * :w{i}")
    return text(
        f"SELECT document_id, ordinal, boilerplate, ({' + '.join(scores)}) AS score FROM search_chunks "
        "WHERE document_id = ANY(:ids) AND terms @@ CAST(:any AS tsquery) "
        "ORDER BY score DESC, document_id, ordinal LIMIT :limit")


def _counted(queries: list[str]) -> Any:
    """Without statistics (a table never analysed): each term's frequency counted among the
    question's documents' matching chunks, in the same statement."""
    counts, scores = [], []
    for i in range(len(queries)):
        counts.append(f"count(*) FILTER (WHERE m.terms @@ CAST(:q{i} AS tsquery)) AS d{i}")
        scores.append(f"ts_rank(m.terms, CAST(:q{i} AS tsquery), 1) * ln(1 + (n.n - d.d{i} + 0.5) / (d.d{i} + 0.5))")
    return text(
        "WITH m AS MATERIALIZED (SELECT document_id, ordinal, boilerplate, terms FROM search_chunks "
        "  WHERE document_id = ANY(:ids) AND terms @@ CAST(:any AS tsquery)), "
        "n AS (SELECT coalesce(sum(chunk_count), 0)::float8 AS n FROM search_documents "
        "  WHERE document_id = ANY(:ids)), "
        f"d AS (SELECT {', '.join(counts)} FROM m) "
        f"SELECT m.document_id, m.ordinal, m.boilerplate, ({' + '.join(scores)}) AS score "
        "FROM m, n, d ORDER BY score DESC, m.document_id, m.ordinal LIMIT :limit")
