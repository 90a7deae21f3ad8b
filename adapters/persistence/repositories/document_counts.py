"""Everyone's documents by kind and status without a scan of documents.

Triggers on documents (migrations/versions/0009) append a -1 row for a row's old (kind, status)
and a +1 row for its new one to document_count_deltas; an insert or a counter update of its own
would make every upload wait on a handful of hot rows. A count is document_counts plus the
deltas not folded in yet; the periodic job folds them (``fold_deltas``), so a read sums a few
rows plus at most one job interval's changes, exact at every moment.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, select, union_all

from adapters.persistence.tables import document_count_deltas, document_counts
from domain.documents import DocumentKind, DocumentStatus

_DELTAS, _COUNTS = document_count_deltas.c, document_counts.c


def counts(connection: Connection) -> dict[tuple[DocumentKind, DocumentStatus], int]:
    both = union_all(select(_COUNTS.kind, _COUNTS.status, _COUNTS.count.label("n")),
                     select(_DELTAS.kind, _DELTAS.status, _DELTAS.delta.label("n"))).subquery()
    query = select(both.c.kind, both.c.status, func.sum(both.c.n).label("n")).group_by(both.c.kind, both.c.status)
    return {(DocumentKind(row.kind), DocumentStatus(row.status)): int(row.n)
            for row in connection.execute(query) if row.n}


def fold_deltas(connection: Connection) -> int:
    """Move the deltas into document_counts in the caller's transaction; returns how many moved.

    DELETE ... RETURNING (PostgreSQL, and SQLite since 3.35) takes exactly the rows it removes, so
    a delta committed meanwhile by another transaction is neither lost nor counted twice."""
    moved = connection.execute(document_count_deltas.delete().returning(_DELTAS.kind, _DELTAS.status,
                                                                        _DELTAS.delta)).all()
    sums: dict[tuple[str, str], int] = {}
    for kind, status, delta in moved:
        sums[(kind, status)] = sums.get((kind, status), 0) + delta
    for (kind, status), delta in sums.items():
        if not delta:
            continue
        changed = connection.execute(document_counts.update()
                                     .where(_COUNTS.kind == kind, _COUNTS.status == status)
                                     .values(count=_COUNTS.count + delta)).rowcount
        if not changed:
            connection.execute(document_counts.insert(), {"kind": kind, "status": status, "count": delta})
    return len(moved)
