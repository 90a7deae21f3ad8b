"""SQLite: the terms in search_chunks, indexed by the FTS5 table search_fts (external content,
triggers keep it in step); ranked by FTS5's own bm25() (negative, smaller is better: negated
here). Statistics are the whole table's, as FTS5 keeps them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import bindparam, text

from adapters.persistence.search.common import SearchIndexBase, informative, query_terms
from application.ports.search_index import SearchHit

_VOCABULARY = text("SELECT term, doc FROM search_vocab WHERE term IN :terms").bindparams(
    bindparam("terms", expanding=True))
_CHUNKS = text("SELECT max(id) FROM search_chunks")  # about the row count, without counting them

_LEXICAL = text(
    "SELECT c.document_id, c.ordinal, c.boilerplate, bm25(search_fts) AS rank "
    "FROM search_fts JOIN search_chunks AS c ON c.id = search_fts.rowid "
    "WHERE search_fts MATCH :query AND c.document_id IN :ids "
    "ORDER BY rank, c.document_id, c.ordinal LIMIT :limit"
).bindparams(bindparam("ids", expanding=True))


class SqliteSearchIndex(SearchIndexBase):
    """Implements application.ports.search_index.SearchIndex on SQLite."""

    def _terms_value(self, terms: Sequence[str]) -> str:
        return " ".join(terms)

    def lexical(self, document_ids: Sequence[uuid.UUID], terms: Sequence[str], *, limit: int) -> list[SearchHit]:
        wanted = query_terms(terms)
        if not wanted or not document_ids or limit <= 0:
            return []
        shares = self._shares(wanted)
        absent = frozenset(t for t in wanted if not t.endswith("*") and t not in shares)
        wanted = informative(wanted, shares, absent)
        match = " OR ".join('"' + t.rstrip("*").replace('"', '""') + '"' + ("*" if t.endswith("*") else "")
                            for t in wanted if t.rstrip("*"))
        ids = [d.hex for d in dict.fromkeys(document_ids)]  # the Uuid type's storage on SQLite
        rows = self._conn.execute(_LEXICAL, {"query": match, "ids": ids, "limit": limit}).all()
        return [SearchHit(document_id=uuid.UUID(str(row.document_id)), ordinal=row.ordinal, score=-float(row.rank),
                          boilerplate=bool(row.boilerplate)) for row in rows]

    def _shares(self, terms: list[str]) -> dict[str, float]:
        """Each exact term's share of all indexed chunks, from FTS5's own vocabulary table."""
        exact = [t for t in terms if not t.endswith("*")]
        total = self._conn.execute(_CHUNKS).scalar() or 0
        if not exact or not total:
            return {}
        return {row.term: row.doc / total for row in self._conn.execute(_VOCABULARY, {"terms": exact})}
