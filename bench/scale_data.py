"""The data set of bench.scale, loaded by PostgreSQL itself with generate_series (no rows through
Python): users, documents, conversations and analytics events spread evenly over the last 365 days
and inserted oldest first, as the app writes them (so a day's rows sit together on disk, as they
would in production), each user's spread over the whole year, plus a
fixed slice for the measured user (the same in every database, so per-user routes compare like
with like). The documents' triggers (migration 0009) run as in production; bench.scale folds their
deltas with the rollup job afterwards.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

KINDS = "ARRAY['pdf','xlsx','docx','text','markdown','csv','audio','image']"
# No pending or processing documents: the API's start-up recovery would queue every one of them
# again (125,000 at 1M, with no job behind them), and the inline queue would process them in the
# background of the measurements (an earlier run's 1M figures carried that load).
STATUSES = "ARRAY['completed','completed','completed','completed','completed','completed','failed','failed']"


def _statements(users: int, documents: int, conversations: int, events: int) -> list[str]:
    return [
        f"""INSERT INTO users (id, email, role, tier, status, language, created_at, updated_at)
            SELECT md5('user' || i)::uuid, 'user' || i || '@scale.example', 'user', 'free', 'active', 'en',
                   now() - interval '400 days', now() - interval '400 days'
            FROM generate_series(1, {users}) AS i""",
        f"""INSERT INTO documents (id, owner_id, filename, kind, size, sha256, storage_key, status, progress_done,
                                   progress_total, created_at, updated_at)
            SELECT md5('doc' || i)::uuid, md5('user' || (1 + i % {users}))::uuid, 'file' || i || '.pdf',
                   ({KINDS})[1 + i % 8], 1000 + i % 5000, md5('sha' || i) || md5('sha2' || i), 'key' || i,
                   ({STATUSES})[1 + (i / 8) % 8], 1, 1, t, t
            FROM generate_series(1, {documents}) AS i,
                 LATERAL (SELECT now() - ({documents} - i) * (interval '365 days' / {documents})) AS s(t)""",
        f"""INSERT INTO conversations (id, user_id, document_id, question, answer, citations, tokens_in, tokens_out,
                                       cost_usd, model, latency_ms, cached, created_at)
            SELECT md5('conv' || i)::uuid, md5('user' || (1 + i % {users}))::uuid, NULL, 'What is due?',
                   'The invoice [1].', '[]'::jsonb, 200 + i % 300, 20 + i % 80, 0.0001, 'offline',
                   20 + ((i::bigint * 7919) % 3000)::int, i % 5 = 0,
                   now() - ({conversations} - i) * (interval '365 days' / {conversations})
            FROM generate_series(1, {conversations}) AS i""",
        f"""INSERT INTO analytics_events (id, user_id, type, data, created_at)
            SELECT md5('event' || i)::uuid, md5('user' || (1 + i % {users}))::uuid, 'question_asked', '{{}}'::jsonb,
                   now() - ({events} - i) * (interval '365 days' / {events})
            FROM generate_series(1, {events}) AS i""",
    ]


LOADED = "bench_scale_loaded"  # a table bench.scale --keep creates once the data set is in


def kept_database(server: str, name: str) -> tuple[str, bool]:
    """(the URL of database ``name`` on ``server``, whether it holds a loaded data set already);
    created when absent."""
    admin = create_engine(make_url(server), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            if not connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            loaded = bool(connection.execute(text(
                f"SELECT to_regclass('{LOADED}') IS NOT NULL")).scalar_one())
    finally:
        engine.dispose()
    return url, loaded


def load(engine: Engine, *, users: int, documents: int, conversations: int, events: int) -> None:
    with engine.begin() as connection:
        for statement in _statements(users, documents, conversations, events):
            connection.execute(text(statement))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))


def own_slice(engine: Engine, user_id: uuid.UUID, *, documents: int = 100, conversations: int = 300) -> uuid.UUID:
    """The measured user's documents and questions (enterprise tier: no rate limit in the way);
    returns one of the documents."""
    with engine.begin() as connection:
        connection.execute(text("UPDATE users SET tier = 'enterprise' WHERE id = CAST(:u AS uuid)"), {"u": str(user_id)})
        connection.execute(text(f"""
            INSERT INTO documents (id, owner_id, filename, kind, size, sha256, storage_key, status, progress_done,
                                   progress_total, created_at, updated_at)
            SELECT md5(:u || 'doc' || i)::uuid, CAST(:u AS uuid), 'mine' || i || '.pdf', 'pdf', 1000, md5('s' || i) || md5('t' || i),
                   'mine' || i, 'completed', 1, 1, now() - i * interval '1 hour', now() - i * interval '1 hour'
            FROM generate_series(1, {documents}) AS i"""), {"u": str(user_id)})
        connection.execute(text(f"""
            INSERT INTO conversations (id, user_id, document_id, question, answer, citations, tokens_in, tokens_out,
                                       cost_usd, model, latency_ms, cached, created_at)
            SELECT md5(:u || 'conv' || i)::uuid, CAST(:u AS uuid), NULL, 'Mine?', 'Yes [1].', '[]'::jsonb, 100, 10, 0.0001,
                   'offline', 50 + i % 900, i % 4 = 0, now() - (i % 365) * interval '1 day'
            FROM generate_series(1, {conversations}) AS i"""), {"u": str(user_id)})
        return connection.execute(text("SELECT md5(:u || 'doc' || 1)::uuid"), {"u": str(user_id)}).scalar_one()
