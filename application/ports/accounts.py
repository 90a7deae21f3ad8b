"""Moving everything one account owns to another: the persistence side of linking a Telegram
account to a web account (application/use_cases/link_telegram.py), reached through the unit of work.

One port for the whole move rather than a method on each repository: the move must cover every
table that names a user, and one adapter that knows them all can be checked against the schema
(a contract test fails when a new table with a user column is not moved)."""

from __future__ import annotations

import uuid
from typing import Protocol

import attrs


@attrs.frozen(kw_only=True)
class MovedBelongings:
    """How many rows of each kind changed owner."""

    documents: int = 0
    conversations: int = 0
    threads: int = 0
    events: int = 0
    api_keys: int = 0

    def as_dict(self) -> dict[str, int]:
        return attrs.asdict(self)


class AccountMerge(Protocol):
    def move_belongings(self, source_id: uuid.UUID, target_id: uuid.UUID) -> MovedBelongings:
        """Give ``target_id`` every row ``source_id`` owns: documents (their chunks, texts and search
        rows follow them), conversations, threads, analytics events, API keys, and the per-user usage
        rollups (a day both have is summed into the target's row). Sessions stay with the source (the
        caller ends them) and the audit log is never rewritten (append-only)."""
        ...

    def delete_account(self, user_id: uuid.UUID) -> None:
        """Delete the user row itself; whatever still names it goes with it (its sessions)."""
        ...
