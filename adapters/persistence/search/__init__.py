"""The search index in the database (application.ports.search_index): SQLite FTS5 or PostgreSQL
full-text search for the terms, numpy over stored float16 matrices for the vectors."""

from adapters.persistence.search.postgres import PostgresSearchIndex
from adapters.persistence.search.sqlite import SqliteSearchIndex

__all__ = ["PostgresSearchIndex", "SqliteSearchIndex"]
