"""Alembic revisions, one linear history (hand-written, explicit operations)."""
