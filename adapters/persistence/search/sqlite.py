"""SQLite: the terms in search_chunks, indexed by the FTS5 table search_fts (external content,
triggers keep it in step); ranked by FTS5's own bm25() (negative, smaller is better: negated
here). Statistics are the whole table's, as FTS5 keeps them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import bindparam, text

from adapters.persistence.search.common import SearchIndexBase, query_terms
from application.ports.search_index import SearchHit

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
        match = " OR ".join('"' + t.rstrip("*").replace('"', '""') + '"' + ("*" if t.endswith("*") else "")
                            for t in wanted if t.rstrip("*"))
        ids = [d.hex for d in dict.fromkeys(document_ids)]  # the Uuid type's storage on SQLite
        rows = self._conn.execute(_LEXICAL, {"query": match, "ids": ids, "limit": limit}).all()
        return [SearchHit(document_id=uuid.UUID(str(row.document_id)), ordinal=row.ordinal, score=-float(row.rank),
                          boilerplate=bool(row.boilerplate)) for row in rows]
