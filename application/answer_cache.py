"""The answer cache: keys, entries, and the per-document index that lets a deleted document drop
its answers.

Key = prompt version + model + the content hash(es) of the document(s) + the normalised question,
so the same question on the same content with the same model and prompt is answered once.
Each document keeps an index entry listing the answer keys that involve it; deleting the
document deletes those keys and the index. The index is read-modify-write on a plain cache, so
two answers stored at the same instant can lose one index line: that entry then just expires
with its TTL (it held an answer about the very same content, so it is never a wrong answer).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
import structlog

from application.ports.cache import Cache
from application.ports.language_model import Completion
from application.prompts import PROMPT_VERSION
from domain.conversations import Citation
from domain.documents import Document
from domain.text import normalise_question

log = structlog.get_logger(__name__)

MAX_INDEXED_KEYS = 1000
EACH_DOCUMENT = 3  # answers about more documents are noted in their owner's library index


def answer_key(model: str, content_hashes: Iterable[str], question: str) -> str:
    contents = sorted(set(content_hashes))
    scope = contents[0] if len(contents) == 1 else hashlib.sha256(",".join(contents).encode()).hexdigest()
    digest = hashlib.sha256(normalise_question(question).encode()).hexdigest()[:32]
    return f"answer:v{PROMPT_VERSION}:{model}:{scope}:{digest}"


def _index_key(document_id: uuid.UUID) -> str:
    return f"answer-index:{document_id}"


def _library_key(owner_id: uuid.UUID) -> str:
    return f"answer-index:library:{owner_id}"


def remember(cache: Cache, owner_id: uuid.UUID, document_ids: Sequence[uuid.UUID], key: str, *,
             ttl_seconds: int) -> None:
    """Note ``key`` in each document's index (kept as long as the answers it lists); an answer
    about more than ``EACH_DOCUMENT`` documents (a library question) is noted once, in its owner's
    library index, which the deletion of any of the owner's documents drops."""
    for index in ([_library_key(owner_id)] if len(document_ids) > EACH_DOCUMENT
                  else [_index_key(d) for d in document_ids]):
        keys = _read(cache, index)
        if key not in keys:
            keys = [*keys, key][-MAX_INDEXED_KEYS:]
            cache.set(index, json.dumps(keys).encode(), ttl_seconds=ttl_seconds)


def forget_documents(cache: Cache, document_ids: Iterable[uuid.UUID], owner_id: uuid.UUID | None = None) -> int:
    """Delete every cached answer that involves these documents (and, with ``owner_id``, every
    library answer of their owner); return how many keys were dropped. A cache failure is logged,
    never raised: the documents are already gone."""
    dropped = 0
    indexes = [_index_key(d) for d in document_ids] + ([_library_key(owner_id)] if owner_id is not None else [])
    for index in indexes:
        try:
            keys = _read(cache, index)
            for key in keys:
                cache.delete(key)
            cache.delete(index)
            dropped += len(keys)
        except Exception:
            log.exception("answer_cache_forget_failed", index=index)
    return dropped


def _read(cache: Cache, index: str) -> list[str]:
    raw = cache.get(index)
    try:
        keys = json.loads(raw) if raw else []
    except ValueError:
        return []
    return [k for k in keys if isinstance(k, str)] if isinstance(keys, list) else []


def encode_entry(completion: Completion, documents: Sequence[Document], citations: Sequence[Citation]) -> bytes:
    """The completion and its citations, each naming its document by content hash, as the cache
    key does: a hit on a copy of the document (or the documents in another order) cites that copy."""
    sha256 = {d.id: d.sha256 for d in documents}
    cited = [{**{k: v for k, v in c.to_dict().items() if k != "document_id"}, "sha256": sha256[c.document_id]}
             for c in citations]
    return json.dumps({**attrs.asdict(completion), "citations": cited}).encode()


def decode_entry(raw: bytes) -> tuple[Completion, list[dict[str, Any]] | None] | None:
    """The completion, and its citations (None in an entry written before they were kept)."""
    try:
        data = json.loads(raw)
        citations = data.pop("citations", None)
        return Completion(**data), (citations if isinstance(citations, list) else None)
    except (ValueError, TypeError, AttributeError):
        return None


def rebound(cited: list[dict[str, Any]], documents: Sequence[Document]) -> list[Citation] | None:
    """The cached citations on these documents, or None when one cannot be placed."""
    document_of = {d.sha256: d.id for d in documents}
    try:
        return [Citation.from_dict({**c, "document_id": str(document_of[c["sha256"]])}) for c in cited]
    except (KeyError, ValueError, TypeError, AttributeError):
        return None
