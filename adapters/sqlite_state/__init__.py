"""Shared state of the embedded profile in one local SQLite file: the answer cache, the tier
windows' counters and the login attempts, common to every process of one machine (the API, the
CLI, the bot), as Redis holds them in production."""
